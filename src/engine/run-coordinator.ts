/**
 * Drives runs through their lifecycle: schedules ready nodes (cache hit, wait for an identical key
 * in flight, or a new task), applies executor and scheduler events, detects lost tasks, retries.
 *
 * Every mutation of a run happens in `pass`, under that run's lock (no global lock), and writes the
 * run once. Jobs are submitted to the scheduler only after the run is saved, so an executor that
 * starts at once always finds its node SCHEDULED.
 */
import { cacheKey } from '../core/cache-key';
import { InvalidTaskError } from '../core/errors';
import { nodeSeed, resolveNodeInputs } from '../core/node-inputs';
import { ErrorInfo, isTerminalRun, OpResult, Run, RunState, Task } from '../core/run';
import { applyEvent, nextRetryAtMs, readyNodes, RunEvent } from '../core/state-machine';
import { OperatorRegistry } from '../core/operator';
import { Scheduler, ExecutorExit, ExecutorJob } from '../plugins/scheduler/scheduler';
import { StateManager, withLock } from '../plugins/statemgr/statemgr';
import { Storage } from '../plugins/storage/storage';
import { CompiledEngineOptions } from './engine-options';
import { newId, newToken } from './ids';
import { LoadedWorkflow, WorkflowCache } from './workflow-cache';

export interface CoordinatorDeps {
  storage: Storage;
  stateManager: StateManager;
  scheduler: Scheduler;
  operators: OperatorRegistry;
  workflows: WorkflowCache;
  options: CompiledEngineOptions;
  /** Called whenever a child run changed, so its parent's state is brought up to date. */
  onChildChanged: (parentId: string) => void;
}

type Mutation = (state: RunState, run: Run, wf: LoadedWorkflow) => RunState;

/** A lock held longer than this by a crashed agent is freed by the state manager. */
const RUN_LOCK_LEASE_MS = 60_000;
const RUN_LOCK_TIMEOUT_MS = 60_000;

