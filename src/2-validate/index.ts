import type { Loaded } from '../1-load/index.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { hasErrors } from '../diagnostics/types.js';
import { createContext, type Rule } from './context.js';
import type { Inventory } from './inventory.js';
import { activeStandby } from './rules/active-standby.js';
import { backends } from './rules/backends.js';
import { drained } from './rules/drained.js';
import { hostnames } from './rules/hostnames.js';
import { platformPresent } from './rules/platform-present.js';
import { references } from './rules/references.js';
import { vipAddress } from './rules/vip-address.js';
import { vipMembers } from './rules/vip-members.js';
import { vipRouterIds } from './rules/vip-router-ids.js';
import { mongoSrv } from './rules/mongo-srv.js';
import { mongoSrvTxt } from './rules/mongo-srv-txt.js';
import { oddMembers } from './rules/odd-members.js';
import { serviceNodeName } from './rules/service-node-name.js';
import { zoneCname } from './rules/zone-cname.js';
import { zoneCollisions } from './rules/zone-collisions.js';
import { zoneDelegation } from './rules/zone-delegation.js';
import { zoneGlobal } from './rules/zone-global.js';
import { zoneNameservers } from './rules/zone-nameservers.js';
import { zoneRecords } from './rules/zone-records.js';
import { redisMemberAddress } from './rules/redis-member-address.js';
import { redisNodePorts } from './rules/redis-node-ports.js';
import { redisQuorum } from './rules/redis-quorum.js';
import { redisSentinelPort } from './rules/redis-sentinel-port.js';
import { l4WithoutTcp } from './rules/l4-without-tcp.js';
import { tcpPortTaken } from './rules/tcp-port-taken.js';
import { tcpPorts } from './rules/tcp-ports.js';
import { tcpTarget } from './rules/tcp-target.js';
import { validateSchema } from './schema.js';

export type { Inventory } from './inventory.js';

/** Rules that must pass before any other rule can trust names (later rules look names up). */
const FOUNDATION: readonly Rule[] = [platformPresent, references];
/** Every other rule; each assumes references resolve. */
export const RULES: readonly Rule[] = [
  backends,
  activeStandby,
  hostnames,
  // ---- L4, VIP, Sentinel, DNS/Mongo/Patroni rules are added here, one line each ----
  tcpPorts,
  tcpTarget,
  tcpPortTaken,
  l4WithoutTcp,
  redisQuorum,
  redisMemberAddress,
  redisSentinelPort,
  redisNodePorts,
  oddMembers,
  mongoSrv,
  mongoSrvTxt,
  serviceNodeName,
  zoneGlobal,
  zoneRecords,
  zoneNameservers,
  zoneCname,
  zoneCollisions,
  zoneDelegation,
  vipRouterIds,
  vipMembers,
  vipAddress,
  drained,
];

export interface Validated {
  inventory?: Inventory;
  diagnostics: Diagnostic[];
}

/**
 * Phase 2, in two steps: the schema and the rules that make every name resolve, which is all a
 * model needs to be built from; then, when `rest` is called, every other rule. Returns the
 * inventory (with `rest`) when the first step found no error.
 */
export function validateNames(loaded: Loaded): { inventory?: undefined; diagnostics: Diagnostic[] } | { inventory: Inventory; diagnostics: Diagnostic[]; rest: () => Validated } {
  const schemaErrors = validateSchema(loaded.data, loaded.locator);
  if (hasErrors(schemaErrors)) return { diagnostics: schemaErrors };
  const inv = withEmptySections(loaded.data as Partial<Inventory>);
  const diagnostics: Diagnostic[] = [...schemaErrors];
  const ctx = createContext(inv, loaded.locator, diagnostics);
  for (const rule of FOUNDATION) rule.check(ctx);
  if (hasErrors(diagnostics)) return { diagnostics };
  const rest = (): Validated => {
    for (const rule of RULES) rule.check(ctx);
    return hasErrors(diagnostics) ? { diagnostics } : { inventory: inv, diagnostics };
  };
  return { inventory: inv, diagnostics, rest };
}

function withEmptySections(d: Partial<Inventory>): Inventory {
  return {
    platform: d.platform!,
    sites: d.sites ?? {},
    nodes: d.nodes ?? {},
    services: d.services ?? {},
    tcp: d.tcp ?? {},
    redis: d.redis ?? {},
    mongo: d.mongo ?? {},
    postgres: d.postgres ?? {},
    vips: d.vips ?? {},
    dns: { zones: d.dns?.zones ?? {} },
  };
}
