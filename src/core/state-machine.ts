/**
 * The run state machine: pure transitions of a run's node states on task events. The engine holds
 * the run's lock, applies one event, saves the state it gets back and schedules the nodes it is
 * told became ready. Every transition is idempotent: a late, duplicate or stale event (an old
 * task id, a node or run that already finished) returns the input state unchanged, so at-least-once
 * delivery from executors, schedulers and restarted agents is safe.
 */
import { Dag, descendants } from './graph';
import { NotFoundError } from './errors';
import { retryDelayMs, shouldRetry } from './retry-policy';
import { deriveRunStatus } from './run-status';
import { ErrorInfo, NodeState, OpResult, RetryPolicy, RunState, isTerminalNode, isTerminalRun } from './run';

/** Something that happened to a run, at `atMs` (Unix ms, read by the caller). */
export type RunEvent =
  /** A task was created for a ready node: WAITING → SCHEDULED, one more attempt. */
  | { kind: 'scheduled'; atMs: number; node: string; taskId: string }
  /** The node's executor picked up the task: SCHEDULED → RUNNING. */
  | { kind: 'started'; atMs: number; node: string; taskId: string }
  /** The task completed: SCHEDULED or RUNNING → SUCCESS. */
  | { kind: 'succeeded'; atMs: number; node: string; taskId: string; result: OpResult; cacheKey: string }
  /** The operator failed: retried if the node's policy says so, else FAILED. */
  | { kind: 'failed'; atMs: number; node: string; taskId: string; error: ErrorInfo }
  /** The task's executor vanished (no heartbeat, Pod gone): retried if the policy says so, else LOST. */
  | { kind: 'lost'; atMs: number; node: string; taskId: string; error?: ErrorInfo }
  /** A ready node's result was found in the cache: WAITING → SUCCESS without a task. */
  | { kind: 'cacheHit'; atMs: number; node: string; cacheKey: string; result: OpResult }
  /** The whole run was killed: live nodes → KILLED, waiting ones → CANCELLED. */
  | { kind: 'killed'; atMs: number };

/** The outcome of applying one event. */
export interface Transition {
  /** The state after the event; the input object itself when nothing changed. */
  state: RunState;
  /** False for events that do not apply (late, duplicate, stale): nothing to save. */
  changed: boolean;
  /**
   * Nodes that became ready to schedule because of this event: the successors of a node that just
   * succeeded, or a node retried without delay. Nodes ready before the event are not repeated
   * (use readyNodes for all of them).
   */
  ready: string[];
  /** Set when a node went back to WAITING for a delayed retry: call readyNodes at this time. */
  retryAtMs?: number;
}

/** Every node WAITING, nothing attempted yet. `nodeNames` in graph order (`dag.nodes`). */
export function initialRunState(nodeNames: readonly string[]): RunState {
  return {
    status: 'SCHEDULED',
    progress: 0,
    nodes: nodeNames.map((name) => ({ name, status: 'WAITING', attempts: 0, cacheHit: false })),
  };
}

const LOST_ERROR: ErrorInfo = { classifier: 'lost', message: 'the task was lost: its executor stopped reporting' };

/**
 * Applies one event to a run's state without mutating it (changed nodes are copied, the others
 * shared). O(nodes + edges) per event.
 *
 * `scheduled` and `cacheHit` apply only to a ready node; the other node events only to the node's
 * live task (`taskId` equal to the node's, node SCHEDULED or RUNNING). A failure or loss the
 * retry policy allows sends the node back to WAITING until `retryAtMs`; one it does not ends the
 * node and cancels every unfinished transitive descendant.
 *
 * @param retryPolicyOf the compiled retry policy of a node; called only on failure or loss.
 * @throws NotFoundError when the event names a node the run does not have.
 */
