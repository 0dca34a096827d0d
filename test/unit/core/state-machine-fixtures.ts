/**
 * Helpers for the state machine tests: DAGs from predecessor lists, frozen inputs (so a mutation
 * throws), and shortcuts that drive a node through its events.
 */
import assert from 'node:assert/strict';
import { Dag, buildDag } from '../../../src/core/graph';
import { OpResult, RetryPolicy, RunState } from '../../../src/core/run';
import { compileRetryPolicy } from '../../../src/core/retry-policy';
import { RunEvent, Transition, applyEvent, initialRunState } from '../../../src/core/state-machine';
import { NodeSpec } from '../../../src/core/workflow';

/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

/** A DAG from each node's predecessors, built by the real buildDag: `dagOf({ A: [], B: ['A'] })`. */
export function dagOf(predecessors: Record<string, string[]>): Dag {
  const graph: NodeSpec[] = Object.entries(predecessors).map(([name, preds]) => ({
    name,
    op: 'Op',
    inputs: Object.fromEntries(preds.map((p, i) => [`in${i}`, { kind: 'reference' as const, node: p, port: 'out' }])),
  }));
  return buildDag(graph);
}

/** Freezes an object graph, so a function that mutates its input throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export const resultOf = (node: string): OpResult => ({ outputs: { out: `${node}-out` }, metrics: { wall_time_ms: 1 } });

/**
 * Applies events in order to a frozen copy of each intermediate state and returns the last
 * transition; every event of the list must change the state.
 */
export class Runner {
  state: RunState;
  last?: Transition;

  constructor(
    readonly dag: Dag,
    readonly policy: RetryPolicy = compileRetryPolicy(),
  ) {
    this.state = deepFreeze(initialRunState(dag.nodes));
  }

  /** Applies one event; returns the transition, whether or not it changed anything. */
  apply(event: RunEvent): Transition {
    const before = this.state;
    const t = applyEvent(before, this.dag, event, () => this.policy);
    this.state = deepFreeze(t.state);
    this.last = t;
    return t;
  }

  /** Applies events that must each change the state. */
  must(...events: RunEvent[]): Transition {
    let t: Transition | undefined;
    for (const e of events) {
      t = this.apply(e);
      assert.equal(t.changed, true, `expected ${e.kind} ${'node' in e ? e.node : ''} to change the state`);
    }
    return t!;
  }

  /** scheduled, started and succeeded for one node, all at `atMs`, with task id `<node>-<attempt>`. */
  succeed(node: string, atMs = T0): Transition {
    const taskId = this.schedule(node, atMs);
    return this.must(
      { kind: 'started', atMs, node, taskId },
      { kind: 'succeeded', atMs, node, taskId, result: resultOf(node), cacheKey: `key-${node}` },
    );
  }

  /** scheduled then started; returns the task id. */
  start(node: string, atMs = T0): string {
    const taskId = this.schedule(node, atMs);
    this.must({ kind: 'started', atMs, node, taskId });
    return taskId;
  }

  schedule(node: string, atMs = T0): string {
    const taskId = `${node}-${this.node(node).attempts + 1}`;
    this.must({ kind: 'scheduled', atMs, node, taskId });
    return taskId;
  }

  node(name: string) {
    const n = this.state.nodes.find((x) => x.name === name);
    assert.ok(n, `no node ${name}`);
    return n;
  }

  statuses(): Record<string, string> {
    return Object.fromEntries(this.state.nodes.map((n) => [n.name, n.status]));
  }
}
