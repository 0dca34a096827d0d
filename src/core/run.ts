/**
 * Runs, node states, tasks and logs: the durable record of what an execution did.
 */
import { Resources } from './operator';
import { Value } from './values';

export type NodeStatus = 'WAITING' | 'SCHEDULED' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'LOST' | 'KILLED' | 'CANCELLED';
export type RunStatus = 'SCHEDULED' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'KILLED';

export const NODE_STATUSES: readonly NodeStatus[] = ['WAITING', 'SCHEDULED', 'RUNNING', 'SUCCESS', 'FAILED', 'LOST', 'KILLED', 'CANCELLED'];
export const RUN_STATUSES: readonly RunStatus[] = ['SCHEDULED', 'RUNNING', 'SUCCESS', 'FAILED', 'KILLED'];
export const TERMINAL_NODE_STATUSES: readonly NodeStatus[] = ['SUCCESS', 'FAILED', 'LOST', 'KILLED', 'CANCELLED'];
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['SUCCESS', 'FAILED', 'KILLED'];

export const isTerminalNode = (s: NodeStatus): boolean => TERMINAL_NODE_STATUSES.includes(s);
export const isTerminalRun = (s: RunStatus): boolean => TERMINAL_RUN_STATUSES.includes(s);

export interface ErrorInfo {
  /** What kind of error: an exception class name, `exit 3`, `lost`, `killed`. */
  classifier: string;
  message: string;
  stack?: string;
}

/** What an operator produced: reproducible, so it is what the cache stores. */
export interface OpResult {
  /** One value per declared output port (datasets as URIs the downloader can read). */
  outputs: Record<string, Value>;
  /** Free-form numbers: `wall_time_ms`, `cpu_time_ms`, `peak_memory_bytes`, and the operator's own. */
  metrics: Record<string, number>;
}

/** Per-node retry policy. An attempt is one task; attempts count from 1. */
export interface RetryPolicy {
  /** @default 3 */
  maxAttempts: number;
  /** Delay before the second attempt. @default 1000 */
  backoffMs: number;
  /** Each further attempt waits this much longer. @default 2 */
  backoffFactor: number;
  /** @default 60000 */
  maxBackoffMs: number;
  /** Which outcomes are retried. @default ['LOST'] */
  retryOn: ('LOST' | 'FAILED')[];
}

export interface NodeState {
  name: string;
  status: NodeStatus;
  /** Attempts started (tasks created) so far. */
  attempts: number;
  startedAtMs?: number;
  completedAtMs?: number;
  cacheKey?: string;
  /** Completed from the cache, no executor ran. */
  cacheHit: boolean;
  /** Set on SUCCESS. */
  result?: OpResult;
  /** The last error (FAILED, LOST, or an attempt that is being retried). */
  error?: ErrorInfo;
  /** The live task, while SCHEDULED or RUNNING. */
  taskId?: string;
  /** WAITING for a retry: not to be scheduled before this time. */
  retryAtMs?: number;
}

export interface RunState {
  status: RunStatus;
  /** Completed fraction, 0..1. */
  progress: number;
  startedAtMs?: number;
  completedAtMs?: number;
  /** One per graph node, in graph order; empty for a sweep parent. */
  nodes: NodeState[];
  /** A sweep parent's children, counted by status. */
  childCounts?: Partial<Record<RunStatus, number>>;
}

export interface WorkflowRef {
  id: string;
  version: string;
}

export interface Run {
  /** 32 lower-case hex characters. */
  id: string;
  workflow: WorkflowRef;
  owner?: string;
  name?: string;
  notes?: string;
  tags: string[];
  /** Safe non-negative integer; unstable operators derive their randomness from it. */
  seed: number;
  /** Every workflow param, resolved (given or default). Empty for a sweep parent. */
  params: Record<string, Value>;
  /** Set on sweep children. */
  parent?: string;
  /** Set on sweep parents, in expansion order. */
  children: string[];
  createdAtMs: number;
  state: RunState;
}

/** What an executor needs to run one node: no run id, no node name, so it is reproducible. */
export interface OpPayload {
  op: string;
  opVersion: string;
  seed: number;
  /** Resolved inputs, defaults applied. */
  inputs: Record<string, Value>;
  cacheKey: string;
  resources: Resources;
}

export type TaskStatus = 'SCHEDULED' | 'RUNNING';

/** One attempt of one node, handed to an executor. Deleted when the attempt ends. */
export interface Task {
  id: string;
  runId: string;
  node: string;
  attempt: number;
  /** Secret the executor must present on every call. */
  token: string;
  payload: OpPayload;
  status: TaskStatus;
  createdAtMs: number;
  startedAtMs?: number;
  heartbeatAtMs?: number;
}

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  runId: string;
  node: string;
  stream: LogStream;
  atMs: number;
  message: string;
}