export function applyEvent(
  state: RunState,
  dag: Dag,
  event: RunEvent,
  retryPolicyOf: (node: string) => RetryPolicy,
): Transition {
  if (isTerminalRun(state.status)) return unchanged(state);
  if (event.kind === 'killed') return kill(state, event.atMs);

  const index = indexOf(state, dag);
  const i = index(event.node);
  if (i === undefined) throw new NotFoundError('node', event.node);
  const node = state.nodes[i];
  const { atMs } = event;

  switch (event.kind) {
    case 'scheduled': {
      if (!isReady(node, state.nodes, index, dag, atMs)) return unchanged(state);
      const { retryAtMs: _r, ...rest } = node;
      return commit(state, index, [{ ...rest, status: 'SCHEDULED', attempts: node.attempts + 1, taskId: event.taskId }], atMs);
    }
    case 'started': {
      if (node.status !== 'SCHEDULED' || node.taskId !== event.taskId) return unchanged(state);
      return commit(state, index, [{ ...node, status: 'RUNNING', startedAtMs: atMs }], atMs);
    }
    case 'succeeded': {
      if (!isLiveTask(node, event.taskId)) return unchanged(state);
      const done = success(node, atMs, event.cacheKey, event.result, false);
      return commitWithReady(state, dag, index, done, atMs);
    }
    case 'cacheHit': {
      if (!isReady(node, state.nodes, index, dag, atMs)) return unchanged(state);
      const done = success({ ...node, startedAtMs: atMs }, atMs, event.cacheKey, event.result, true);
      return commitWithReady(state, dag, index, done, atMs);
    }
    case 'failed':
    case 'lost': {
      if (!isLiveTask(node, event.taskId)) return unchanged(state);
      const outcome = event.kind === 'failed' ? 'FAILED' : 'LOST';
      const error = event.error ?? LOST_ERROR;
      const policy = retryPolicyOf(node.name);
      if (shouldRetry(policy, outcome, node.attempts)) {
        return retry(state, dag, index, node, error, atMs + retryDelayMs(policy, node.attempts), atMs);
      }
      return endWithCancellation(state, dag, index, node, outcome, error, atMs);
    }
  }
}

/**
 * Every node ready to schedule at `nowMs`: WAITING, all predecessors SUCCESS, and no retry delay
 * still running. In graph order. Used at run start, after an agent restart and when a retry timer
 * fires; none once the run is terminal.
 */
export function readyNodes(state: RunState, dag: Dag, nowMs: number): string[] {
  if (isTerminalRun(state.status)) return [];
  const index = indexOf(state, dag);
  return state.nodes.filter((n) => isReady(n, state.nodes, index, dag, nowMs)).map((n) => n.name);
}

/**
 * The earliest time a node waiting for a retry may be scheduled, or undefined when none is. It may
 * be in the past: that node is ready now.
 */
export function nextRetryAtMs(state: RunState): number | undefined {
  if (isTerminalRun(state.status)) return undefined;
  let next: number | undefined;
  for (const n of state.nodes) {
    if (n.status === 'WAITING' && n.retryAtMs !== undefined && (next === undefined || n.retryAtMs < next)) {
      next = n.retryAtMs;
    }
  }
  return next;
}

type NodeIndex = (name: string) => number | undefined;

// A run's nodes are in dag order (initialRunState is given dag.nodes), so positions computed once
// per Dag serve every event; checking the name found there keeps a state in another order correct.
const dagPositions = new WeakMap<Dag, Map<string, number>>();

function indexOf(state: RunState, dag: Dag): NodeIndex {
  let positions = dagPositions.get(dag);
  if (!positions) {
    positions = new Map(dag.nodes.map((n, i) => [n, i]));
    dagPositions.set(dag, positions);
  }
  const nodes = state.nodes;
  let own: Map<string, number> | undefined;
  return (name) => {
    const i = positions.get(name);
    if (i !== undefined && nodes[i]?.name === name) return i;
    own ??= new Map(nodes.map((n, j) => [n.name, j]));
    return own.get(name);
  };
}

function isReady(node: NodeState, nodes: readonly NodeState[], index: NodeIndex, dag: Dag, nowMs: number): boolean {
  if (node.status !== 'WAITING') return false;
  if (node.retryAtMs !== undefined && node.retryAtMs > nowMs) return false;
  return (dag.predecessors.get(node.name) ?? []).every((p) => {
    const i = index(p);
    return i !== undefined && nodes[i].status === 'SUCCESS';
  });
}

