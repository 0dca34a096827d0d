/**
 * A run's status, progress and times, derived from its nodes (a plain run) or from its children
 * (a sweep parent). Derivations return the input state itself when nothing changed, so callers
 * can skip a write by comparing references.
 */
import { NodeStatus, RunState, RunStatus, RUN_STATUSES, TERMINAL_NODE_STATUSES, isTerminalRun } from './run';

// A set: this check runs once per node on every event of a run.
const TERMINAL_NODE = new Set<NodeStatus>(TERMINAL_NODE_STATUSES);

/**
 * Recomputes status, progress and times from `state.nodes` at `atMs`.
 *
 * - SCHEDULED until a node has started (or hit the cache), then RUNNING; `startedAtMs` is set then.
 * - Complete when every node is terminal: SUCCESS if all succeeded, KILLED if any was killed, else
 *   FAILED; `completedAtMs` is set then and progress is 1.
 * - Progress is the fraction of terminal nodes.
 *
 * A terminal run is returned as it is: a kill decides KILLED even when no node was running, and
 * nothing a late event does may reopen a finished run.
 */
export function deriveRunStatus(state: RunState, atMs: number): RunState {
  if (isTerminalRun(state.status)) return state;
  const nodes = state.nodes;
  let terminal = 0;
  let succeeded = 0;
  let killed = 0;
  // Node objects come in many shapes, so each property read here is slow-ish: skip the start
  // times once the run is known to have started.
  let started = state.status !== 'SCHEDULED';
  for (const node of nodes) {
    if (!started && node.startedAtMs !== undefined) started = true;
    if (!TERMINAL_NODE.has(node.status)) continue;
    terminal++;
    if (node.status === 'SUCCESS') succeeded++;
    else if (node.status === 'KILLED') killed++;
  }
  const complete = terminal === nodes.length;
  const status: RunStatus = complete
    ? outcome(succeeded === nodes.length, killed > 0)
    : started ? 'RUNNING' : 'SCHEDULED';
  const progress = nodes.length === 0 ? 1 : terminal / nodes.length;
  return withStatus(state, status, progress, started, atMs);
}

/** What a sweep parent needs to know of one child. */
export interface ChildSummary {
  status: RunStatus;
  /** 0..1 */
  progress: number;
}

/**
 * A sweep parent's state from its children's: progress is the mean of theirs, `childCounts`
 * counts them by status (statuses with no child are left out). RUNNING once any child has left
 * SCHEDULED; complete when every child is terminal, with the same outcome rule as nodes
 * (SUCCESS if all succeeded, KILLED if any was killed, else FAILED). A parent with no children
 * is complete and successful.
 */
export function deriveParentState(previous: RunState, children: readonly ChildSummary[], atMs: number): RunState {
  const counts = new Map<RunStatus, number>();
  let progressSum = 0;
  for (const child of children) {
    counts.set(child.status, (counts.get(child.status) ?? 0) + 1);
    progressSum += child.progress;
  }
  const count = (s: RunStatus): number => counts.get(s) ?? 0;
  const terminal = count('SUCCESS') + count('FAILED') + count('KILLED');
  const complete = terminal === children.length;
  const started = count('SCHEDULED') < children.length || previous.status === 'RUNNING';
  const status: RunStatus = complete
    ? outcome(count('SUCCESS') === children.length, count('KILLED') > 0)
    : started ? 'RUNNING' : 'SCHEDULED';
  const progress = children.length === 0 ? 1 : progressSum / children.length;

  const childCounts: Partial<Record<RunStatus, number>> = {};
  // RUN_STATUSES order keeps the key order stable, so equal counts serialize identically.
  for (const s of RUN_STATUSES) if (count(s) > 0) childCounts[s] = count(s);
  const next = withStatus(previous, status, progress, started, atMs);
  if (next === previous && sameCounts(previous.childCounts, childCounts)) return previous;
  return { ...next, childCounts };
}

function outcome(allSucceeded: boolean, anyKilled: boolean): RunStatus {
  if (allSucceeded) return 'SUCCESS';
  return anyKilled ? 'KILLED' : 'FAILED';
}

/**
 * `state` with a new status and progress. The start time is kept once set (a run does not start
 * twice) and stays absent for a run that ended before anything started; the completion time is
 * set on the first terminal status. Absent times stay absent keys rather than `undefined` values,
 * so states compare equal after a JSON round trip.
 */
function withStatus(state: RunState, status: RunStatus, progress: number, started: boolean, atMs: number): RunState {
  const startedAtMs = state.startedAtMs ?? (started ? atMs : undefined);
  const completedAtMs = isTerminalRun(status) ? (state.completedAtMs ?? atMs) : undefined;
  if (
    status === state.status &&
    progress === state.progress &&
    startedAtMs === state.startedAtMs &&
    completedAtMs === state.completedAtMs
  ) {
    return state;
  }
  const { startedAtMs: _s, completedAtMs: _c, ...rest } = state;
  return {
    ...rest,
    status,
    progress,
    ...(startedAtMs === undefined ? {} : { startedAtMs }),
    ...(completedAtMs === undefined ? {} : { completedAtMs }),
  };
}

function sameCounts(a: RunState['childCounts'], b: NonNullable<RunState['childCounts']>): boolean {
  if (a === undefined) return false;
  const keys = Object.keys(b) as RunStatus[];
  return Object.keys(a).length === keys.length && keys.every((k) => a[k] === b[k]);
}
