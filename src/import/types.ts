/** What `hacompile import` reads from a running platform, before it becomes inventory text. */

/** A machine found in a tailnet or a cluster. */
export interface FoundNode {
  name: string;
  address?: string;
  /** Where it was found, for the comment beside its entry: `status.json: Peer "nodekey:…"`. */
  source: string;
}

/** A container and its labels, each with where it was written. */
export interface Container {
  /** The Compose service or container name. */
  name: string;
  /** The name other containers on its network reach it by (container_name, else the service). */
  host: string;
  labels: { key: string; value: string; source: string }[];
  /** Ports the container listens on (Compose `expose`/`ports` targets, docker's ExposedPorts). */
  ports: number[];
  source: string;
}

export interface Finding {
  level: 'warning' | 'error';
  message: string;
}

/** Every importer's result: what it found, what it skipped (and why), and its findings. */
export interface Found<T> {
  items: T[];
  skipped: string[];
  findings: Finding[];
}