function isLiveTask(node: NodeState, taskId: string): boolean {
  return (node.status === 'SCHEDULED' || node.status === 'RUNNING') && node.taskId === taskId;
}

function unchanged(state: RunState): Transition {
  return { state, changed: false, ready: [] };
}

/** Replaces the given nodes (by name) in a copy of the node list and re-derives the run's status. */
function commit(
  state: RunState, index: NodeIndex, updates: NodeState[], atMs: number, ready: string[] = [], retryAtMs?: number,
): Transition {
  const nodes = state.nodes.slice();
  for (const u of updates) nodes[index(u.name)!] = u;
  const next = deriveRunStatus({ ...state, nodes }, atMs);
  return { state: next, changed: true, ready, ...(retryAtMs === undefined ? {} : { retryAtMs }) };
}

/** A finished node keeps its attempts, start time and (for SUCCESS) what it produced; nothing live. */
function success(node: NodeState, atMs: number, cacheKey: string, result: OpResult, cacheHit: boolean): NodeState {
  return {
    name: node.name,
    status: 'SUCCESS',
    attempts: node.attempts,
    startedAtMs: node.startedAtMs ?? atMs,
    completedAtMs: atMs,
    cacheKey,
    cacheHit,
    result,
  };
}

function commitWithReady(state: RunState, dag: Dag, index: NodeIndex, done: NodeState, atMs: number): Transition {
  const committed = commit(state, index, [done], atMs);
  const nodes = committed.state.nodes;
  const ready = (dag.successors.get(done.name) ?? []).filter((s) => {
    const i = index(s);
    return i !== undefined && isReady(nodes[i], nodes, index, dag, atMs);
  });
  return { ...committed, ready };
}

function retry(
  state: RunState, dag: Dag, index: NodeIndex, node: NodeState, error: ErrorInfo, retryAtMs: number, atMs: number,
): Transition {
  // The failed attempt's start and task belong to that attempt; the next one sets its own.
  const waiting: NodeState = { name: node.name, status: 'WAITING', attempts: node.attempts, cacheHit: false, error, retryAtMs };
  if (retryAtMs > atMs) return commit(state, index, [waiting], atMs, [], retryAtMs);
  const committed = commit(state, index, [waiting], atMs);
  const nodes = committed.state.nodes;
  const ready = isReady(waiting, nodes, index, dag, atMs) ? [node.name] : [];
  return { ...committed, ready };
}

function endWithCancellation(
  state: RunState, dag: Dag, index: NodeIndex, node: NodeState, outcome: 'FAILED' | 'LOST', error: ErrorInfo, atMs: number,
): Transition {
  const ended: NodeState = {
    name: node.name,
    status: outcome,
    attempts: node.attempts,
    ...(node.startedAtMs === undefined ? {} : { startedAtMs: node.startedAtMs }),
    completedAtMs: atMs,
    cacheHit: false,
    error,
  };
  const updates = [ended];
  // Every descendant, not only the direct successors: a grandchild left WAITING would keep the
  // run open forever (the 2017 system's bug).
  for (const d of descendants(dag, node.name)) {
    const i = index(d);
    if (i === undefined || isTerminalNode(state.nodes[i].status)) continue;
    updates.push(finish(state.nodes[i], 'CANCELLED', atMs));
  }
  return commit(state, index, updates, atMs);
}

function finish(node: NodeState, status: 'CANCELLED' | 'KILLED', atMs: number): NodeState {
  const { taskId: _t, retryAtMs: _r, ...rest } = node;
  return { ...rest, status, completedAtMs: atMs };
}

function kill(state: RunState, atMs: number): Transition {
  const nodes = state.nodes.map((n) => {
    if (n.status === 'SCHEDULED' || n.status === 'RUNNING') return finish(n, 'KILLED', atMs);
    if (n.status === 'WAITING') return finish(n, 'CANCELLED', atMs);
    return n;
  });
  // Set, not derived: a run killed before anything ran has no KILLED node, yet it was killed.
  return { state: { ...state, nodes, status: 'KILLED', progress: 1, completedAtMs: atMs }, changed: true, ready: [] };
}
