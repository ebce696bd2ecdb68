import { slug } from '../3-model/build.js';
import type { Backend, Balance, Model, Node, TcpEntry } from '../3-model/types.js';
import { from, goDuration, header, hostPort } from './format.js';
import { render } from './templates.js';
import { outputFile, type Emitter, type OutputFile } from './types.js';

interface ServerView {
  name: string;
  address: string;
  flags: string[];
}

interface EntryView {
  name: string;
  port: number;
  /** Routed by SNI: the port's frontend is written once, by sni.hbs. */
  sni: boolean;
  comment: string;
  redis: { secret: string | null; checkTimeout: string; timing: string } | null;
  postgres: { timing: string } | null;
  plain: { balance: string; timing: string } | null;
  servers: ServerView[];
}

const BALANCE: Record<Balance, string> = { round_robin: 'roundrobin', least_conn: 'leastconn', first: 'first', random: 'random' };

/** Long-lived TCP sessions (Redis, Postgres, MQTT) stay open while idle for this long. */
const TIMEOUTS = { connect: '5s', client: '30m', server: '30m', check: '2s' };
/**
 * Following a writable member: a failed master or primary is DOWN after two checks a second
 * apart, its sessions are cut, and the new one is UP after two good checks. A Redis replica
 * fails by waiting for `role:master` until the check times out, so that timeout stays short.
 */
const STATEFUL = { timing: `inter ${goDuration(1000)} fall 2 rise 2`, redisCheckTimeout: goDuration(1000) };
/**
 * Plain entries: the first failed client connection marks a server down (`observe layer4` with
 * `error-limit 1`), the connection is retried on another server (`option redispatch`, `retries 2`),
 * and a down server is probed every 250 ms so it is preferred again soon after it returns.
 * Measured with the real daemons (test/e2e): a killed local backend cost one connection, against
 * six seconds of refused connections with `inter 2s fall 3`.
 */
const PLAIN = { timing: `inter ${goDuration(1000)} fastinter ${goDuration(250)} fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down` };

/**
 * haproxy.cfg for every node with role `l4`, when the inventory has `tcp` entries (HAProxy will not
 * start without a listener, and `haproxy -c` exits 2 on such a file). Every node serves every
 * entry; only `local_first` entries differ from node to node.
 */
export const haproxy: Emitter = {
  daemon: 'haproxy',
  emit(model) {
    if (model.tcp.length === 0) return [];
    const secrets = [...new Set(model.tcp.flatMap((t) => (t.target.kind === 'redis' ? redisSecret(model, t.target.group) : [])))].sort();
    const entry = (t: TcpEntry, node: Node): string => sniFrontend(model, t) + render('haproxy/entry.hbs', entryView(model, node, t, from(t.origin)));
    return model.nodes
      .filter((n) => n.roles.includes('l4'))
      .map((node): OutputFile => {
        const path = `nodes/${node.name}/haproxy/haproxy.cfg`;
        const content = render('haproxy/haproxy.cfg.hbs', {
          header: header('#', `HAProxy (TCP) on l4 node ${node.name}.`).trimEnd(),
          timeouts: TIMEOUTS,
          entries: model.tcp.map((t) => entry(t, node)).join(''),
        });
        return outputFile({ path, node: node.name, daemon: 'haproxy', check: `haproxy -c -dW -q -f ${path}`, secrets }, content);
      });
  },
};

/** How long HAProxy waits for a TLS ClientHello before it refuses the connection. */
const SNI_INSPECT_DELAY = goDuration(5000);

/** Before the first entry (in name order) routed by SNI on a port: that port's frontend. */
function sniFrontend(model: Model, t: TcpEntry): string {
  if (t.sni.length === 0) return '';
  const shared = model.tcp.filter((x) => x.port === t.port && x.sni.length > 0);
  if (shared[0] !== t) return '';
  return render('haproxy/sni.hbs', {
    port: t.port,
    inspectDelay: SNI_INSPECT_DELAY,
    comment: `port ${t.port}: TLS passthrough by SNI to tcp entr${shared.length > 1 ? 'ies' : 'y'} ${shared.map((x) => x.name).join(', ')}, any other name refused, from ${shared.map((x) => from(x.origin)).join(', ')}`,
    routes: shared.map((x) => ({ name: x.name, names: x.sni })),
  });
}

