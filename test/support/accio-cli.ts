/**
 * Runs the built `accio` binary (`node bin/run.js`, which loads the commands compiled to dist/) as
 * a child process, the way a user runs it: with env ACCIO_ADDR pointing at an agent, stdout,
 * stderr and the exit code captured, and `--json` output parsed as the command's envelope.
 *
 * Always asynchronous: the agent of most end-to-end tests runs inside the mocha process, and a
 * synchronous spawn would block the event loop that agent answers from.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { ErrorEnvelope, SuccessEnvelope } from '../../src/cli/shared/accio-command';
import { waitFor } from './wait-for';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ACCIO_BIN = path.join(REPO_ROOT, 'bin', 'run.js');
const BUILT_COMMAND = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'commands', 'submit.js');
/** Copied beside the compiled client by `npm run build` (scripts/copy-generated.js); tsc alone leaves it out. */
const BUILT_THRIFT = path.join(REPO_ROOT, 'dist', 'src', 'api', 'gen-nodejs', 'AgentService.js');

export interface CliResult {
  /** The exit code; null when the process ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** `host:port` of the agent, passed as env ACCIO_ADDR (not as --addr, to test the variable). */
  addr?: string;
  cwd?: string;
  /** Added to (or, when undefined, removed from) the inherited environment. */
  env?: Record<string, string | undefined>;
  /** How long `runAccio` lets the command run before killing it and failing. @default 60_000 */
  timeoutMs?: number;
}

/** A command started in the background: `agent`, `logs -f`. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly args: readonly string[];
  /** What it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once it exited. */
  readonly exited: Promise<CliResult>;
  /** Whether it has exited. */
  hasExited(): boolean;
}

const running = new Set<CliProcess>();

function assertBuilt(): void {
  for (const file of [BUILT_COMMAND, BUILT_THRIFT]) {
    if (!fs.existsSync(file)) throw new Error(`the accio binary needs the build: ${file} is missing; run "npm run build" first`);
  }
}

function childEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ACCIO_USER: 'e2e' };
  delete env.ACCIO_ADDR;
  if (options.addr !== undefined) env.ACCIO_ADDR = options.addr;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Starts `accio <args>` and returns at once; `stopAccioProcesses()` ends whatever is still running. */
export function startAccio(args: readonly string[], options: CliOptions = {}): CliProcess {
  assertBuilt();
  const child = spawn(process.execPath, [ACCIO_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: childEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let done = false;
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': the output streams are complete then.
    child.once('close', (code, signal) => {
      done = true;
      running.delete(proc);
      resolve({ code, signal, stdout, stderr });
    });
  });
  const proc: CliProcess = {
    child,
    args,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    hasExited: () => done,
  };
  running.add(proc);
  return proc;
}

/** Runs `accio <args>` to its end. */
export async function runAccio(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const proc = startAccio(args, options);
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      proc.child.kill('SIGKILL');
      reject(new Error(`accio ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${proc.stdout()}\nstderr: ${proc.stderr()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops every command started here that is still running: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopAccioProcesses(graceMs = 5_000): Promise<void> {
  await Promise.all([...running].map((p) => stopAccio(p, graceMs)));
}

/** Stops one background command: SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
export async function stopAccio(proc: CliProcess, graceMs = 5_000): Promise<CliResult> {
  if (!proc.hasExited()) {
    proc.child.kill('SIGTERM');
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
    try {
      return await proc.exited;
    } finally {
      clearTimeout(timer);
    }
  }
  return proc.exited;
}

/** What a command printed, for assertion messages. */
export function describeResult(r: CliResult): string {
  return `exit ${r.code ?? r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** The `--json` envelope on stdout: `{ status, result, warnings }` on success, the error envelope otherwise. */
export function envelope<T>(r: CliResult): SuccessEnvelope<T> | ErrorEnvelope {
  try {
    return JSON.parse(r.stdout) as SuccessEnvelope<T> | ErrorEnvelope;
  } catch (err) {
    throw new Error(`stdout is not a JSON envelope (${(err as Error).message})\n${describeResult(r)}`);
  }
}

/** The `result` of a command that exited 0 with `--json`; fails with everything it printed otherwise. */
export function jsonResult<T>(r: CliResult): T {
  if (r.code !== 0) throw new Error(`expected exit 0\n${describeResult(r)}`);
  const env = envelope<T>(r);
  if (env.status !== 0 || !('result' in env)) throw new Error(`expected status 0 in the envelope\n${describeResult(r)}`);
  return env.result;
}

/** The error envelope of a command that failed with `--json`, checked against the exit code. */
export function jsonError(r: CliResult, exitCode: number): ErrorEnvelope {
  if (r.code !== exitCode) throw new Error(`expected exit ${exitCode}\n${describeResult(r)}`);
  const env = envelope<unknown>(r);
  if (env.status !== exitCode) throw new Error(`expected status ${exitCode} in the envelope\n${describeResult(r)}`);
  return env as ErrorEnvelope;
}

/** A loopback port nothing listens on (at the time of the call). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `accio agent` in the background and waits until it says where it listens. */
export async function startAgentProcess(port: number, dataDir: string, options: { config?: string; timeoutMs?: number } = {}): Promise<CliProcess> {
  const args = ['agent', '--port', String(port), '--data-dir', dataDir, ...(options.config ? ['--config', options.config] : [])];
  const proc = startAccio(args);
  await waitFor(`accio agent on port ${port} to listen`, () => {
    if (proc.hasExited()) throw new Error(`the agent exited early\nstdout: ${proc.stdout()}\nstderr: ${proc.stderr()}`);
    return proc.stdout().includes(`Agent listening on 127.0.0.1:${port}`) ? true : undefined;
  }, options.timeoutMs ?? 20_000);
  return proc;
}
