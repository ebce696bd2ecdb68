/** Where the CLI writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether what goes to stdout may be coloured (decided for that stream alone). */
  colorOut: boolean;
  /** Whether what goes to stderr may be coloured. */
  colorErr: boolean;
  /** Whether a write failed for another reason than a reader gone away (the exit code becomes 2). */
  failed?: () => boolean;
}

/**
 * Colour for one stream: FORCE_COLOR set turns it on (`0` or `false` off, as Node reads it);
 * otherwise NO_COLOR set to anything but the empty string turns it off (no-color.org), as does
 * TERM=dumb; otherwise only a terminal gets it, so nothing redirected to a file is coloured.
 */
export function colorFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/**
 * The process's streams. A reader that goes away (`hacompile graph | head -1`: EPIPE) ends the
 * output quietly, and the command ends as it would have; any other failure to write (a full
 * device) is said once on stderr and makes the exit code 2. Never a stack trace.
 */
export function processIo(): Io {
  const closed = { out: false, err: false };
  const watch = (name: 'out' | 'err', stream: NodeJS.WriteStream): void => {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (closed[name]) return;
      closed[name] = true;
      if (e.code === 'EPIPE') return;
      process.exitCode = 2;
      if (name === 'out' && !closed.err) process.stderr.write(`error: cannot write to standard output: ${e.code === 'ENOSPC' ? 'no space left on the device' : e.message}\n`);
    });
  };
  watch('out', process.stdout);
  watch('err', process.stderr);
  return {
    out: (t) => void (closed.out || process.stdout.write(t)),
    err: (t) => void (closed.err || process.stderr.write(t)),
    colorOut: colorFor(process.stdout),
    colorErr: colorFor(process.stderr),
    failed: () => process.exitCode === 2,
  };
}
