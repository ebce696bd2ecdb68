import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { compile } from '../../index.js';
import { FORMATTERS } from '../../diagnostics/format/index.js';
import { fromCompose, fromDockerInspect } from '../../import/compose.js';
import { parseEnvFile } from '../../import/interpolate.js';
import { fromLabels } from '../../import/labels.js';
import { fromOpenSvc, fromTailscale, mergeNodes } from '../../import/nodes.js';
import { render } from '../../import/render.js';
import type { Finding, FoundNode } from '../../import/types.js';
import { displayPath, readInventory } from '../read.js';
import { EXIT, inventoryOption, type CommandContext } from './shared.js';

interface ImportOptions {
  inventory: string;
  out?: string;
  tailscale?: string;
  om?: string;
  compose: string[];
  envFile: string[];
  profile: string[];
  dockerInspect?: string;
  only?: string;
  site?: string;
  node?: string;
  domain?: string;
  contact?: string;
  dryRun?: boolean;
}

const many = (v: string, prev: string[]) => [...prev, v];
const posix = (p: string) => p.split(path.sep).join('/');

/** `hacompile import`: an inventory file from what runs (tailnet, OpenSVC, Compose, docker inspect). */
export function registerImport(program: Command, { io, exit }: CommandContext): void {
  const cmd = program.command('import').description('write an inventory file from what runs: tailscale status --json, om node ls --format json, Compose files, docker inspect');
  inventoryOption(cmd)
    .option('-o, --out <file>', 'the file to write (never replaced; default: <inventory>/imported.yaml)')
    .option('--tailscale <file>', 'output of `tailscale status --json` (- for stdin)')
    .option('--om <file>', 'output of `om node ls --format json` (- for stdin)')
    .option('--compose <file>', 'a Docker Compose file (repeatable; include: is followed)', many, [] as string[])
    .option('--env-file <file>', 'variables for Compose interpolation (repeatable; default: .env beside the first Compose file)', many, [] as string[])
    .option('--profile <name>', 'a Compose profile to include (repeatable)', many, [] as string[])
    .option('--docker-inspect <file>', 'output of `docker inspect` (- for stdin)')
    .option('--only <tag>', 'tailnet devices with this tag are nodes (default: any tagged device)')
    .option('--site <site>', 'the site of every imported node (no source knows sites)')
    .option('--node <node>', 'the node the Compose or docker containers run on')
    .option('--domain <domain>', 'platform domain, when the inventory has no platform yet')
    .option('--contact <mailbox>', 'platform contact (default: hostmaster@<domain>)')
    .option('--dry-run', 'print the inventory; write nothing')
    .action((o: ImportOptions) => {
      const findings: Finding[] = [];
      const skipped: string[] = [];
      let stdinUsed = false;
      const read = (file: string): string | undefined => {
        if (file === '-') {
          if (stdinUsed) throw new Error('only one source can be read from stdin');
          stdinUsed = true;
          return readFileSync(0, 'utf8');
        }
        return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      };
      const need = (file: string): string | undefined => {
        const t = read(file);
        if (t === undefined) findings.push({ level: 'error', message: `${file}: no such file` });
        return t;
      };
      const sources: string[] = [];
      const nodeLists: FoundNode[][] = [];
      if (o.tailscale) {
        const t = need(o.tailscale);
        if (t !== undefined) {
          const r = fromTailscale(t, o.tailscale === '-' ? 'stdin' : o.tailscale, o.only);
          nodeLists.push(r.items);
          skipped.push(...r.skipped);
          findings.push(...r.findings);
          sources.push(`${o.tailscale === '-' ? 'stdin' : o.tailscale} (tailscale status --json)`);
        }
      }
      if (o.om) {
        const t = need(o.om);
        if (t !== undefined) {
          const r = fromOpenSvc(t, o.om === '-' ? 'stdin' : o.om);
          nodeLists.push(r.items);
          findings.push(...r.findings);
          sources.push(`${o.om === '-' ? 'stdin' : o.om} (om node ls --format json)`);
        }
      }
      const containers = [];
      if (o.compose.length) {
        const envFiles = o.envFile.length ? o.envFile : [posix(path.join(path.dirname(o.compose[0]!), '.env'))].filter((f) => existsSync(f));
        let vars = new Map<string, string>();
        for (const f of envFiles) {
          const t = need(f);
          if (t !== undefined) vars = parseEnvFile(t, vars);
        }
        const r = fromCompose({ files: o.compose.map(posix), vars, profiles: o.profile, read: (f) => read(f) });
        containers.push(...r.items);
        skipped.push(...r.skipped);
        findings.push(...r.findings);
        sources.push(...o.compose.map((f) => `${f} (Docker Compose${envFiles.length ? `, variables from ${envFiles.join(', ')}` : ''})`));
      }
      if (o.dockerInspect) {
        const t = need(o.dockerInspect);
        if (t !== undefined) {
          const r = fromDockerInspect(t, o.dockerInspect === '-' ? 'stdin' : o.dockerInspect);
          containers.push(...r.items);
          findings.push(...r.findings);
          sources.push(`${o.dockerInspect} (docker inspect)`);
        }
      }
      if (sources.length === 0 && !findings.length) {
        io.err('error: nothing to import: give --tailscale, --om, --compose or --docker-inspect\n');
        return exit(EXIT.invalid);
      }
      if (containers.length && !o.node) findings.push({ level: 'error', message: 'the containers run on a node no source names: give it with --node NODE' });
      const existing = readInventory(o.inventory);
      const had = compile(existing);
      const defined = new Set(had.model?.nodes.map((n) => n.name) ?? []);
      const labels = fromLabels(containers, o.domain ?? had.model?.platform.domain);
      findings.push(...labels.findings);
      const nodes = mergeNodes(nodeLists).filter((n) => {
        if (!defined.has(n.name)) return true;
        skipped.push(`${n.name}: already defined in ${displayPath(o.inventory)}/ (${n.source})`);
        return false;
      });
      const hasPlatform = existing.some((f) => /^platform:/m.test(f.text));
      if (!hasPlatform && !o.domain) findings.push({ level: 'error', message: `${displayPath(o.inventory)}/ has no platform: give --domain DOMAIN (and --contact MAILBOX)` });
      const hasSite = o.site !== undefined && existing.some((f) => new RegExp(`^\\s+${o.site}:`, 'm').test(f.text) && /^sites:/m.test(f.text));
      for (const f of findings.filter((x) => x.level === 'warning')) io.err(`warning: ${f.message}\n`);
      const errors = findings.filter((x) => x.level === 'error');
      if (errors.length) {
        for (const f of errors) io.err(`error: ${f.message}\n`);
        io.err(`${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written\n`);
        return exit(EXIT.invalid);
      }
      const text = render({
        sources,
        ...(!hasPlatform && o.domain ? { platform: { domain: o.domain, contact: o.contact ?? `hostmaster@${o.domain}` } } : {}),
        ...(o.site && !hasSite ? { site: o.site } : {}),
        nodes: nodes.map((n) => n),
        ...(o.node ? { node: o.node } : {}),
        services: labels.services,
        tcp: labels.tcp,
        skipped,
      });
      const target = o.out ?? path.join(o.inventory, 'imported.yaml');
      const shown = posix(path.relative(process.cwd(), path.resolve(target)));
      // Does it compile beside the inventory it joins? If not, say exactly what to add.
      const inInventory = path.resolve(target).startsWith(path.resolve(o.inventory) + path.sep);
      const result = compile(inInventory ? [...existing, { path: shown, text }] : [{ path: shown, text }]);
      if (o.dryRun) io.out(text);
      const errs = result.diagnostics.filter((d) => d.severity === 'error');
      if (errs.length) {
        io.err(FORMATTERS.text(errs, { source: (f) => (f === shown ? text : result.locator.source(f)), color: io.colorErr }));
        io.err(`${shown} does not compile yet: add what the errors above name${!o.site ? ' (every node needs a site: --site SITE, or write one per node)' : ''}\n`);
      }
      if (o.dryRun) return exit(errs.length ? EXIT.invalid : EXIT.ok);
      if (existsSync(target)) {
        io.err(`error: ${shown} exists; it is never replaced: give another --out, or remove it\n`);
        return exit(EXIT.invalid);
      }
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text, { flag: 'wx' });
      io.err(`wrote ${shown}: ${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${labels.services.length} service${labels.services.length === 1 ? '' : 's'}, ${labels.tcp.length} tcp entr${labels.tcp.length === 1 ? 'y' : 'ies'}${skipped.length ? `; ${skipped.length} not imported (listed at its end)` : ''}\n`);
      if (errs.length) return exit(EXIT.invalid);
      io.err(`it compiles: run \`hacompile build\`${inInventory ? '' : ` after moving it into ${displayPath(o.inventory)}/`}\n`);
    });
}
