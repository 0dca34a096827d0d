/**
 * Shared pieces of the end-to-end benchmarks: the build check, a real agent (test/support's
 * in-process one: SQLite storage, local scheduler, executors from dist), statistics, the machine's
 * description and a global deadline. Not a benchmark itself.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startAgent } from '../../src/agent';
import { AgentClient, connectAgent } from '../../src/api/thrift-client';
import { isTerminalRun, Run, TERMINAL_RUN_STATUSES } from '../../src/core/run';
import { REPO_ROOT, TestAgent } from '../../test/support/local-agent';

export { REPO_ROOT };

export const EXECUTOR_MAIN = path.join(REPO_ROOT, 'dist', 'src', 'executor', 'main.js');

/** Executors start from the compiled code, as in production: without it they would run under tsx. */
export function requireBuild(): void {
  if (!fs.existsSync(EXECUTOR_MAIN)) {
    console.error(`${path.relative(process.cwd(), EXECUTOR_MAIN)} is missing: run 'npm run build' first`);
    process.exit(1);
  }
}

/** One line naming the machine, for the figures to mean something. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown cpu'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export interface BenchAgentOptions {
  /** Extra YAML configuration. */
  config?: string;
  /** Node flags of every executor, e.g. `--cpu-prof`. */
  executorNodeFlags?: string[];
  /** An existing data directory (kept at the end); otherwise a fresh one, removed at the end. */
  dataDir?: string;
}

/**
 * Starts an agent in this process as test/support/local-agent.ts does (Thrift on a random loopback
 * port, SQLite storage, local scheduler, executors from dist) and makes sure it is stopped and its
 * fresh data directory removed however the benchmark ends.
 */
export async function startBenchAgent(options: BenchAgentOptions = {}): Promise<TestAgent> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'accio-bench-'));
  const owned = options.dataDir === undefined;
  let configFile: string | undefined;
  if (options.config) {
    configFile = path.join(dataDir, 'bench-config.yaml');
    fs.writeFileSync(configFile, options.config);
  }
  let agent;
  try {
    agent = await startAgent({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      configFile,
      env: {},
      executorCommand: [process.execPath, ...(options.executorNodeFlags ?? []), EXECUTOR_MAIN],
      log: () => undefined,
    });
  } catch (err) {
    if (owned) fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const client = connectAgent(agent.addr);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client.close();
    await agent.stop();
  };
  const cleanup = async () => {
    await stop();
    if (owned) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  onExit(cleanup);
  return { agent, client, dataDir, stop, cleanup };
}

const exitHooks: (() => Promise<void> | void)[] = [];
let exiting = false;

/** Runs `hook` at the end (normal end, error, deadline, Ctrl-C), newest first. */
export function onExit(hook: () => Promise<void> | void): void {
  exitHooks.push(hook);
}

async function runExitHooks(): Promise<void> {
  if (exiting) return;
  exiting = true;
  for (const hook of exitHooks.reverse()) {
    try {
      await hook();
    } catch (err) {
      console.error('cleanup:', err);
    }
  }
}

/**
 * Runs the benchmark's body under a deadline, then cleans up and exits (the agent's handles
 * would otherwise keep the process alive).
 */
export function runBench(name: string, deadlineMs: number, body: () => Promise<void>): void {
  const timer = setTimeout(() => {
    console.error(`${name}: gave up after ${Math.round(deadlineMs / 1000)} s`);
    void runExitHooks().then(() => process.exit(2));
  }, deadlineMs);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void runExitHooks().then(() => process.exit(130)));
  }
  body()
    .then(async () => {
      clearTimeout(timer);
      await runExitHooks();
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    })
    .catch(async (err) => {
      clearTimeout(timer);
      console.error(err);
      await runExitHooks();
      process.exit(1);
    });
}

export async function pushWorkflowText(client: AgentClient, text: string): Promise<void> {
  const parsed = await client.parseWorkflow(text);
  if (!parsed.spec) throw new Error(`invalid workflow: ${JSON.stringify(parsed.errors)}`);
  await client.pushWorkflow(parsed.spec);
}

/** parseRun + createRun, as `accio submit` does. */
export async function submitRun(client: AgentClient, text: string, overrides: Record<string, string> = {}): Promise<string[]> {
  const parsed = await client.parseRun(text, overrides);
  if (!parsed.spec) throw new Error(`invalid run: ${JSON.stringify(parsed.errors)}`);
  return (await client.createRun({ spec: parsed.spec, user: 'bench' })).ids;
}

