/**
 * Scheduler for a single machine: each executor is a child process, admitted first come first
 * served while the CPU and memory that running executors declared fit the machine.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { appendFile, mkdir, open, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { AccioError, InvalidDefinitionError, UnavailableError, ValidationIssue } from '../../core/errors';
import { Resources } from '../../core/operator';
import { ExecutorExit, ExecutorJob, Scheduler, SchedulerStats } from './scheduler';

export interface LocalSchedulerOptions {
  /** Argv prefix of the executor, e.g. `[process.execPath, '/path/executor/main.js']`; the scheduler appends `--addr <agentAddr> --task-id <taskId>`. */
  executorCommand: string[];
  /** Holds one working directory per running task (`<workDir>/<taskId>`, removed after exit) and `logs/<taskId>.log`. */
  workDir: string;
  /** Cores the executors may declare in total. @default os.availableParallelism() */
  totalCpu?: number;
  /** Memory the executors may declare in total, in MiB. @default os.totalmem() in MiB */
  totalMemoryMb?: number;
  /**
   * The executors' whole environment, to which the scheduler adds `ACCIO_TASK_TOKEN`. Nothing is
   * inherited: the caller passes `process.env` if that is what it wants. @default {}
   */
  env?: Record<string, string>;
  /** Time between SIGTERM and SIGKILL when killing an executor. @default 5_000 */
  killGraceMs?: number;
  /**
   * Argv of a reusable executor (src/executor/worker.ts). When not empty, jobs run on long-lived
   * worker processes, one task at a time each, instead of a new process per task: module loading
   * and connections are paid once, which is what bounds the throughput of short tasks on a small
   * machine. Tasks of one worker share a process, so isolation is weaker; killing a task ends its
   * worker. @default [] (a new process per task)
   */
  workerCommand?: string[];
  /** A worker is replaced after this many tasks, bounding what a leak can pile up. @default 200 */
  maxTasksPerWorker?: number;
  /** An idle worker exits after this long. @default 30_000 */
  workerIdleMs?: number;
}

export type CompiledLocalSchedulerOptions = Required<LocalSchedulerOptions>;

/** Fills in defaults; reports every invalid field at once. */
export function compileLocalSchedulerOptions(options: LocalSchedulerOptions): CompiledLocalSchedulerOptions {
  const compiled: CompiledLocalSchedulerOptions = {
    executorCommand: options.executorCommand,
    workDir: options.workDir,
    totalCpu: options.totalCpu ?? os.availableParallelism(),
    totalMemoryMb: options.totalMemoryMb ?? Math.floor(os.totalmem() / 2 ** 20),
    env: options.env ?? {},
    killGraceMs: options.killGraceMs ?? 5_000,
    workerCommand: options.workerCommand ?? [],
    maxTasksPerWorker: options.maxTasksPerWorker ?? 200,
    workerIdleMs: options.workerIdleMs ?? 30_000,
  };
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(compiled.executorCommand) || compiled.executorCommand.length === 0 || !compiled.executorCommand[0]) {
    issues.push({ path: ['executorCommand'], message: 'must name the executor program' });
  }
  if (!compiled.workDir) issues.push({ path: ['workDir'], message: 'must be a directory path' });
  for (const field of ['totalCpu', 'totalMemoryMb'] as const) {
    if (!(compiled[field] > 0)) issues.push({ path: [field], message: `must be a positive number, not ${compiled[field]}` });
  }
  for (const field of ['maxTasksPerWorker', 'workerIdleMs'] as const) {
    if (!(compiled[field] > 0)) issues.push({ path: [field], message: `must be a positive number, not ${compiled[field]}` });
  }
  if (!(compiled.killGraceMs >= 0)) issues.push({ path: ['killGraceMs'], message: `must be a number of ms >= 0, not ${compiled.killGraceMs}` });
  if (issues.length) throw new InvalidDefinitionError('local scheduler options', issues);
  return { ...compiled, workDir: path.resolve(compiled.workDir) };
}

/** Task ids name directories and files, so they are restricted to a safe alphabet. */
const TASK_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/;

/** Tolerance when adding fractional cores, so 0.1 + 0.2 still fits in 0.3. */
const EPSILON = 1e-9;

