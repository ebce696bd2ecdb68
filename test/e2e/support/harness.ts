// What every e2e scenario shares: a temp dir, the compiled e2e inventory written into it, the
// namespaces for its nodes, and the processes started in them. useHarness() registers the
// beforeAll/afterAll pair; afterAll stops every process by its PID and removes the namespaces
// even when a test failed (the temp dir with the logs is kept then, and its path printed).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, onTestFailed } from 'vitest';
import { compileE2e, SUPPORT_DIR, type Compiled } from './compile.js';
import { CLIENT, createNetwork, removeLeftovers, type Network } from './netns.js';
import { Procs, type Proc } from './procs.js';

export interface Rec {
  /** Start and end, wall-clock ms. */
  s: number;
  e: number;
  ok: boolean;
  /** First line of the answer: the backend's node name. */
  body: string;
  err?: string;
  /** redis-writer: the value written. */
  n?: number;
}

export interface Harness {
  root: string;
  compiled: Compiled;
  net: Network;
  procs: Procs;
  /** Starts the stand-in backend on a node: `http:IP:PORT` / `tcp:IP:PORT` listeners answering the node's name. */
  backend(node: string, listens: string[]): Proc;
  /** Runs a bounded client mode of client.mjs in the client namespace and parses its records. */
  client(name: string, args: string[], timeoutMs: number): Promise<Rec[]>;
  /** Runs a client.mjs wait-* mode; throws with its message when it gives up. */
  wait(name: string, args: string[], timeoutMs: number): Promise<void>;
  /** A fresh directory under the temp root. */
  dir(name: string): string;
  /** Marks the run failed so that the temp dir is kept. */
  markFailed(): void;
}

const CLIENT_JS = path.join(SUPPORT_DIR, 'client.mjs');
const BACKEND_JS = path.join(SUPPORT_DIR, 'backend.mjs');

/** `inventory`: the scenario's inventory directory, or a function giving it once the scenario's root exists (it may write it there first); default test/e2e/inventory. */
export function useHarness(scenario: string, inventory?: string | ((root: string) => string)): () => Harness {
  let h: Harness | undefined;
  let failed = false;
  beforeAll(() => {
    if (process.getuid?.() !== 0) throw new Error('the e2e tests need root (network namespaces); CI runs them as root');
    const root = mkdtempSync(path.join(tmpdir(), `hac-e2e-${scenario}-`));
    const compiled = compileE2e(path.join(root, 'out'), typeof inventory === 'function' ? inventory(root) : inventory);
    const logs = path.join(root, 'logs');
    mkdirSync(logs);
    const procs = new Procs(logs);
    const nodes = compiled.model.nodes.map((n) => {
      if (!n.address) throw new Error(`e2e node ${n.name} has no address`);
      return { name: n.name, site: n.site, address: n.address };
    });
    const net = createNetwork(nodes);
    const dir = (name: string): string => {
      const d = path.join(root, name);
      mkdirSync(d, { recursive: true });
      return d;
    };
    h = {
      root,
      compiled,
      net,
      procs,
      dir,
      markFailed: () => (failed = true),
      backend: (node, listens) => procs.start(`backend-${node}`, process.execPath, [BACKEND_JS, node, ...listens], { ns: net.ns(node) }),
      async client(name, args, timeoutMs) {
        const r = await procs.run(name, process.execPath, [CLIENT_JS, ...args], { ns: CLIENT, timeoutMs });
        if (r.code !== 0) throw new Error(`client ${name} ended with ${r.code}`);
        return r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Rec);
      },
      async wait(name, args, timeoutMs) {
        const r = await procs.run(name, process.execPath, [CLIENT_JS, ...args], { ns: CLIENT, timeoutMs: timeoutMs + 5000 });
        if (r.code !== 0) throw new Error(`${name}: gave up after ${timeoutMs} ms (see ${path.join(logs, `${name}.log`)})`);
      },
    };
  });
  afterAll(async () => {
    if (!h) {
      removeLeftovers();
      return;
    }
    try {
      await h.procs.stopAll();
    } finally {
      h.net.remove();
      if (failed) console.error(`e2e ${scenario}: logs and generated files kept in ${h.root}`);
      else rmSync(h.root, { recursive: true, force: true });
    }
  });
  return () => {
    if (!h) throw new Error('harness not set up');
    onTestFailed(() => h?.markFailed());
    return h;
  };
}