export class RunCoordinator {
  /** Cache key -> the task computing it; a second node with the same key waits instead of running. */
  private readonly inFlight = new Map<string, string>();
  /** Cache key -> runs with a node waiting for that key. */
  private readonly waiters = new Map<string, Set<string>>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: CoordinatorDeps) {
    deps.scheduler.onExit((exit) => void this.onExecutorExit(exit).catch((err) => deps.options.log(`executor exit of task ${exit.taskId}`, err)));
  }

  /** Rebuilds in-memory bookkeeping from storage after a (re)start; resubmits tasks the scheduler lost. */
  async recover(): Promise<void> {
    for (const task of await this.deps.storage.listTasks()) {
      this.inFlight.set(task.payload.cacheKey, task.id);
      // A restarted local scheduler has an empty queue: tasks that never started must be submitted again.
      // Tasks that were running keep heartbeating, or the lost-task detector catches them.
      if (task.status === 'SCHEDULED') await this.deps.scheduler.submit(this.jobFor(task));
    }
  }

  /** Schedules whatever is ready in a run. Safe to call at any time, any number of times. */
  advance(runId: string): Promise<void> {
    return this.pass(runId, (state) => state);
  }

  async startTask(taskId: string, token: string): Promise<Task> {
    const task = await this.authorise(taskId, token);
    const now = this.deps.options.now();
    await this.pass(task.runId, (state, _run, wf) => this.apply(state, wf, { kind: 'started', node: task.node, taskId, atMs: now }), {
      onMissing: () => this.dropTask(task, 'its run was deleted'),
      afterSave: async () => {
        await this.deps.storage.saveTask({ ...task, status: 'RUNNING', startedAtMs: now, heartbeatAtMs: now });
      },
    });
    return task;
  }

  async heartbeat(taskId: string, token: string): Promise<void> {
    const task = await this.authorise(taskId, token);
    // Under the run lock, so a heartbeat racing a completion cannot bring the deleted task back.
    await withLock(this.deps.stateManager, lockKey(task.runId), async () => {
      const current = await this.deps.storage.getTask(taskId);
      if (!current) throw new InvalidTaskError(taskId, 'the task has ended');
      await this.deps.storage.saveTask({ ...current, heartbeatAtMs: this.deps.options.now() });
    }, { timeoutMs: RUN_LOCK_TIMEOUT_MS, leaseMs: RUN_LOCK_LEASE_MS });
  }

  async completeTask(taskId: string, token: string, outcome: { result: OpResult } | { error: ErrorInfo }): Promise<void> {
    const task = await this.authorise(taskId, token);
    const now = this.deps.options.now();
    const key = task.payload.cacheKey;
    // Indexed first: a node with the same key made ready by this completion then hits the cache.
    if ('result' in outcome) {
      await this.deps.storage.saveCacheEntry({ key, result: outcome.result, runId: task.runId, node: task.node, createdAtMs: now });
    }
    await this.pass(task.runId, (state, _run, wf) => {
      const event: RunEvent = 'result' in outcome
        ? { kind: 'succeeded', node: task.node, taskId, result: outcome.result, cacheKey: key, atMs: now }
        : { kind: 'failed', node: task.node, taskId, error: outcome.error, atMs: now };
      return this.apply(state, wf, event);
    }, {
      onMissing: () => this.dropTask(task, 'its run was deleted'),
      afterSave: () => this.endTask(task),
    });
  }

  /** Marks the node of a task LOST (its retry policy decides what follows) and forgets the task. */
  async taskLost(task: Task, reason: string): Promise<void> {
    const now = this.deps.options.now();
    await this.pass(task.runId, (state, _run, wf) =>
      this.apply(state, wf, { kind: 'lost', node: task.node, taskId: task.id, error: { classifier: 'lost', message: reason }, atMs: now }), {
      onMissing: () => this.dropTask(task, 'its run was deleted'),
      afterSave: () => this.endTask(task),
    });
    await this.deps.scheduler.kill(task.id);
  }

  /** Looks for RUNNING tasks whose executor went silent past the heartbeat timeout. */
  async detectLostTasks(): Promise<number> {
    const deadline = this.deps.options.now() - this.deps.options.heartbeatTimeoutMs;
    const silent = (await this.deps.storage.listTasks()).filter((t) => t.status === 'RUNNING' && (t.heartbeatAtMs ?? 0) < deadline);
    for (const task of silent) await this.taskLost(task, `no heartbeat for ${this.deps.options.heartbeatTimeoutMs} ms`);
    return silent.length;
  }

  /** Kills a single (non-parent) run: live tasks are stopped, their nodes KILLED, the rest CANCELLED. */
  async kill(runId: string): Promise<void> {
    const now = this.deps.options.now();
    await this.pass(runId, (state, _run, wf) => this.apply(state, wf, { kind: 'killed', atMs: now }), { schedule: false });
    for (const task of await this.deps.storage.listTasks(runId)) {
      await this.deps.scheduler.kill(task.id);
      await this.endTask(task);
    }
  }

  close(): void {
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
  }

  private async onExecutorExit(exit: ExecutorExit): Promise<void> {
    if (exit.killed) return;
    const task = await this.deps.storage.getTask(exit.taskId);
    // An executor reports completion before it exits: a task still stored means it never did.
    if (!task) return;
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
    await this.taskLost(task, `the executor ${how} before completing its task`);
  }

  private apply(state: RunState, wf: LoadedWorkflow, event: RunEvent): RunState {
    return applyEvent(state, wf.dag, event, () => this.deps.options.retry).state;
  }

  /** The task, when the token is its own; throws InvalidTaskError otherwise. */
  async authorise(taskId: string, token: string): Promise<Task> {
    const task = await this.deps.storage.getTask(taskId);
    if (!task) throw new InvalidTaskError(taskId, 'unknown task: it was completed, killed or declared lost');
    if (task.token !== token) throw new InvalidTaskError(taskId, 'wrong token');
    return task;
  }

  private async dropTask(task: Task, reason: string): Promise<never> {
    await this.endTask(task);
    throw new InvalidTaskError(task.id, reason);
  }

  /** Forgets a task that ended, and wakes the runs waiting for its cache key. */
  private async endTask(task: Task): Promise<void> {
    await this.deps.storage.deleteTask(task.id);
    const key = task.payload.cacheKey;
    if (this.inFlight.get(key) === task.id) this.inFlight.delete(key);
    const waiting = this.waiters.get(key);
    if (!waiting) return;
    this.waiters.delete(key);
    for (const runId of waiting) {
      void this.advance(runId).catch((err) => this.deps.options.log(`advancing run ${runId}`, err));
    }
  }

  private async pass(
    runId: string,
    mutate: Mutation,
    hooks: { onMissing?: () => Promise<void>; afterSave?: () => Promise<void>; schedule?: boolean } = {},
  ): Promise<void> {
    const jobs: ExecutorJob[] = [];
    let parent: string | undefined;
    await withLock(this.deps.stateManager, lockKey(runId), async () => {
      const run = await this.deps.storage.getRun(runId);
      if (!run) {
        if (hooks.onMissing) await hooks.onMissing();
        return;
      }
      if (run.children.length > 0) return; // sweep parents never execute; their state derives from children
      const wf = await this.deps.workflows.get(run.workflow);
      const before = run.state;
      let state = mutate(before, run, wf);
      if (hooks.schedule !== false && !isTerminalRun(state.status)) state = await this.schedule(run, state, wf, jobs);
      if (state !== before) await this.deps.storage.saveRun({ ...run, state });
      if (hooks.afterSave) await hooks.afterSave();
      this.armRetryTimer(runId, state);
      if (state.status !== before.status || state.progress !== before.progress) parent = run.parent;
    }, { timeoutMs: RUN_LOCK_TIMEOUT_MS, leaseMs: RUN_LOCK_LEASE_MS });
    for (const job of jobs) await this.deps.scheduler.submit(job);
    if (parent) this.deps.onChildChanged(parent);
  }

  /** Takes every ready node: a cache hit completes it at once (and may make more nodes ready). */
  private async schedule(run: Run, initial: RunState, wf: LoadedWorkflow, jobs: ExecutorJob[]): Promise<RunState> {
    let state = initial;
    const now = this.deps.options.now();
    const queue = readyNodes(state, wf.dag, now);
    const resultOf = (name: string) => state.nodes.find((n) => n.name === name)?.result;
    while (queue.length > 0) {
      const name = queue.shift()!;
      const spec = wf.nodes.get(name)!;
      const op = this.deps.operators.get(spec.op);
      const resolved = op ? resolveNodeInputs(spec, op, run.params, resultOf) : { ok: false as const, message: `unknown operator ${spec.op}` };
      if (!op || !resolved.ok) {
        state = this.failWithoutTask(state, wf, name, resolved.ok ? 'unknown operator' : resolved.message, now);
        continue;
      }
      const seed = nodeSeed(run.seed, name);
      const key = cacheKey({ op, inputs: resolved.inputs, seed });
      const hit = await this.deps.storage.getCacheEntry(key);
      if (hit) {
        const t = applyEvent(state, wf.dag, { kind: 'cacheHit', node: name, cacheKey: key, result: hit.result, atMs: now }, () => this.deps.options.retry);
        state = t.state;
        queue.push(...t.ready);
        continue;
      }
      if (this.inFlight.has(key)) {
        // Identical work is already running: wait for it, then take its result from the cache.
        if (!this.waiters.has(key)) this.waiters.set(key, new Set());
        this.waiters.get(key)!.add(run.id);
        continue;
      }
      // Claimed before the next await, so a concurrent pass of another run sees the key in flight.
      const taskId = newId();
      this.inFlight.set(key, taskId);
      const attempt = (state.nodes.find((n) => n.name === name)?.attempts ?? 0) + 1;
      const task: Task = {
        id: taskId,
        runId: run.id,
        node: name,
        attempt,
        token: newToken(),
        payload: { op: op.name, opVersion: op.version, seed, inputs: resolved.inputs, cacheKey: key, resources: op.resources },
        status: 'SCHEDULED',
        createdAtMs: now,
      };
      await this.deps.storage.saveTask(task);
      state = applyEvent(state, wf.dag, { kind: 'scheduled', node: name, taskId: task.id, atMs: now }, () => this.deps.options.retry).state;
      jobs.push(this.jobFor(task));
    }
    return state;
  }

  /** A node that cannot even start (unknown operator, unresolvable input) fails like a task would. */
  private failWithoutTask(state: RunState, wf: LoadedWorkflow, node: string, message: string, now: number): RunState {
    const taskId = `none-${newId()}`;
    const scheduled = this.apply(state, wf, { kind: 'scheduled', node, taskId, atMs: now });
    return this.apply(scheduled, wf, { kind: 'failed', node, taskId, error: { classifier: 'unschedulable', message }, atMs: now });
  }

  private jobFor(task: Task): ExecutorJob {
    return {
      taskId: task.id,
      token: task.token,
      agentAddr: this.deps.options.agentAddr,
      resources: task.payload.resources,
      labels: { run: task.runId, node: task.node, attempt: String(task.attempt) },
    };
  }

  private armRetryTimer(runId: string, state: RunState): void {
    const existing = this.retryTimers.get(runId);
    if (existing) clearTimeout(existing);
    this.retryTimers.delete(runId);
    const at = isTerminalRun(state.status) ? undefined : nextRetryAtMs(state);
    if (at === undefined) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(runId);
      void this.advance(runId).catch((err) => this.deps.options.log(`retrying in run ${runId}`, err));
    }, Math.max(0, at - this.deps.options.now()));
    timer.unref();
    this.retryTimers.set(runId, timer);
  }
}

export const lockKey = (runId: string): string => `run/${runId}`;