/** The exit code reported for an executor that could not be started, as shells do for "command not found". */
export const SPAWN_FAILED_EXIT_CODE = 127;

/** A reusable executor process (options.workerCommand) and the task it runs, if any. */
interface Worker {
  child: ChildProcess;
  entry?: Entry;
  tasksRun: number;
  idleTimer?: NodeJS.Timeout;
}

interface Entry {
  job: ExecutorJob;
  state: 'queued' | 'starting' | 'running' | 'exited';
  child?: ChildProcess;
  /** Set when the job runs on a reusable worker rather than a process of its own. */
  worker?: Worker;
  killRequested: boolean;
  graceTimer?: NodeJS.Timeout;
  /** Resolves once the job left the scheduler (exited and reported, or dropped from the queue). */
  done: Promise<void>;
  resolveDone: () => void;
}

export class LocalScheduler implements Scheduler {
  private readonly options: CompiledLocalSchedulerOptions;
  private readonly queue: Entry[] = [];
  /**
   * Jobs still queued, by task id: a 10,000-child sweep must not scan the queue on every submit or
   * kill. A killed queued job leaves this map at once and is skipped when it reaches the queue's head.
   */
  private readonly queued = new Map<string, Entry>();
  /** Admitted jobs: starting or running. */
  private readonly active = new Map<string, Entry>();
  /** Removals of task directories still under way, so a resubmitted task id cannot lose its new directory. */
  private readonly cleanups = new Map<string, Promise<void>>();
  private readonly listeners: Array<(exit: ExecutorExit) => void> = [];
  private readonly workers = new Set<Worker>();
  private workerCount = 0;
  private usedCpu = 0;
  private usedMemoryMb = 0;
  private closed = false;

  constructor(options: LocalSchedulerOptions) {
    this.options = compileLocalSchedulerOptions(options);
  }

  /**
   * Queues the job; resolves at once. Jobs are admitted in submission order (a job that does not
   * fit holds back the ones behind it, so large jobs cannot starve). A job larger than the whole
   * machine is admitted when nothing else runs, so it cannot block the queue forever. Submitting a
   * task id that is queued or running again is ignored.
   */
  async submit(job: ExecutorJob): Promise<void> {
    if (this.closed) throw new UnavailableError('the local scheduler is closed');
    validateJob(job);
    if (this.active.has(job.taskId) || this.queued.has(job.taskId)) return;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const entry: Entry = { job, state: 'queued', killRequested: false, done, resolveDone };
    this.queue.push(entry);
    this.queued.set(job.taskId, entry);
    this.admit();
  }

  /** Resolves once SIGTERM is sent (SIGKILL follows after `killGraceMs`); `onExit` reports the end. */
  async kill(taskId: string): Promise<void> {
    const queued = this.queued.get(taskId);
    if (queued) {
      this.queued.delete(taskId);
      queued.state = 'exited';
      queued.resolveDone();
      return;
    }
    const entry = this.active.get(taskId);
    if (!entry || entry.killRequested) return;
    entry.killRequested = true;
    // A starting job is signalled as soon as its process exists.
    if (entry.state === 'running') this.terminate(entry);
  }

  onExit(listener: (exit: ExecutorExit) => void): void {
    this.listeners.push(listener);
  }

  stats(): SchedulerStats {
    return { queued: this.queued.size, running: this.active.size };
  }

  /** Drops the queue, kills every executor, and resolves once all have exited and been reported. */
  async close(): Promise<void> {
    this.closed = true;
    this.queued.clear();
    for (const entry of this.queue.splice(0)) {
      entry.state = 'exited';
      entry.resolveDone();
    }
    const running = [...this.active.values()];
    await Promise.all(running.map((e) => this.kill(e.job.taskId)));
    await Promise.all(running.map((e) => e.done));
    for (const worker of this.workers) if (!worker.entry) worker.child.kill('SIGKILL');
    await Promise.all(this.cleanups.values());
  }

