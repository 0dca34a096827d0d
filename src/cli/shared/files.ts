/**
 * Reading the files named on a command line, and commands that work on several targets (files,
 * run ids): one failing target is reported and the others still run.
 */
import { promises as fsp } from 'node:fs';
import { exitCodeFor } from './accio-command';
import { CommandFailedError, UsageError, formatError } from './errors';
import { Io } from './io';

/** Reads a text file; a missing or unreadable file is a usage error (exit 1). */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(err);
    throw new UsageError(`cannot read ${file}: ${why}`, { cause: err });
  }
}

/** A target that failed, in a command working on several. */
export interface TargetFailure {
  target: string;
  /** The exit code its error maps to. */
  exitCode: number;
  message: string;
}

/**
 * Runs `fn` on each target in turn. With one target its error propagates as it is (the base
 * command reports it in full). With several, an error that concerns one target (usage, invalid
 * definition, not found: exit codes 1 to 3) is printed under the target's name and the next one
 * runs; an agent that cannot be reached or an internal error stops everything. At the end, if any
 * target failed, throws a CommandFailedError with the worst exit code.
 */
export async function forEachTarget<R>(targets: readonly string[], fn: (target: string) => Promise<R>, io: Io, what: string): Promise<R[]> {
  if (targets.length === 1) return [await fn(targets[0])];
  const results: R[] = [];
  const failures: TargetFailure[] = [];
  for (const target of targets) {
    try {
      results.push(await fn(target));
    } catch (err) {
      const exitCode = exitCodeFor(err);
      if (exitCode > 3) throw err;
      const [first, ...rest] = formatError(err, { color: false });
      io.err(`${target}: ${first.replace(/^Error: /, '')}`);
      for (const line of rest) io.err(`  ${line}`);
      failures.push({ target, exitCode, message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (failures.length > 0) {
    throw new CommandFailedError(`${failures.length} of ${targets.length} ${what} failed`, Math.max(...failures.map((f) => f.exitCode)), {
      data: { results, failures },
    });
  }
  return results;
}
