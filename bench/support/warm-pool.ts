/**
 * PROTOTYPE, for bench/e2e-throughput.ts --warm-pool: what reusing executor processes would give.
 * A Scheduler with the local scheduler's admission (first come first served while declared CPU and
 * memory fit) whose jobs go to long-lived workers (pool-worker.ts) instead of a new process each;
 * a worker's "task over" message stands for the process exit. Kills end the worker. And an agent
 * wired as src/agent/agent.ts wires one (SQLite storage, local state manager, Thrift on loopback)
 * around it. Not part of Accio.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AgentConfig, loadAgentConfig } from '../../src/agent/config';
import { AgentApi } from '../../src/api/service';
import { connectAgent } from '../../src/api/thrift-client';
import { serveAgentApi } from '../../src/api/thrift-server';
import { Resources } from '../../src/core/operator';
import { AgentHandler, Engine } from '../../src/engine';
import { builtinRegistry } from '../../src/operators';
import { ExecutorExit, ExecutorJob, Scheduler, SchedulerStats } from '../../src/plugins/scheduler/scheduler';
import { LocalStateManager } from '../../src/plugins/statemgr/local';
import { SqliteStorage } from '../../src/plugins/storage/sqlite';
import { TestAgent } from '../../test/support/local-agent';
import { onExit, REPO_ROOT } from './bench-kit';
import type { PoolDone } from './pool-worker';

const WORKER = path.join(__dirname, 'pool-worker.ts');
/** tsx by absolute URL: workers run in the scheduler's work directory, outside the repository. */
const TSX = pathToFileURL(path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  job?: ExecutorJob;
  killed: boolean;
}

export interface WarmPoolOptions {
  totalCpu: number;
  totalMemoryMb: number;
  /** Workers started up front (more start on demand while admission allows). */
  prestart: number;
  workDir: string;
  env: Record<string, string>;
}

export class WarmPoolScheduler implements Scheduler {
  private readonly queue: ExecutorJob[] = [];
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<string, Worker>();
  private readonly listeners: ((exit: ExecutorExit) => void)[] = [];
  private usedCpu = 0;
  private usedMemoryMb = 0;
  private closed = false;

  constructor(private readonly options: WarmPoolOptions) {
    fs.mkdirSync(options.workDir, { recursive: true });
  }

  /** Starts the first workers and waits until they are ready. */
  async prestart(): Promise<void> {
    const workers = Array.from({ length: this.options.prestart }, () => this.startWorker());
    await Promise.all(workers.map((w) => w.ready));
    this.idle.push(...workers);
  }

  async submit(job: ExecutorJob): Promise<void> {
    this.queue.push(job);
    this.admit();
  }

  async kill(taskId: string): Promise<void> {
    const i = this.queue.findIndex((j) => j.taskId === taskId);
    if (i >= 0) {
      this.queue.splice(i, 1);
      return;
    }
    const w = this.busy.get(taskId);
    if (w) {
      w.killed = true;
      w.child.kill('SIGTERM');
    }
  }

  onExit(listener: (exit: ExecutorExit) => void): void {
    this.listeners.push(listener);
  }

  /** Process ids of the live workers. */
  pids(): number[] {
    return [...this.idle, ...this.busy.values()].map((w) => w.child.pid).filter((p): p is number => p !== undefined);
  }

  stats(): SchedulerStats {
    return { queued: this.queue.length, running: this.busy.size };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const all = [...this.idle, ...this.busy.values()];
    await Promise.all(all.map((w) => new Promise<void>((resolve) => {
      if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
      w.child.once('exit', () => resolve());
      w.child.kill('SIGTERM');
    })));
  }

  private fits(r: Resources): boolean {
    if (this.busy.size === 0) return true;
    return this.usedCpu + r.cpu <= this.options.totalCpu + 1e-9 && this.usedMemoryMb + r.memoryMb <= this.options.totalMemoryMb + 1e-9;
  }

  private admit(): void {
    while (!this.closed && this.queue.length > 0 && this.fits(this.queue[0].resources)) {
      const job = this.queue.shift()!;
      this.usedCpu += job.resources.cpu;
      this.usedMemoryMb += job.resources.memoryMb;
      const worker = this.idle.pop() ?? this.startWorker();
      worker.job = job;
      this.busy.set(job.taskId, worker);
      void worker.ready.then(() => worker.child.send({ taskId: job.taskId, token: job.token, agentAddr: job.agentAddr }));
    }
  }

