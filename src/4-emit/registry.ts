import { caddy } from './caddy.js';
import { haproxy } from './haproxy.js';
import { dns } from './dns.js';
import { keepalived } from './keepalived.js';
import { traefik } from './traefik.js';
import { sentinel } from './sentinel.js';
import type { Emitter } from './types.js';

/** Every emitter, run in this order; each owns one daemon's files. */
export const EMITTERS: readonly Emitter[] = [
  caddy,
  traefik,
  // ---- haproxy, keepalived, sentinel/redis and dns emitters are added here, one line each ----
  haproxy,
  sentinel,
  dns,
  keepalived,
];
