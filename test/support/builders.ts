/**
 * Builders of valid domain objects with random ids, for any test: `aRun({ owner: 'ada' })`.
 * Overrides are shallow, except `state` in `aRun`, which is merged into the default state.
 * An override set to `undefined` removes the field, so stored round trips compare equal.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_RESOURCES } from '../../src/core/operator';
import { LogLine, NodeState, Run, RunState, Task } from '../../src/core/run';
import { T } from '../../src/core/types';
import { Workflow } from '../../src/core/workflow';

/** 32 lower-case hex characters, the shape of run and task ids. */
export function randomId(): string {
  return randomUUID().replace(/-/g, '');
}

/** 64 lower-case hex characters, the shape of workflow versions and cache keys. */
export function randomHex64(): string {
  return randomBytes(32).toString('hex');
}

/** 2026-01-01T00:00:00Z: builders count time from here, so tests never read the clock. */
export const BASE_TIME_MS = Date.UTC(2026, 0, 1);

let tick = 0;
/** A time after every previous call's, so objects built in sequence are ordered oldest first. */
export function nextTimeMs(): number {
  tick += 1;
  return BASE_TIME_MS + tick * 1000;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function aNodeState(overrides: Partial<NodeState> = {}): NodeState {
  return withoutUndefined({ name: 'Source', status: 'WAITING', attempts: 0, cacheHit: false, ...overrides });
}

export type RunOverrides = Omit<Partial<Run>, 'state'> & { state?: Partial<RunState> };

/**
 * A single run of a two-node workflow, RUNNING: `Source` succeeded (with a result), `Score` runs.
 */
export function aRun(overrides: RunOverrides = {}): Run {
  const createdAtMs = overrides.createdAtMs ?? nextTimeMs();
  const state: RunState = withoutUndefined({
    status: 'RUNNING',
    progress: 0.5,
    startedAtMs: createdAtMs + 10,
    nodes: [
      aNodeState({
        name: 'Source',
        status: 'SUCCESS',
        attempts: 1,
        startedAtMs: createdAtMs + 10,
        completedAtMs: createdAtMs + 20,
        cacheKey: randomHex64(),
        result: { outputs: { data: { uri: `file:///tmp/accio/${randomId()}/data`, digest: `sha256:${randomHex64()}` }, n: 42 }, metrics: { wall_time_ms: 10 } },
      }),
      aNodeState({ name: 'Score', status: 'RUNNING', attempts: 1, startedAtMs: createdAtMs + 21, cacheKey: randomHex64(), taskId: randomId() }),
    ],
    ...overrides.state,
  });
  return withoutUndefined({
    id: randomId(),
    workflow: { id: `wf_${randomId().slice(0, 12)}`, version: randomHex64() },
    owner: 'tester',
    name: 'a test run',
    tags: [],
    seed: 1234,
    params: { n: 3 },
    children: [],
    ...overrides,
    createdAtMs,
    state,
  });
}

/** An active version of a two-node workflow (`Source` then `Score`) with one integer param. */
export function aWorkflow(overrides: Partial<Workflow> = {}): Workflow {
  return withoutUndefined({
    id: `wf_${randomId().slice(0, 12)}`,
    name: 'A test workflow',
    owner: 'tester',
    params: [{ name: 'n', type: T.integer, default: 3 }],
    graph: [
      { name: 'Source', op: 'Source', inputs: {} },
      { name: 'Score', op: 'Score', inputs: { data: { kind: 'reference', node: 'Source', port: 'data' } } },
    ],
    version: randomHex64(),
    createdAtMs: nextTimeMs(),
    active: true,
    ...overrides,
  });
}

/** The first attempt of node `Source`, SCHEDULED. */
export function aTask(overrides: Partial<Task> = {}): Task {
  return withoutUndefined({
    id: randomId(),
    runId: randomId(),
    node: 'Source',
    attempt: 1,
    token: randomHex64(),
    payload: { op: 'Source', opVersion: '1', seed: 1234, inputs: {}, cacheKey: randomHex64(), resources: { ...DEFAULT_RESOURCES } },
    status: 'SCHEDULED',
    createdAtMs: nextTimeMs(),
    ...overrides,
  });
}

/** One stdout line of node `Source`. */
export function aLogLine(overrides: Partial<LogLine> = {}): LogLine {
  return withoutUndefined({
    runId: randomId(),
    node: 'Source',
    stream: 'stdout',
    atMs: nextTimeMs(),
    message: `line ${randomId().slice(0, 8)}`,
    ...overrides,
  });
}
