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
import { reachIngress } from './rules/reach-ingress.js';
import { references } from './rules/references.js';
import { vipAddress } from './rules/vip-address.js';
import { vipMembers } from './rules/vip-members.js';
import { vipRouterIds } from './rules/vip-router-ids.js';
import { mongoSrv } from './rules/mongo-srv.js';
import { mongoSrvTxt } from './rules/mongo-srv-txt.js';
import { oddMembers } from './rules/odd-members.js';
import { serviceNodeName } from './rules/service-node-name.js';
import { redisMemberAddress } from './rules/redis-member-address.js';
import { redisNodePorts } from './rules/redis-node-ports.js';
import { redisQuorum } from './rules/redis-quorum.js';
import { redisSentinelPort } from './rules/redis-sentinel-port.js';
import { l4WithoutTcp } from './rules/l4-without-tcp.js';
import { wildcardResolver } from './rules/wildcard-resolver.js';
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
  reachIngress,
  tcpPorts,
  tcpTarget,
  tcpPortTaken,
  l4WithoutTcp,
  wildcardResolver,
  redisQuorum,
  redisMemberAddress,
  redisSentinelPort,
  redisNodePorts,
  oddMembers,
  mongoSrv,
  mongoSrvTxt,
  serviceNodeName,
  vipRouterIds,
  vipMembers,
  vipAddress,
  drained,
];

/** What validation gives: the inventory when nothing is an error, and every diagnostic it found. */
export interface Validated {
  inventory?: Inventory;
  diagnostics: Diagnostic[];
}

/**
 * Phase 2: the schema, then the rules that make every name resolve, then every other rule that
 * needs only the inventory (rules that judge what the model derives run in phase 4). Gives the
 * inventory when nothing is an error.
 */
export function validate(loaded: Loaded): Validated {
  const diagnostics = validateSchema(loaded.data, loaded.locator);
  if (hasErrors(diagnostics)) return { diagnostics };
  const inv = withEmptySections(loaded.data as Partial<Inventory>);
  const ctx = createContext(inv, loaded.locator, diagnostics);
  for (const rule of FOUNDATION) rule.check(ctx);
  if (hasErrors(diagnostics)) return { diagnostics };
  for (const rule of RULES) rule.check(ctx);
  return hasErrors(diagnostics) ? { diagnostics } : { inventory: inv, diagnostics };
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
    middlewares: d.middlewares ?? {},
    dns: { zones: d.dns?.zones ?? {} },
  };
}
