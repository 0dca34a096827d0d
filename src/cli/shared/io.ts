/**
 * Where commands write. The plain command functions take an Io instead of touching process
 * streams, so tests record what they print and `--json` can silence the human output in one place.
 */

export interface Io {
  /** A line for people on stdout: tables, ids, details. */
  out(line?: string): void;
  /** A line on stderr: notes and progress that must not mix with stdout. */
  err(line?: string): void;
  /** A warning: shown on stderr and collected into the `warnings` of the JSON envelope. */
  warn(message: string): void;
  /**
   * A progress line on stderr. On a terminal it replaces the previous one in place; otherwise it is
   * printed only when it differs from the previous one, so logs get one line per change.
   * `undefined` ends the progress display (moves to a fresh line on a terminal).
   */
  status(line: string | undefined): void;
  /** Colour stdout text (stdout is a terminal and output is for people). */
  readonly color: boolean;
}

export interface StreamIoOptions {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Under `--json`, everything but the envelope is silent. */
  quiet: boolean;
  /** Receives every warning (the envelope's list). */
  onWarning(message: string): void;
}

/** The Io of a real process. */
export function streamIo(options: StreamIoOptions): Io {
  const { stdout, stderr, quiet } = options;
  const stderrTty = Boolean(stderr.isTTY);
  let drawn = false;
  let last: string | undefined;
  const endStatus = (): void => {
    if (drawn) stderr.write('\n');
    drawn = false;
  };
  return {
    out(line = '') {
      if (quiet) return;
      endStatus();
      stdout.write(`${line}\n`);
    },
    err(line = '') {
      if (quiet) return;
      endStatus();
      stderr.write(`${line}\n`);
    },
    warn(message) {
      options.onWarning(message);
      if (quiet) return;
      endStatus();
      stderr.write(`Warning: ${message}\n`);
    },
    status(line) {
      if (quiet) return;
      if (line === undefined) {
        endStatus();
        last = undefined;
        return;
      }
      if (stderrTty) {
        stderr.write(`\r\u001b[2K${line}`);
        drawn = true;
      } else if (line !== last) {
        stderr.write(`${line}\n`);
      }
      last = line;
    },
    color: !quiet && Boolean(stdout.isTTY),
  };
}
