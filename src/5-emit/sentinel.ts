import type { Model, Node, RedisGroup } from '../3-model/types.js';
import { from, header } from './format.js';
import { render } from './templates.js';
import { outputFile, type Emitter, type OutputFile } from './types.js';

/**
 * Where the deploy tool writes Redis and Sentinel passwords: neither reads the environment, so a
 * secret reaches them through `include`. Redis gets `<SECRET>.redis.conf` (`masterauth <value>` and
 * `requirepass <value>`); each group's Sentinel gets `<SECRET>.sentinel-<group>.conf`
 * (`sentinel auth-pass <group> <value>`), as the master name is part of the line.
 */
export const REDIS_SECRET_DIR = '/etc/hacompile/secrets';
export const redisSecretPath = (secret: string): string => `${REDIS_SECRET_DIR}/${secret}.redis.conf`;
export const sentinelSecretPath = (secret: string, group: string): string => `${REDIS_SECRET_DIR}/${secret}.sentinel-${group}.conf`;

/** Sentinel's working directory: exists wherever Debian's redis packages are installed. */
const SENTINEL_DIR = '/var/lib/redis';

/**
 * How to check a file without a check mode: start a throwaway daemon on a copy (Sentinel rewrites
 * the file it loads) inside an empty network namespace (so nothing is contacted and no port is
 * taken), listening on 127.0.0.1 only (the overlay address does not exist there). A daemon still
 * running after 2 s loaded the file (`timeout` exits 124); a config error exits 1 at once. Run it
 * where the secret include exists (on the node, `hacompile verify --node`): a missing one fails.
 */
export function throwawayCheck(binary: 'redis-sentinel' | 'redis-server', path: string): string {
  return `unshare -n sh -c 'ip link set lo up; d=$(mktemp -d); cp ${path} $d/c.conf; timeout 2 ${binary} $d/c.conf --bind 127.0.0.1 --dir $d --logfile ""; r=$?; rm -rf $d; [ $r = 124 ]'`;
}

/**
 * For every member node of every Redis group: a Sentinel seed file, and a Redis fragment that
 * starts every member but the initial master as its replica. Each group has its own Sentinel
 * process (its own `sentinel_port`), so two groups on one node never share a file.
 */
export const sentinel: Emitter = {
  daemon: 'sentinel',
  emit(model) {
    return model.redis.flatMap((g) => {
      const origin = from(g.origin);
      const master = model.node(g.nodes[0]!);
      return g.nodes.flatMap((name): OutputFile[] => {
        const node = model.node(name);
        const dir = `nodes/${node.name}/redis/${g.name}`;
        const secrets = g.password !== undefined ? [g.password] : [];
        return [
          outputFile(
            { path: `${dir}/sentinel.conf`, node: node.name, daemon: 'sentinel', check: throwawayCheck('redis-sentinel', `${dir}/sentinel.conf`), secrets },
            sentinelConf(model, g, node, master, origin),
          ),
          outputFile(
            { path: `${dir}/redis.conf`, node: node.name, daemon: 'redis', check: throwawayCheck('redis-server', `${dir}/redis.conf`), secrets },
            redisConf(g, node, master, origin),
          ),
        ];
      });
    });
  },
};

function sentinelConf(model: Model, g: RedisGroup, node: Node, master: Node, origin: string): string {
  const members = g.nodes.map((n) => `${n} ${model.node(n).address!}`).join(', ');
  return render('redis/sentinel.conf.hbs', {
    header: header('#', `Redis Sentinel of group ${g.name} on node ${node.name}: a seed file, see below.`).trimEnd(),
    comment: `Sentinel of Redis group ${g.name} (members ${members}; quorum ${g.quorum} of ${g.nodes.length}), from ${origin}`,
    group: g.name,
    sentinelPort: g.sentinelPort,
    address: node.address!,
    dir: SENTINEL_DIR,
    master: { name: master.name, address: master.address!, port: g.port },
    quorum: g.quorum,
    downAfterMs: g.downAfterMs,
    failoverTimeoutMs: g.failoverTimeoutMs,
    parallelSyncs: g.parallelSyncs,
    secret: g.password !== undefined ? { name: g.password, path: sentinelSecretPath(g.password, g.name) } : null,
  });
}

function redisConf(g: RedisGroup, node: Node, master: Node, origin: string): string {
  const isMaster = node.name === master.name;
  return render('redis/redis.conf.hbs', {
    header: header('#', `Redis of group ${g.name} on node ${node.name}: a seed fragment for the main redis.conf, see below.`).trimEnd(),
    comment: isMaster
      ? `Redis group ${g.name} on ${node.name}, the initial master, from ${origin}`
      : `Redis group ${g.name} on ${node.name}, a replica of the initial master ${master.name}, from ${origin}`,
    group: g.name,
    port: g.port,
    address: node.address!,
    replicaof: isMaster ? null : { address: master.address!, port: g.port },
    secret: g.password !== undefined ? { name: g.password, path: redisSecretPath(g.password) } : null,
  });
}
