/**
 * The message catalogue: every diagnostic hacompile prints is built here, so wording, codes and
 * hints stay consistent. Call sites say `m.unknownReference(...)`, never free text.
 */
import type { Message } from './types.js';

/** A value as JSON, cut short when it is long (a diagnostic never repeats a 100,000-character value). */
const q = (s: unknown): string => {
  const j = JSON.stringify(s) ?? String(s);
  return j.length > 300 ? `${j.slice(0, 120)}… (${j.length} characters)` : j;
};
const error = (code: string, message: string, hint?: string): Message => ({ code, severity: 'error', message, ...(hint ? { hint } : {}) });
const warning = (code: string, message: string, hint?: string): Message => ({ code, severity: 'warning', message, ...(hint ? { hint } : {}) });
const didYouMean = (suggestion: string | undefined): string => (suggestion ? `did you mean ${q(suggestion)}? ` : '');

export const m = {
  // phase 1: reading files
  noInventoryFiles: (dir: string) =>
    error('no-inventory', `no inventory files found under ${dir}`, 'create at least one .yaml file there, or pass --inventory DIR'),
  unsafeFileName: (path: string) =>
    error(
      'unsafe-file-name',
      `the inventory file ${q(path)} has a control character (a newline, tab, escape, ...) in its name or its folder's`,
      'rename it: generated files name the inventory files they come from, and such a character could change what they say',
    ),
  yamlSyntax: (detail: string) => error('yaml-syntax', `YAML syntax error: ${detail}`, 'fix the YAML at this place'),
  duplicateYamlKey: (key: string) =>
    error('duplicate-key', `key ${q(key)} appears twice in this mapping`, 'remove one of them; later keys do not override earlier ones'),
  fileNotMapping: () =>
    error('file-not-mapping', 'an inventory file must be a mapping of sections (platform, sites, nodes, services, ...)', 'start the file with a section name such as `services:`'),
  yamlTab: () =>
    error('yaml-tab', 'a tab in the indentation (YAML indents with spaces only)', 'replace the tabs at the start of this line, and of the lines after it, by spaces'),
  multipleDocuments: () =>
    error('yaml-documents', 'a second YAML document starts here: an inventory file holds one', 'remove this line, or move what follows it into a file of its own (files are merged)'),
  yamlIndentedMore: (spaces: number, line: number, key: string, column: number) =>
    error(
      'yaml-indentation',
      `this line is indented ${spaces} spaces, more than ${q(key)} on line ${line} (${column} spaces)`,
      `indent it ${column} spaces like ${q(key)} if it is its sibling; to nest it under ${q(key)}, that key must have no value on its own line`,
    ),
  yamlIndentedBetween: (spaces: number, below: readonly [number, number] | undefined, above: readonly [number, number] | undefined) => {
    const levels = [below, above].filter((l): l is readonly [number, number] => l !== undefined);
    const said = levels.map(([i, line]) => `${i} (line ${line})`).join(' and ');
    return error(
      'yaml-indentation',
      `this line is indented ${spaces} space${spaces === 1 ? '' : 's'}, which lines up with nothing above it${said ? `: the levels around it are ${said}` : ''}`,
      `indent it ${levels.map(([i]) => i).join(' or ') || 'like the lines it belongs with'}${levels.length ? ' spaces, like the lines it belongs with' : ''}`,
    );
  },
  unclosedFlow: (open: string, close: string) =>
    error('yaml-unclosed', `this \`${open}\` is never closed`, `add the missing \`${close}\` where the ${open === '"' || open === "'" ? 'text' : 'entry'} ends`),
  yamlTag: (tag: string, form: string) =>
    error('yaml-tag', `the YAML tag ${tag} is not supported in an inventory`, `write ${form}: hacompile reads plain mappings, lists, text and numbers`),
  tooManyAliases: () => error('yaml-aliases', 'too many YAML alias expansions in this file', 'write the repeated values out, or use fewer aliases'),
  duplicateDefinition: (path: string) =>
    error('duplicate-definition', `${path} is defined in two places`, 'keep one definition; files are merged, not overridden'),
  firstDefinedHere: () => 'first defined here',

  // phase 2: schema
  unknownKey: (key: string, where: string, suggestion: string | undefined, allowed: readonly string[]) =>
    error('unknown-key', `unknown key ${q(key)} in ${where}`, `${didYouMean(suggestion)}allowed keys: ${allowed.join(', ')}`),
  missingKey: (key: string, where: string) => error('missing-key', `${where} needs ${q(key)}`, `add \`${key}:\` to ${where}`),
  wrongType: (where: string, expected: string, actual: string, form?: string) =>
    error('wrong-type', `${where} must be ${expected}, not ${actual}`, form ? `write \`${form}\`` : TYPE_HINTS[expected]),
  emptyList: (where: string, owner: string, item: string, least: number) =>
    error('empty-list', `${where} is empty: ${owner} needs at least ${least === 1 ? 'one' : least} ${item}${least === 1 ? '' : 's'}`, `list ${least === 1 ? 'one' : least}, or remove ${owner === 'it' ? 'the key' : owner.replace(/^an? /, 'the ')}`),
  invalidValue: (where: string, value: unknown, what: string | undefined, lower?: string) =>
    error('invalid-value', `${where} has an invalid value ${q(value)}`, `${didYouMean(lower)}${what ? `expected ${lowerFirst(what)}` : ''}`.trim() || undefined),
  invalidName: (where: string, name: string, what: string | undefined, lower?: string) =>
    error('invalid-name', `${q(name)} is not a valid name in ${where}`, `${didYouMean(lower)}${what ? `expected ${lowerFirst(what)}` : ''}`.trim() || undefined),
  notInEnum: (where: string, value: unknown, allowed: readonly unknown[], suggestion: string | undefined) =>
    error('invalid-value', `${where} is ${q(value)}, which is not one of ${allowed.map(q).join(', ')}`, suggestion ? didYouMean(suggestion).trim() : undefined),
  outOfRange: (where: string, value: unknown, limit: string) => error('out-of-range', `${where} is ${q(value)}, ${limit}`),
  schemaOther: (where: string, text: string) => error('invalid-value', `${where} ${text}`),

  // phase 2: rules
  platformMissing: () =>
    error('platform-missing', 'no file defines `platform:`', 'add a platform section with at least `domain:` and `contact:`'),
  unknownReference: (what: string, kind: string, name: string, suggestion: string | undefined) =>
    error('unknown-reference', `${what} names ${kind} ${q(name)}, which is not defined`, `${didYouMean(suggestion)}define it under ${pluralSection(kind)}:, or fix the name`),
  backendWithoutAddress: (owner: string, node: string) =>
    error('backend-without-address', `${owner} has a backend on node ${q(node)}, which has no address`, `give node ${q(node)} an \`address:\` (its overlay address)`),
  duplicateHostname: (host: string, owner: string) =>
    error('duplicate-hostname', `hostname ${q(host)} of ${owner} is served twice`, 'each hostname must belong to one service; remove or rename one'),
  duplicateRoute: (host: string, prefix: string, owner: string) =>
    error('duplicate-route', `hostname ${q(host)} with path prefix ${q(prefix)} of ${owner} is served twice`, 'give one of them another `path: { prefix }` or another hostname'),
  unsupportedFeature: (service: string, feature: string, daemon: string, nodes: readonly string[], instead: string) =>
    error(
      'unsupported-feature',
      `service ${q(service)} uses ${feature}, which ${daemon} cannot express, and ${daemon} serves it on node${nodes.length === 1 ? '' : 's'} ${nodes.map(q).join(', ')}`,
      instead,
    ),
  duplicateBackend: (owner: string, key: string) =>
    error('duplicate-backend', `${owner} lists backend ${q(key)} twice`, 'list each backend once'),
  activeNotBackend: (service: string, active: string) =>
    error('active-not-backend', `service ${q(service)} has active ${q(active)}, which is not one of its backends`, 'set `active:` to a node listed in `backends:`'),
  localFirstWithActive: (service: string, active: string) =>
    error('local-first-with-active', `service ${q(service)} has \`local_first: true\` and \`active: ${active}\`, two different first choices`, `remove \`local_first:\` to keep ${q(active)} first on every node, or \`active:\` to let each ingress node prefer its own instance`),
  activeIsBackup: (service: string, active: string) =>
    error('active-is-backup', `service ${q(service)} has active ${q(active)}, which is a backup backend`, 'the active backend cannot be a backup; drop `backup: true` or choose another'),
  allBackups: (service: string) =>
    error('all-backups', `every backend of ${q(service)} is a backup, so none would get traffic`, 'make at least one backend a primary (drop `backup: true`)'),
  backendNodeAndAddress: (owner: string) =>
    error('backend-node-and-address', `a backend of ${owner} has both \`node:\` and \`address:\``, 'use `node:` for a managed node, or `address:` with `port:` and `site:` for one made by hand'),
  roleWithoutNodes: (what: string, role: string) =>
    error('role-without-nodes', `${what} names role ${q(role)}, but no node has it`, `add ${q(role)} to the roles of at least one node`),

  // failure analysis
  singlePointOfFailure: (what: string, level: 'node' | 'site', culprits: readonly string[], detail: string, severity: 'error' | 'warning'): Message => ({
    code: level === 'node' ? 'spof-node' : 'spof-site',
    severity,
    message: `${what} does not survive the loss of ${level} ${culprits.map(q).join(' or ')}: ${detail}`,
    hint:
      (level === 'node' ? 'add a member on another node' : 'add a member on another site') +
      (severity === 'warning' ? `; \`platform.survive: ${level}\` makes this an error` : `; the platform must survive the loss of a ${level} (platform.survive or --strict)`),
  }),

  // ---- L4 (haproxy) messages go here ----
  tcpDuplicatePort: (entry: string, port: number, first: string) =>
    error('tcp-duplicate-port', `tcp entry ${q(entry)} has port ${port}, which tcp entry ${q(first)} already uses`, 'every l4 node serves every tcp entry, so each needs a port of its own: change one `port:`, or route both by TLS server name with `sni: [HOST, ...]` on each'),
  tcpSniDuplicate: (entry: string, host: string, port: number, first: string) =>
    error('tcp-sni-duplicate', `tcp entry ${q(entry)} routes SNI name ${q(host)} on port ${port}, which tcp entry ${q(first)} already routes there`, 'one name can reach one entry on a port: remove it from one `sni:` list'),
  reachIngressBackend: (service: string, backend: string) =>
    error(
      'reach-ingress-backend',
      `service ${q(service)} is reached through its nodes' ingress (reach: ingress), but its backend ${q(backend)} is not on a node with role ingress`,
      `give that node role ingress, or set \`reach: address\` on service ${q(service)}`,
    ),
  reachIngressInternalTls: (service: string) =>
    error(
      'reach-ingress-internal-tls',
      `service ${q(service)} is reached through its nodes' ingress (reach: ingress), but with \`tls: internal\` each node's certificates come from its own local authority, which the peers and the edge cannot verify`,
      'use `tls: acme` (or `off` on a private overlay), or `reach: address` for this service',
    ),
  routingCycle: (path: readonly string[]) =>
    error(
      'routing-cycle',
      `requests can loop between the proxies: ${path.join(' → ')}`,
      'a `local:` URL must reach the instance itself (a container name or an address), never a name that the edge or an ingress routes',
    ),
  tcpNoTarget: (entry: string) =>
    error('tcp-no-target', `tcp entry ${q(entry)} has neither \`to:\` nor \`backends:\`, so HAProxy would have nowhere to send its connections`, 'add `backends: [NODE, ...]` for plain TCP, or `to: { redis: GROUP }` / `to: { postgres: CLUSTER }` to follow a group\'s writable member'),
  tcpToConflict: (entry: string, key: string, target: string) =>
    error(
      'tcp-to-conflict',
      `tcp entry ${q(entry)} follows ${target} with \`to:\`, so \`${key}:\` does not apply`,
      key === 'backends' || key === 'backend_port'
        ? `remove \`${key}:\`: the group's members and port are the backends; or remove \`to:\` for a plain TCP entry`
        : key === 'check'
          ? 'remove `check:`: a `to:` entry gets a protocol-aware check (Redis role, Patroni /primary); `check: tcp` is for plain backends'
          : `remove \`${key}:\`: only the group's current writable member gets traffic, so there is nothing to balance or prefer`,
    ),
  postgresMemberWithoutAddress: (cluster: string, node: string, entry: string) =>
    error('postgres-member-without-address', `Postgres cluster ${q(cluster)} has member ${q(node)}, which has no address, and tcp entry ${q(entry)} routes to its primary`, `give node ${q(node)} an \`address:\` (its overlay address: HAProxy checks Patroni and connects to Postgres there)`),
  l4WithoutTcp: (node: string) =>
    warning(
      'l4-without-tcp',
      `node ${q(node)} has role l4, but the inventory has no \`tcp:\` entry, so no haproxy.cfg is written for it`,
      'HAProxy will not start without a listener: add a `tcp:` entry for the l4 nodes to serve, or remove `l4` from this node\'s roles',
    ),
  tcpPortTaken: (entry: string, port: number, nodes: readonly string[], other: string, fix: string) =>
    warning(
      'tcp-port-taken',
      `tcp entry ${q(entry)} makes HAProxy listen on port ${port} on ${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.map(q).join(', ')}, where ${other} listens on ${port} too`,
      `HAProxy binds the port on every address of every l4 node, so one of the two cannot start there: ${fix} (the other listener is shown below)`,
    ),

  // ---- VIP (keepalived) messages go here ----
  duplicateRouterId: (vip: string, routerId: number, first: string) =>
    error('duplicate-router-id', `VIP ${q(vip)} has router_id ${routerId}, which VIP ${q(first)} already uses`, 'give each VIP its own router_id (1 to 255): VRRP tells the groups apart by it alone'),
  drainLeavesNothing: (what: string, nodes: readonly string[]) =>
    error(
      'drain-leaves-nothing',
      `${what} has nothing left to send traffic to: ${nodes.map(q).join(', ')} ${nodes.length === 1 ? 'is' : 'are'} drained`,
      `add a backend or member on another node first (hacompile add-backend), or undrain ${nodes.length === 1 ? 'it' : 'one'} (hacompile undrain NODE)`,
    ),
  vipMemberWithoutInterface: (vip: string, node: string) =>
    error('vip-member-without-interface', `VIP ${q(vip)} has member ${q(node)}, which has no interface`, `give node ${q(node)} an \`interface:\` (where the VIP lives on it, e.g. eth0)`),
  vipMemberWithoutAddress: (vip: string, node: string) =>
    error('vip-member-without-address', `VIP ${q(vip)} has member ${q(node)}, which has no address`, `give node ${q(node)} an \`address:\` (its overlay address: VRRP adverts go there by unicast)`),
  vipAddressTaken: (vip: string, ip: string, node: string, kind: 'overlay' | 'public') =>
    error('vip-address-taken', `VIP ${q(vip)} has address ${ip}, which is the ${kind} address of node ${q(node)}`, 'a VIP needs an address of its own that no node holds; pick a free one in the same subnet'),

  // ---- Redis Sentinel messages go here ----
  redisQuorumTooHigh: (group: string, quorum: number, sentinels: number) =>
    error(
      'redis-quorum-too-high',
      `Redis group ${q(group)} has quorum ${quorum}, but it has only ${sentinels} Sentinel${sentinels === 1 ? '' : 's'} (one per member), so the master could never be declared down and no failover would ever start`,
      `set \`quorum:\` between 1 and ${sentinels}, or leave it out: the default is a majority (${Math.floor(sentinels / 2) + 1})`,
    ),
  redisQuorumMinority: (group: string, quorum: number, sentinels: number) => {
    const majority = Math.floor(sentinels / 2) + 1;
    return warning(
      'redis-quorum-minority',
      `Redis group ${q(group)} has quorum ${quorum} of ${sentinels} Sentinels, less than a majority (${majority}): ${quorum === 1 ? 'one Sentinel' : `${quorum} Sentinels`} alone can declare the master down, and the others then vote for the failover without checking the master themselves`,
      `a Sentinel cut off from a healthy master (a fault on its own link) can then fail it over; set \`quorum: ${majority}\`, or leave it out to get a majority`,
    );
  },
  redisMemberWithoutAddress: (group: string, node: string) =>
    error('redis-member-without-address', `Redis group ${q(group)} has member ${q(node)}, which has no address`, `give node ${q(node)} an \`address:\` (its overlay address: Redis and Sentinel listen there, and the other members reach it there)`),
  redisSentinelPortIsPort: (group: string, port: number) =>
    error('redis-sentinel-port-is-port', `Redis group ${q(group)} has sentinel_port ${port}, the same as its Redis port`, 'Redis and its Sentinel are two processes on each member and need two ports: the usual pair is 6379 and 26379'),
  redisPortTaken: (group: string, what: 'port' | 'sentinel_port', port: number, isDefault: boolean, node: string, other: string) =>
    error(
      'redis-port-taken',
      `Redis group ${q(group)} has ${what} ${port}${isDefault ? ' (the default)' : ''} on node ${q(node)}, where ${other} already listens on it`,
      `every Redis, Sentinel and HAProxy port on a node must be its own: ${isDefault ? `set \`${what}:\`` : `change \`${what}:\``} to a free port (the other listener is shown below)`,
    ),

  // ---- DNS, Mongo and Patroni messages go here ----
  evenMembers: (kind: 'mongo' | 'postgres', group: string, members: number) => {
    const need = Math.floor(members / 2) + 1;
    const survives = members - need;
    return error(
      kind === 'mongo' ? 'mongo-even-members' : 'patroni-even-members',
      `${kind === 'mongo' ? 'Mongo replica set' : 'Postgres cluster'} ${q(group)} has ${members} members, an even number: electing a ${kind === 'mongo' ? 'primary' : 'Patroni leader'} needs ${need} of them, so it survives the loss of ${survives === 0 ? 'no member' : survives === 1 ? 'one member' : `${survives} members`}, like ${members - 1} member${members - 1 === 1 ? '' : 's'} would`,
      'list an odd number of nodes: 3 survive the loss of one, 5 the loss of two',
    );
  },
  mongoSrvWithoutZone: (group: string, host: string, domain: string) =>
    error('mongo-srv-without-zone', `Mongo replica set ${q(group)} asks for mongodb+srv://${host}/, but no zone ${q(domain)} is defined`, `add \`dns: { zones: { ${domain}: { nameservers: [...] } } }\`: its SRV and TXT records live in the platform domain's zone, beside the members' own names; or drop \`srv:\``),
  mongoSrvMemberWithoutPublic: (group: string, node: string, target: string) =>
    error('mongo-srv-target-without-address', `Mongo replica set ${q(group)} has member ${q(node)}, which has no public address, so its SRV target ${target} would have no A or AAAA record`, `give node ${q(node)} \`public:\` addresses (mongodb+srv clients connect to ${target}), or drop \`srv:\``),
  mongoSrvShared: (group: string, host: string, first: string) =>
    error('mongo-srv-txt-twice', `Mongo replica set ${q(group)} uses the same srv as ${q(first)}: ${host} would get two TXT records and one mixed seed list`, 'give each replica set its own `srv:` name: a mongodb+srv client rejects a name with more than one TXT record'),
  mongoSrvUserTxt: (host: string, group: string) =>
    error('mongo-srv-txt-twice', `this TXT record would be a second one at ${host}, where Mongo replica set ${q(group)} has its replicaSet TXT record`, 'remove it: a mongodb+srv client rejects a name with more than one TXT record (set `auth_source:` on the replica set for authSource)'),
  nameserverWithoutAddress: (zone: string, ns: string, node: string | undefined) =>
    error(
      'dns-nameserver-without-address',
      `nameserver ${ns} is inside zone ${q(zone)} but has no A or AAAA record there`,
      node !== undefined
        ? `it is named after node ${q(node)}, which has no public address: give the node \`public:\` addresses, or add an A record for ${ns}. to the zone's records`
        : `add \`{ name: ${ns}., type: A, value: ... }\` to the zone's records, or name the nameserver after a node with public addresses (<node>.${zone})`,
    ),
  cnameAndOtherData: (owner: string, others: string) =>
    error('dns-cname-and-other-data', `this CNAME record shares the name ${owner} with other records: ${others}`, 'a CNAME must be the only record at its name (RFC 1034 3.6.2): use an A record, or another name'),
  recordJoinsGenerated: (owner: string, type: string, generated: string, what: string) =>
    error('dns-record-joins-generated', `this ${type} record would join the ${generated} generated at ${owner} for ${what}`, `change ${what} in the inventory instead, or give this record another name`),
  duplicateRecord: (owner: string, type: string) =>
    error('dns-duplicate-record', `the ${type} record at ${owner} is listed twice with the same value`, 'remove one of them'),
  recordTtlMismatch: (owner: string, type: string, ttl: string, other: string) =>
    error('dns-ttl-mismatch', `the ${type} records at ${owner} have different TTLs (${ttl} and ${other}), but one name and type is one record set with one TTL`, 'give every record of this name and type the same `ttl:` (or none: the zone TTL)'),
  recordHidesWildcard: (owner: string, type: string, wildcard: string, what: string) =>
    warning('dns-record-hides-wildcard', `this ${type} record makes ${owner} exist, so the wildcard ${wildcard} of ${what} no longer gives that name an address (RFC 4592)`, `add an A record at ${owner} too, or use a name outside ${wildcard.slice(2)}`),
  recordBelowDelegation: (owner: string, cut: string) =>
    error('dns-record-below-delegation', `${owner} is at or below ${cut}, which an NS record of the zone delegates to other nameservers, so this zone would not serve it`, `move the record into the delegated zone, or remove the NS record at ${cut}; only the address records of the delegation's own nameservers (glue) may stay`),
  generatedBelowDelegation: (owner: string, what: string) =>
    error('dns-record-below-delegation', `this NS record delegates ${owner} to other nameservers, which hides the records generated there for ${what}`, 'give the delegation another name, or rename what generates the records'),
  serviceNamedLikeNode: (name: string, domain: string) =>
    error('dns-service-named-like-node', `service ${q(name)} and node ${q(name)} would both own ${name}.${domain} in zone ${q(domain)}`, 'rename the service (or the node): a name resolves to one set of addresses'),
  globalOutsidePlatformZone: (zone: string, domain: string) =>
    error('dns-global-outside-platform-zone', `zone ${q(zone)} has \`global:\`, but services are named <service>.${domain}, so only zone ${q(domain)} can hold their records`, `move \`global:\` to zone ${q(domain)}, or remove it`),
  wildcardWithoutResolver: () =>
    error('wildcard-without-dns-resolver', '`tls: wildcard` with ingress nodes needs `platform.acme.dns_resolver`: Traefik gets wildcard certificates only through the DNS challenge', 'name the certificate resolver of the static Traefik config that uses `dnsChallenge`, e.g. `acme: { dns_resolver: le-dns }`'),
  nameUnresolved: (name: string, daemon: string, servers: string, zone: string, answer: string, fix: string) =>
    error('name-unresolved', `${name} is served by ${daemon} on ${servers}, but zone ${q(zone)} ${answer}`, fix),
  namesExternal: (count: number, points: string) =>
    warning('name-external', `${count} served name${count === 1 ? ' is' : 's are'} outside every managed zone; set at the registrar: ${points}`, 'add a zone under `dns.zones` for their domain to have hacompile write them, or set these records where the domain is registered'),
  certLimit: (count: number, domain: string, who: string, limit: number) =>
    warning('cert-limit', `the platform asks the CA for ${count} certificates under ${domain} (${who}), above its limit of ${limit} per registered domain per week`, 'use `tls: wildcard` (one certificate per daemon with *.<domain> and *.<node>.<domain>), or fewer names; `platform.acme.certs_per_week` sets the CA\'s limit'),
  globalEmpty: (zone: string, answer: string, fix: string) =>
    error('dns-global-empty', `the global answer of zone ${q(zone)} (${answer}) has no address, so every service name would resolve to nothing`, fix),
  recordOutOfZone: (name: string, zone: string) =>
    error('dns-record-out-of-zone', `record name ${q(name)} is not inside zone ${q(zone)}`, `write it relative to the zone (\`www\`, \`@\` for the apex) or as an absolute name ending in .${zone}.`),
  recordOwnerNotHostname: (name: string, type: string) =>
    error('dns-record-owner-not-hostname', `${article(type)} ${type} record cannot be named ${q(name)}: its owner must be a host name (letters, digits and '-', no '_' label)`, `rename it; '_' labels are for TXT, SRV and CNAME records such as _dmarc or _acme-challenge`),
  relativeNameWithZone: (name: string, zone: string) =>
    error('dns-relative-name-repeats-zone', `${q(name)} has no trailing dot, so it is relative to the zone and means ${name}.${zone}.`, `write it relative (\`${name === zone ? '@' : name.slice(0, -zone.length - 1)}\`) or absolute with the trailing dot (\`${name}.\`)`),
  recordBadValue: (type: string, value: string, why: string, format: string) =>
    error('dns-record-value', `the value ${q(value)} of this ${type} record ${why}`, `${article(type)} ${type} value is ${format}`),
  targetWithoutAddress: (type: string, target: string, zone: string) =>
    error('dns-target-without-address', `this ${type} record points at ${target}, which is inside zone ${q(zone)} but has no A or AAAA record`, `add an address record for ${target} to the zone (or to a node), or point at a name that has one; ${type} targets must not be CNAMEs`),
} as const;

/** `an A`, `an MX`, `an SRV`, `a CNAME`, `a TXT`: record types read letter by letter or as a word. */
function article(type: string): string {
  return /^(A|AAAA|MX|NS|SRV)$/.test(type) ? 'an' : 'a';
}

const TYPE_HINTS: Readonly<Record<string, string>> = {
  'a mapping': 'write indented `name: value` entries under it, not `- item` lines',
  'a list': 'write `[a, b]`, or one `- item` per line',
  'a whole number': 'write a number such as 8080, without quotes',
};

function lowerFirst(s: string): string {
  const t = s.replace(/\.$/, '');
  return t.length > 0 ? t[0]!.toLowerCase() + t.slice(1) : t;
}

function pluralSection(kind: string): string {
  switch (kind) {
    case 'node':
      return 'nodes';
    case 'site':
      return 'sites';
    case 'VIP':
      return 'vips';
    case 'Redis group':
      return 'redis';
    case 'Postgres cluster':
      return 'postgres';
    case 'Mongo replica set':
      return 'mongo';
    case 'middleware':
      return 'middlewares';
    default:
      return kind;
  }
}
