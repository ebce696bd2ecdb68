import { caddy } from './caddy.js';
import { haproxy } from './haproxy.js';
import { dns } from './dns.js';
import { keepalived } from './keepalived.js';
import { traefik } from './traefik.js';
import { sentinel } from './sentinel.js';
import type { Emitter } from './types.js';

/**
 * Every emitter, run in this order; each owns one daemon's files. The order changes no byte (the
 * tree is sorted by path) but when files are ready: the many small per-node files come first, so
 * the CLI's output thread writes them (a directory and a file each) while the large Caddy and
 * Traefik files are made.
 */
export const EMITTERS: readonly Emitter[] = [
  sentinel,
  keepalived,
  caddy,
  traefik,
  haproxy,
  dns,
];
