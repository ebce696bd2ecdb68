import { caddy } from './caddy.js';
import { dns } from './dns.js';
import { haproxy } from './haproxy.js';
import { keepalived } from './keepalived.js';
import { sentinel } from './sentinel.js';
import { traefik } from './traefik.js';
import type { Emitter } from './types.js';

/** Every emitter; each owns one daemon's files (the tree is sorted by path, so the order changes no byte). */
export const EMITTERS: readonly Emitter[] = [caddy, traefik, haproxy, keepalived, sentinel, dns];