/** Polls getRun every `intervalMs` until the run is terminal. */
export async function waitTerminal(client: AgentClient, id: string, intervalMs: number, timeoutMs: number): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await client.getRun(id);
    if (isTerminalRun(run.state.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${run.state.status} after ${timeoutMs} ms (progress ${run.state.progress})`);
    await sleep(intervalMs);
  }
}

/**
 * Waits until a top-level run is terminal without fetching it: polls listRuns for terminal runs
 * whose text contains the id (the id is in the searched text). The answer is empty until the run
 * ends, so polling often costs the agent almost nothing, unlike getRun on a run of many nodes.
 * Returns the time it was seen terminal (performance.now()).
 */
export async function waitTerminalCheap(client: AgentClient, id: string, intervalMs: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await client.listRuns({ q: id, status: [...TERMINAL_RUN_STATUSES], limit: 1 });
    if (page.total > 0) return performance.now();
    if (Date.now() > deadline) throw new Error(`run ${id} not finished after ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The q-quantile (0..1) of samples, nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

export const mean = (samples: readonly number[]): number => samples.reduce((a, b) => a + b, 0) / samples.length;

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** CPU seconds of this process and of its reaped children (executors), from /proc (Linux). */
export function cpuSeconds(): { self: number; children: number } {
  const self = process.cpuUsage();
  let children = NaN;
  try {
    // Fields after the command name: state is field 3; cutime and cstime are fields 16 and 17.
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    // not Linux: children's CPU unknown
  }
  return { self: (self.user + self.system) / 1e6, children };
}

/** CPU seconds (user + system) of another process, from /proc (Linux); NaN when unknown. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The whole machine's busy and total CPU time in seconds since boot, from /proc/stat (Linux). */
export function machineCpuSeconds(): { busy: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = v[3] + v[4];
    return { busy: (total - idle) / 100, total: total / 100 };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/**
 * Others may share the machine (tests, builds): waits, up to `maxWaitMs`, for a second in which
 * the machine is at most `maxBusy` busy, and says what it found, so figures can be read with it.
 */
export async function waitForQuietMachine(maxWaitMs = 60_000, maxBusy = 0.2): Promise<string> {
  const deadline = Date.now() + maxWaitMs;
  let last = NaN;
  for (;;) {
    const a = machineCpuSeconds();
    await sleep(1000);
    const b = machineCpuSeconds();
    last = (b.busy - a.busy) / (b.total - a.total);
    if (!(last > maxBusy)) return `machine ${(last * 100).toFixed(0)}% busy before the measurement`;
    if (Date.now() > deadline) return `WARNING: machine still ${(last * 100).toFixed(0)}% busy with other work after ${maxWaitMs / 1000} s; figures are pessimistic`;
  }
}

export interface AgentProcess {
  addr: string;
  pid: number;
  /** What the agent wrote on stderr so far (its log). */
  stderr(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after 60 s). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A real agent process as a user starts it: `node [nodeFlags] bin/run.js agent --data-dir <dir>
 * --port 0 --host 127.0.0.1` (from dist; run `npm run build` first). Resolves once it listens.
 * Stopped at the end of the benchmark however it ends.
 */
export async function spawnAgentProcess(dataDir: string, options: { nodeFlags?: string[]; config?: string } = {}): Promise<AgentProcess> {
  const argv = [...(options.nodeFlags ?? []), path.join(REPO_ROOT, 'bin', 'run.js'), 'agent', '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1'];
  if (options.config) {
    const file = path.join(dataDir, 'bench-config.yaml');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, options.config);
    argv.push('--config', file);
  }
  const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    // Keep the end only: a long run can log a lot.
    err = (err + d.toString()).slice(-100_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const addr = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the agent did not start within 60 s: ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the agent exited at start (code ${child.exitCode}): ${err}`));
    });
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  onExit(stop);
  return { addr, pid: child.pid!, stderr: () => err, stop };
}

/** Resident and peak resident memory of a process in bytes, from /proc/<pid>/status (Linux). */
export function processMemory(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** A fresh temporary directory, removed at the end of the benchmark. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onExit(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Waits until a process used less than `maxCpu` of a core over a second (e.g. an agent done starting), at most `maxWaitMs`. */
export async function waitProcessIdle(pid: number, maxWaitMs = 120_000, maxCpu = 0.05): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const a = processCpuSeconds(pid);
    await sleep(1000);
    const b = processCpuSeconds(pid);
    if (!(b - a > maxCpu) || Date.now() - t0 > maxWaitMs) return Date.now() - t0;
  }
}

/** CPU seconds of this process's live child processes (e.g. long-lived executor workers), from /proc (Linux). */
export function liveChildrenCpuSeconds(): number {
  let total = 0;
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[1]) === process.pid) total += (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return NaN;
  }
  return total;
}