  private admit(): void {
    while (!this.closed && this.queue.length > 0 && (this.queue[0].state === 'exited' || this.fits(this.queue[0].job.resources))) {
      const entry = this.queue.shift() as Entry;
      if (entry.state === 'exited') continue; // killed while queued
      this.queued.delete(entry.job.taskId);
      entry.state = 'starting';
      this.active.set(entry.job.taskId, entry);
      this.usedCpu += entry.job.resources.cpu;
      this.usedMemoryMb += entry.job.resources.memoryMb;
      void this.start(entry);
    }
  }

  private fits(resources: Resources): boolean {
    if (this.active.size === 0) return true;
    return this.usedCpu + resources.cpu <= this.options.totalCpu + EPSILON
      && this.usedMemoryMb + resources.memoryMb <= this.options.totalMemoryMb + EPSILON;
  }

  private async start(entry: Entry): Promise<void> {
    if (this.options.workerCommand.length > 0) return this.startOnWorker(entry);
    const { taskId, agentAddr, token } = entry.job;
    const taskDir = path.join(this.options.workDir, taskId);
    const logFile = path.join(this.options.workDir, 'logs', `${taskId}.log`);
    try {
      await this.cleanups.get(taskId);
      await rm(taskDir, { recursive: true, force: true });
      await mkdir(taskDir, { recursive: true });
      await mkdir(path.dirname(logFile), { recursive: true });
      const log = await open(logFile, 'a');
      try {
        const [program, ...prefix] = this.options.executorCommand;
        const child = spawn(program, [...prefix, '--addr', agentAddr, '--task-id', taskId], {
          cwd: taskDir,
          // The token goes in the environment: on the command line, `ps` would show it to every user.
          env: { ...this.options.env, ACCIO_TASK_TOKEN: token },
          stdio: ['ignore', log.fd, log.fd],
          // Its own process group, so a kill reaches whatever the executor started too.
          detached: true,
        });
        entry.child = child;
        child.once('exit', (code, signal) => void this.finish(entry, { exitCode: code ?? undefined, signal: signal ?? undefined }));
        child.once('error', (err) => {
          if (child.pid !== undefined) return; // a failed signal; the exit still comes
          void appendFile(logFile, `accio: cannot start the executor: ${err.message}\n`).catch(() => undefined)
            .then(() => this.finish(entry, { exitCode: SPAWN_FAILED_EXIT_CODE }));
        });
      } finally {
        // The child holds its own copy of the descriptor.
        await log.close();
      }
      if (entry.state === 'starting' && entry.child.pid !== undefined) {
        entry.state = 'running';
        if (entry.killRequested) this.terminate(entry);
      }
    } catch (err) {
      await appendFile(logFile, `accio: cannot prepare the executor: ${(err as Error).message}\n`).catch(() => undefined);
      await this.finish(entry, { exitCode: SPAWN_FAILED_EXIT_CODE });
    }
  }

  private async startOnWorker(entry: Entry): Promise<void> {
    try {
      const idle = [...this.workers].find((w) => !w.entry && w.child.connected);
      const worker = idle ?? (await this.spawnWorker());
      clearTimeout(worker.idleTimer);
      worker.entry = entry;
      entry.worker = worker;
      entry.child = worker.child;
      entry.state = 'running';
      const { taskId, token, agentAddr } = entry.job;
      // Over IPC, so the token appears on no command line.
      worker.child.send({ taskId, token, agentAddr });
      if (entry.killRequested) this.terminate(entry);
    } catch (err) {
      const logFile = path.join(this.options.workDir, 'logs', `${entry.job.taskId}.log`);
      await mkdir(path.dirname(logFile), { recursive: true }).catch(() => undefined);
      await appendFile(logFile, `accio: cannot start an executor worker: ${(err as Error).message}\n`).catch(() => undefined);
      await this.finish(entry, { exitCode: SPAWN_FAILED_EXIT_CODE });
    }
  }

