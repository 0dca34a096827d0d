/**
 * Helpers for CLI tests: an Io that records what a command prints, a fake agent client whose
 * calls are recorded, and a runner of command classes in process (`Command.run(argv)`) that
 * captures stdout, stderr and the exit code.
 */
import path from 'node:path';
import { Config } from '@oclif/core';
import { ClientApi } from '../../src/api/service';
import { CliClient, ReportedError, setClientFactory } from '../../src/cli/shared/accio-command';
import { Io } from '../../src/cli/shared/io';
import { Clock } from '../../src/cli/shared/runs';

export interface RecordedIo {
  io: Io;
  out: string[];
  err: string[];
  warnings: string[];
  statuses: string[];
}

/** An Io that keeps every line; `out` lines are split on line breaks. */
export function recordingIo(): RecordedIo {
  const rec: RecordedIo = { out: [], err: [], warnings: [], statuses: [], io: undefined as unknown as Io };
  rec.io = {
    out: (line = '') => rec.out.push(...line.split('\n')),
    err: (line = '') => rec.err.push(...line.split('\n')),
    warn: (m) => rec.warnings.push(m),
    status: (line) => {
      if (line !== undefined) rec.statuses.push(line);
    },
    color: false,
  };
  return rec;
}

export interface Call {
  method: string;
  args: unknown[];
}

export type FakeClient = CliClient & { calls: Call[]; closed: boolean };

/** A client implementing only `methods`; any other call fails the test. Every call is recorded. */
export function fakeClient(methods: Partial<ClientApi>): FakeClient {
  const calls: Call[] = [];
  const state = { closed: false };
  const handler: ProxyHandler<object> = {
    get(_t, prop) {
      if (prop === 'calls') return calls;
      if (prop === 'closed') return state.closed;
      if (prop === 'close') return () => { state.closed = true; };
      if (prop === 'then') return undefined; // not a promise
      const name = String(prop);
      return async (...args: unknown[]) => {
        calls.push({ method: name, args });
        const impl = (methods as Record<string, ((...a: unknown[]) => unknown) | undefined>)[name];
        if (!impl) throw new Error(`unexpected call ${name}(${JSON.stringify(args)})`);
        return impl(...args);
      };
    },
  };
  return new Proxy({}, handler) as FakeClient;
}

/** The calls to one method. */
export function callsTo(client: FakeClient, method: string): unknown[][] {
  return client.calls.filter((c) => c.method === method).map((c) => c.args);
}

/** A clock whose sleeps return at once and advance time. */
export function instantClock(startMs = Date.UTC(2026, 0, 1)): Clock & { sleeps: number } {
  const clock = {
    t: startMs,
    sleeps: 0,
    now: () => clock.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      clock.sleeps++;
      clock.t += ms;
    },
  };
  return clock;
}

let config: Config | undefined;

/** The oclif configuration of this repository, loaded once. */
export async function cliConfig(): Promise<Config> {
  config ??= await Config.load(path.resolve(__dirname, '..', '..'));
  return config;
}

export interface CommandOutcome<T> {
  result?: T;
  /** The error the command failed with (after the base command reported it). */
  error?: unknown;
  exitCode: number;
  stdout: string;
  stderr: string;
}

interface RunnableCommand<T> {
  run(argv?: string[], opts?: Config): Promise<T>;
}

/**
 * Runs a command class as the binary would, with `client` as the agent connection; captures what
 * it writes and its exit code, then restores the process state (exit code, streams, factory).
 */
export async function runCommand<T>(command: RunnableCommand<T>, argv: string[], client?: CliClient): Promise<CommandOutcome<T>> {
  const cfg = await cliConfig();
  const restore = setClientFactory(() => {
    if (!client) throw new Error('this command was not expected to connect to an agent');
    return client;
  });
  let stdout = '';
  let stderr = '';
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stderr.write;
  const exitCodeBefore = process.exitCode;
  try {
    const result = await command.run(argv, cfg);
    return { result, exitCode: Number(process.exitCode ?? 0), stdout, stderr };
  } catch (error) {
    const exitCode = error instanceof ReportedError ? error.exitCode : Number(process.exitCode ?? 1);
    return { error: error instanceof ReportedError ? error.cause : error, exitCode, stdout, stderr };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.exitCode = exitCodeBefore;
    restore();
  }
}
