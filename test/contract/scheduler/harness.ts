/**
 * What a scheduler contract test gets from the implementation under test, and the fake executor
 * it runs (test/support/fake-executor.cjs): tests write a plan per task and read back what the
 * executor saw.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ExecutorExit, ExecutorJob, Scheduler } from '../../../src/plugins/scheduler/scheduler';
import { waitFor } from './wait-for';

export const FAKE_EXECUTOR = path.resolve(__dirname, '../../support/fake-executor.cjs');

/** What the implementation under test must run, and the capacity it must offer. */
export interface FakeExecutorSetup {
  /** Argv prefix of the fake executor. */
  executorCommand: string[];
  /** Environment the executor must receive (besides ACCIO_TASK_TOKEN). */
  env: Record<string, string>;
  /** Cores the scheduler may hand out in total. */
  totalCpu: number;
  /** Memory the scheduler may hand out in total, in MiB. */
  totalMemoryMb: number;
}

export interface SchedulerUnderTest {
  scheduler: Scheduler;
  /** Closes the scheduler and frees what `make` set up. */
  cleanup: () => Promise<void>;
}

export type MakeScheduler = (setup: FakeExecutorSetup) => Promise<SchedulerUnderTest>;

/** How a fake executor behaves; see test/support/fake-executor.cjs. */
export interface FakePlan {
  exitCode?: number;
  /** null: run until killed. */
  sleepMs?: number | null;
  ignoreSigterm?: boolean;
  grandchild?: boolean;
}

/** What a fake executor recorded when it started. */
export interface FakeReport {
  argv: string[];
  pid: number;
  cwd: string;
  env: Record<string, string>;
  grandchildPid: number | null;
}

/** The fake executors of one test: plans in, reports out. */
export class FakeExecutors {
  private constructor(readonly dir: string) {}

  static async create(): Promise<FakeExecutors> {
    return new FakeExecutors(await mkdtemp(path.join(tmpdir(), 'accio-fake-executor-')));
  }

  setup(capacity: { totalCpu: number; totalMemoryMb: number }): FakeExecutorSetup {
    return { executorCommand: [process.execPath, FAKE_EXECUTOR], env: { FAKE_EXECUTOR_DIR: this.dir }, ...capacity };
  }

  /** A job with a fresh task id and token, whose executor follows `plan`. */
  async job(plan: FakePlan, resources: { cpu?: number; memoryMb?: number } = {}): Promise<ExecutorJob> {
    const taskId = `task-${randomUUID()}`;
    await writeFile(path.join(this.dir, `${taskId}.plan.json`), JSON.stringify(plan));
    return {
      taskId,
      token: randomBytes(16).toString('hex'),
      agentAddr: '127.0.0.1:9999',
      resources: { cpu: resources.cpu ?? 1, memoryMb: resources.memoryMb ?? 64, diskMb: 0 },
      labels: { run: 'contract', node: 'Fake' },
    };
  }

  /** The report of a started executor, or undefined while it has not started. */
  async report(taskId: string): Promise<FakeReport | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, `${taskId}.started.json`), 'utf8')) as FakeReport;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  started(taskId: string, timeoutMs = 15_000): Promise<FakeReport> {
    return waitFor(() => this.report(taskId), { timeoutMs, what: `executor ${taskId} to start` });
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** Records every exit a scheduler reports. */
export class ExitRecorder {
  readonly exits: ExecutorExit[] = [];

  constructor(scheduler: Scheduler) {
    scheduler.onExit((exit) => this.exits.push(exit));
  }

  of(taskId: string): ExecutorExit[] {
    return this.exits.filter((e) => e.taskId === taskId);
  }

  exited(taskId: string, timeoutMs = 15_000): Promise<ExecutorExit> {
    return waitFor(() => this.of(taskId)[0], { timeoutMs, what: `executor ${taskId} to exit` });
  }
}

/**
 * Whether a process with this pid runs. A zombie counts as dead: an orphan is reaped by whatever
 * init the machine has, which may take its time.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; the command name before it is in parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch (err) {
    // ENOENT: it ended just now. Otherwise no /proc (macOS): the signal test is all there is.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** A fresh scheduler over fake executors for each test of a describe block. */
export interface SchedulerPerTest {
  fakes: FakeExecutors;
  scheduler: Scheduler;
  recorder: ExitRecorder;
}

/**
 * Registers the hooks that give every test its own fake executors and scheduler (with these
 * totals), and clean both up after it. Call inside a describe; read the fields inside tests.
 */
export function schedulerPerTest(make: MakeScheduler, totals: { totalCpu: number; totalMemoryMb: number }): SchedulerPerTest {
  const ctx = {} as SchedulerPerTest;
  let under: SchedulerUnderTest;
  beforeEach(async () => {
    ctx.fakes = await FakeExecutors.create();
    under = await make(ctx.fakes.setup(totals));
    ctx.scheduler = under.scheduler;
    ctx.recorder = new ExitRecorder(ctx.scheduler);
  });
  afterEach(async () => {
    await under.cleanup();
    await ctx.fakes.remove();
  });
  return ctx;
}
