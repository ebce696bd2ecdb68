/**
 * The message catalogue: every diagnostic hacompile prints is built here, so wording, codes and
 * hints stay consistent. Call sites say `m.unknownReference(...)`, never free text.
 */
import type { Message } from './types.js';

const q = (s: unknown): string => JSON.stringify(s);
const error = (code: string, message: string, hint?: string): Message => ({ code, severity: 'error', message, ...(hint ? { hint } : {}) });
const warning = (code: string, message: string, hint?: string): Message => ({ code, severity: 'warning', message, ...(hint ? { hint } : {}) });
const didYouMean = (suggestion: string | undefined): string => (suggestion ? `did you mean ${q(suggestion)}? ` : '');

export const m = {
  // phase 1: reading files
  noInventoryFiles: (dir: string) =>
    error('no-inventory', `no inventory files found under ${dir}`, 'create at least one .yaml file there, or pass --inventory DIR'),
  yamlSyntax: (detail: string) => error('yaml-syntax', `YAML syntax error: ${detail}`, 'fix the YAML at this place'),
  duplicateYamlKey: (key: string) =>
    error('duplicate-key', `key ${q(key)} appears twice in this mapping`, 'remove one of them; later keys do not override earlier ones'),
  fileNotMapping: () =>
    error('file-not-mapping', 'an inventory file must be a mapping of sections (platform, sites, nodes, services, ...)', 'start the file with a section name such as `services:`'),
  tooManyAliases: () => error('yaml-aliases', 'too many YAML alias expansions in this file', 'write the repeated values out, or use fewer aliases'),
  duplicateDefinition: (path: string) =>
    error('duplicate-definition', `${path} is defined in two places`, 'keep one definition; files are merged, not overridden'),
  firstDefinedHere: () => 'first defined here',

  // phase 2: schema
  unknownKey: (key: string, where: string, suggestion: string | undefined, allowed: readonly string[]) =>
    error('unknown-key', `unknown key ${q(key)} in ${where}`, `${didYouMean(suggestion)}allowed keys: ${allowed.join(', ')}`),
  missingKey: (key: string, where: string) => error('missing-key', `${where} needs ${q(key)}`, `add \`${key}:\` to ${where}`),
  wrongType: (where: string, expected: string, actual: string) =>
    error('wrong-type', `${where} must be ${expected}, not ${actual}`),
  invalidValue: (where: string, value: unknown, what: string | undefined) =>
    error('invalid-value', `${where} has an invalid value ${q(value)}`, what ? `expected ${lowerFirst(what)}` : undefined),
  invalidName: (where: string, name: string, what: string | undefined) =>
    error('invalid-name', `${q(name)} is not a valid name in ${where}`, what ? `expected ${lowerFirst(what)}` : undefined),
  notInEnum: (where: string, value: unknown, allowed: readonly unknown[], suggestion: string | undefined) =>
    error('invalid-value', `${where} is ${q(value)}, which is not one of ${allowed.map(q).join(', ')}`, suggestion ? didYouMean(suggestion).trim() : undefined),
  outOfRange: (where: string, value: unknown, limit: string) => error('out-of-range', `${where} is ${q(value)}, ${limit}`),
  schemaOther: (where: string, text: string) => error('invalid-value', `${where} ${text}`),

  // phase 2: rules
  platformMissing: () =>
    error('platform-missing', 'no file defines `platform:`', 'add a platform section with at least `domain:` and `contact:`'),
  unknownReference: (what: string, kind: string, name: string, suggestion: string | undefined) =>
    error('unknown-reference', `${what} names ${kind} ${q(name)}, which is not defined`, `${didYouMean(suggestion)}define it under ${pluralSection(kind)}:, or fix the name`),
  backendWithoutAddress: (service: string, node: string) =>
    error('backend-without-address', `service ${q(service)} has a backend on node ${q(node)}, which has no address`, `give node ${q(node)} an \`address:\` (its overlay address)`),
  duplicateHostname: (host: string, owner: string) =>
    error('duplicate-hostname', `hostname ${q(host)} of ${owner} is served twice`, 'each hostname must belong to one service; remove or rename one'),
  duplicateBackend: (service: string, key: string) =>
    error('duplicate-backend', `service ${q(service)} lists backend ${q(key)} twice`, 'list each backend once'),
  activeNotBackend: (service: string, active: string) =>
    error('active-not-backend', `service ${q(service)} has active ${q(active)}, which is not one of its backends`, 'set `active:` to a node listed in `backends:`'),
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

  // ---- VIP (keepalived) messages go here ----

  // ---- Redis Sentinel messages go here ----

  // ---- DNS, Mongo and Patroni messages go here ----
} as const;

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
    default:
      return kind;
  }
}