function redisSecret(model: Model, group: string): string[] {
  const password = model.redis.find((g) => g.name === group)?.password;
  return password !== undefined ? [password] : [];
}

function entryView(model: Model, node: Node, t: TcpEntry, origin: string): EntryView {
  const base = { name: t.name, port: t.port, sni: t.sni.length > 0, redis: null, postgres: null, plain: null };
  const target = t.target;
  if (target.kind === 'redis') {
    const [secret = null] = redisSecret(model, target.group);
    return {
      ...base,
      comment: `tcp entry ${t.name}: the master of Redis group ${target.group}, from ${origin}`,
      redis: { secret, checkTimeout: STATEFUL.redisCheckTimeout, timing: STATEFUL.timing },
      servers: servers(t.backends, () => []),
    };
  }
  if (target.kind === 'postgres') {
    const group = model.postgres.find((g) => g.name === target.group)!;
    return {
      ...base,
      comment: `tcp entry ${t.name}: the Patroni primary of Postgres cluster ${target.group}, from ${origin}`,
      postgres: { timing: STATEFUL.timing },
      servers: servers(t.backends, () => ['check', 'port', String(group.patroniPort)]),
    };
  }
  const { primaries, backups } = split(t, node);
  return {
    ...base,
    comment: `tcp entry ${t.name}: ${t.sni.length > 0 ? `SNI ${t.sni.join(', ')} on port ${t.port} to ` : ''}${describe(t, primaries, backups, node)}, from ${origin}`,
    plain: { balance: BALANCE[t.balance], timing: PLAIN.timing },
    servers: servers([...primaries, ...backups], (b) => (backups.includes(b) ? ['check', 'backup'] : ['check'])),
  };
}

/**
 * Primaries share the traffic; backups, in the order listed, take it only when every primary is
 * down. With `local_first` on a node that is itself a primary backend, that node is the only
 * primary and every other backend becomes a backup, primaries before declared backups.
 *
 * No `option allbackups`: with it, HAProxy would spread traffic over every UP backup at once, and
 * declared backups would share it with the other nodes' primaries as soon as the local one is
 * down. Without it the first UP backup takes everything (seen live), which keeps the order
 * primaries > declared backups, like the Caddy edge's fallback (`lb_policy first`).
 */
function split(t: TcpEntry, node: Node): { primaries: Backend[]; backups: Backend[] } {
  const local = localHere(t, node);
  if (local !== undefined) return { primaries: [local], backups: t.backends.filter((b) => b !== local) };
  return { primaries: t.backends.filter((b) => !b.backup), backups: t.backends.filter((b) => b.backup) };
}

/** The primary backend on this node of a plain `local_first` entry, which this node puts first. */
function localHere(t: TcpEntry, node: Node): Backend | undefined {
  return t.target.kind === 'plain' && t.localFirst ? t.backends.find((b) => b.node === node.name && !b.backup) : undefined;
}

function describe(t: TcpEntry, primaries: Backend[], backups: Backend[], node: Node): string {
  const keys = (bs: Backend[]) => bs.map((b) => b.key).join(t.balance === 'first' ? ' > ' : ', ');
  const head = t.localFirst && primaries[0]?.node === node.name ? `${node.name} first (local_first)` : `${keys(primaries)} (${t.balance})`;
  return backups.length > 0 ? `${head}, then ${backups.map((b) => b.key).join(' > ')}` : head;
}

/** Server lines in order; names are the backend keys, made unique should two keys slug alike. */
function servers(backends: Backend[], flags: (b: Backend) => string[]): ServerView[] {
  const used = new Set<string>();
  return backends.map((b) => {
    const base = b.node ?? `addr-${slug(b.key)}`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    return { name, address: hostPort(b.address, b.port), flags: flags(b) };
  });
}
