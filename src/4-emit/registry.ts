import { caddy } from './caddy.js';
import { haproxy } from './haproxy.js';
import { dns } from './dns.js';
import { keepalived } from './keepalived.js';
import { traefik } from './traefik.js';
import { sentinel } from './sentinel.js';
import type { Emitter } from './types.js';

/**
 * Every emitter, run in this order; each owns one daemon's files. The order changes no byte (the
 * tree is sorted by path) but when files are ready for the CLI's output thread: the many small
 * per-node files first (a directory and a file each), written while the large Caddy and Traefik
 * files are made; HAProxy and DNS, little to write for what they compute, last, while the thread
 * finishes writing Traefik's.
 */
export const EMITTERS: readonly Emitter[] = [
  sentinel,
  keepalived,
  caddy,
  traefik,
  haproxy,
  dns,
];