  private release(worker: Worker, exit: ExecutorExit): void {
    const job = worker.job!;
    worker.job = undefined;
    this.busy.delete(job.taskId);
    this.usedCpu = this.busy.size ? this.usedCpu - job.resources.cpu : 0;
    this.usedMemoryMb = this.busy.size ? this.usedMemoryMb - job.resources.memoryMb : 0;
    for (const l of this.listeners) l(exit);
    this.admit();
  }

  private startWorker(): Worker {
    const log = fs.openSync(path.join(this.options.workDir, `worker-${process.hrtime.bigint()}.log`), 'a');
    const child = spawn(process.execPath, ['--import', TSX, WORKER], {
      cwd: this.options.workDir,
      env: { ...this.options.env, ACCIO_WORK_DIR: this.options.workDir },
      stdio: ['ignore', log, log, 'ipc'],
    });
    fs.closeSync(log);
    let markReady!: () => void;
    let failStart!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    ready.catch(() => undefined);
    const worker: Worker = { child, ready, killed: false };
    child.on('message', (m: PoolDone | { ready: true }) => {
      if ('ready' in m) return markReady();
      if (worker.job?.taskId !== m.taskId) return;
      this.release(worker, { taskId: m.taskId, exitCode: m.exitCode, killed: false });
      if (!this.closed) this.idle.push(worker);
    });
    child.once('exit', (code, signal) => {
      failStart(new Error(`a pool worker exited (code ${code}, signal ${signal}) before it was ready; see ${this.options.workDir}/worker-*.log`));
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
      if (worker.job) this.release(worker, { taskId: worker.job.taskId, exitCode: code ?? undefined, signal: signal ?? undefined, killed: worker.killed });
    });
    return worker;
  }
}

/**
 * An agent wired like src/agent/agent.ts (SQLite storage, local state manager, builtin operators,
 * Thrift on a random loopback port, fresh data directory) but with the warm pool as scheduler.
 */
export async function startWarmPoolAgent(options: { totalCpu?: number }): Promise<TestAgent & { scheduler: WarmPoolScheduler }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accio-bench-pool-'));
  const config: AgentConfig = loadAgentConfig({ env: {}, flags: { 'agent.dataDir': dataDir, 'agent.port': 0 } });
  // The server starts first (its port is the executors' address); calls reach the handler once it exists.
  const ref: { handler?: AgentApi } = {};
  const impl = new Proxy({} as AgentApi, {
    get: (_t, method: string) => (...a: unknown[]) => (ref.handler as unknown as Record<string, (...x: unknown[]) => unknown>)[method](...a),
  });
  const server = await serveAgentApi(impl, { host: '127.0.0.1', port: 0, logger: () => undefined });
  const addr = `127.0.0.1:${server.port}`;
  const storage = new SqliteStorage({ path: path.join(dataDir, 'accio.db') });
  const stateManager = new LocalStateManager();
  const totalCpu = options.totalCpu ?? os.availableParallelism();
  const scheduler = new WarmPoolScheduler({
    totalCpu,
    totalMemoryMb: Math.floor(os.totalmem() / 2 ** 20),
    // As many as admission lets run at once for the smallest jobs (0.5 CPU): none starts during the run.
    prestart: Math.max(1, Math.floor(totalCpu / 0.5)),
    workDir: path.join(dataDir, 'executors'),
    env: { PATH: process.env.PATH ?? '', ACCIO_UPLOADER: JSON.stringify({ type: 'local', path: path.join(dataDir, 'artifacts') }) },
  });
  await scheduler.prestart();
  const engine = new Engine({ storage, stateManager, scheduler, operators: builtinRegistry() }, { agentAddr: addr, log: () => undefined });
  ref.handler = new AgentHandler(engine, { version: 'bench', plugins: { storage: 'sqlite', statemgr: 'local', uploader: 'local', scheduler: 'warm-pool (prototype)' } });
  await engine.start();
  const client = connectAgent(addr);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client.close();
    await server.close();
    await engine.stop();
    await scheduler.close();
    await stateManager.close();
    await storage.close();
  };
  const cleanup = async () => {
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  onExit(cleanup);
  return { agent: { addr, config, engine, stop }, client, dataDir, stop, cleanup, scheduler };
}