  private async spawnWorker(): Promise<Worker> {
    const dir = path.join(this.options.workDir, 'workers');
    const logFile = path.join(this.options.workDir, 'logs', `worker-${++this.workerCount}.log`);
    await mkdir(dir, { recursive: true });
    await mkdir(path.dirname(logFile), { recursive: true });
    const log = await open(logFile, 'a');
    try {
      const [program, ...args] = this.options.workerCommand;
      const child = spawn(program, args, { cwd: dir, env: { ...this.options.env }, stdio: ['ignore', log.fd, log.fd, 'ipc'], detached: true });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      const worker: Worker = { child, tasksRun: 0 };
      this.workers.add(worker);
      child.on('message', (done: { taskId: string; exitCode: number }) => this.taskOver(worker, done));
      child.once('exit', (code, signal) => {
        this.workers.delete(worker);
        clearTimeout(worker.idleTimer);
        const entry = worker.entry;
        worker.entry = undefined;
        if (entry) void this.finish(entry, { exitCode: code ?? undefined, signal: signal ?? undefined });
      });
      return worker;
    } finally {
      await log.close();
    }
  }

  /** A worker finished its task: it reports as a one-shot executor's exit would, and stays for the next. */
  private taskOver(worker: Worker, done: { taskId: string; exitCode: number }): void {
    const entry = worker.entry;
    if (!entry || entry.job.taskId !== done.taskId || entry.killRequested) return;
    worker.entry = undefined;
    worker.tasksRun += 1;
    if (worker.tasksRun >= this.options.maxTasksPerWorker) this.retire(worker);
    else {
      worker.idleTimer = setTimeout(() => this.retire(worker), this.options.workerIdleMs);
      worker.idleTimer.unref();
    }
    void this.finish(entry, { exitCode: done.exitCode }, true);
  }

  /** Out of the pool first, so no job is handed to a worker that is on its way out. */
  private retire(worker: Worker): void {
    this.workers.delete(worker);
    worker.child.kill('SIGTERM');
  }

  private terminate(entry: Entry): void {
    signalGroup(entry, 'SIGTERM');
    entry.graceTimer = setTimeout(() => signalGroup(entry, 'SIGKILL'), this.options.killGraceMs);
  }

  private async finish(entry: Entry, outcome: { exitCode?: number; signal?: string }, keepProcess = false): Promise<void> {
    if (entry.state === 'exited') return;
    entry.state = 'exited';
    clearTimeout(entry.graceTimer);
    // Whatever the executor left running in its group goes with it; a worker that finished its task stays.
    if (!keepProcess) signalGroup(entry, 'SIGKILL');
    const { taskId, resources } = entry.job;
    this.active.delete(taskId);
    this.usedCpu = this.active.size ? this.usedCpu - resources.cpu : 0;
    this.usedMemoryMb = this.active.size ? this.usedMemoryMb - resources.memoryMb : 0;
    this.admit();

    const cleanup = rm(path.join(this.options.workDir, taskId), { recursive: true, force: true }).catch(() => undefined);
    this.cleanups.set(taskId, cleanup);
    await cleanup;
    if (this.cleanups.get(taskId) === cleanup) this.cleanups.delete(taskId);

    const exit: ExecutorExit = { taskId, killed: entry.killRequested };
    if (outcome.exitCode !== undefined) exit.exitCode = outcome.exitCode;
    if (outcome.signal !== undefined) exit.signal = outcome.signal;
    for (const listener of this.listeners) {
      try {
        listener(exit);
      } catch (err) {
        // One faulty listener must neither hide the exit from the others nor wedge the scheduler.
        process.emitWarning(`an onExit listener threw for task ${taskId}: ${(err as Error).message}`);
      }
    }
    entry.resolveDone();
  }
}

/** Signals the executor's process group; once the group is gone there is nothing to signal. */
function signalGroup(entry: Entry, signal: NodeJS.Signals): void {
  const pid = entry.child?.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    entry.child?.kill(signal);
  }
}

function validateJob(job: ExecutorJob): void {
  if (!TASK_ID.test(job.taskId ?? '')) {
    throw new AccioError('INVALID', `invalid task id ${JSON.stringify(job.taskId)}: use letters, digits, "_", "." and "-" (at most 200)`);
  }
  const { cpu, memoryMb } = job.resources ?? {};
  if (!(Number.isFinite(cpu) && cpu >= 0 && Number.isFinite(memoryMb) && memoryMb >= 0)) {
    throw new AccioError('INVALID', `task ${job.taskId}: resources need cpu and memoryMb >= 0, got cpu ${cpu}, memoryMb ${memoryMb}`);
  }
}
