/**
 * Storage: the durable record (workflow versions, runs with their node states, tasks, logs, the
 * cache index). Contract, for every implementation:
 * - Writes are upserts by id and are visible to the next read (no eventual consistency leaks out:
 *   an implementation over a search engine refreshes before it answers).
 * - Reads return copies: mutating a returned object never changes what is stored.
 * - `listRuns` returns newest first (createdAtMs, then id descending); `total` counts every match.
 * - Storage does not retry and does not lock; the engine does both.
 */
import { LogLine, LogStream, OpResult, Run, RunStatus, Task } from '../../core/run';
import { Workflow } from '../../core/workflow';

export interface Page<T> {
  results: T[];
  /** Every match, not only this page's. */
  total: number;
}

export interface WorkflowQuery {
  owner?: string;
  /** Substring of the workflow's name, case-insensitive. */
  name?: string;
  /** Free text over id, name and owner, case-insensitive. */
  q?: string;
  /** @default 25 */
  limit?: number;
  /** @default 0 */
  offset?: number;
}

export interface RunQuery {
  owner?: string;
  /** Substring of the run's name, case-insensitive. */
  name?: string;
  workflowId?: string;
  status?: RunStatus[];
  /** Runs carrying every one of these tags. */
  tags?: string[];
  /** Children of this parent; without it, only top-level runs (sweep parents and single runs). */
  parent?: string;
  /** Free text over id, name, owner, workflow id, tags and notes, case-insensitive. */
  q?: string;
  /** @default 25 */
  limit?: number;
  /** @default 0 */
  offset?: number;
}

export interface LogQuery {
  runId: string;
  node: string;
  stream?: LogStream;
  /** Only lines strictly after this time. */
  sinceMs?: number;
  /** The first `limit` lines (oldest first). @default 1000 */
  limit?: number;
}

/** A successful result indexed by its cache key. */
export interface CacheEntry {
  key: string;
  result: OpResult;
  /** Where it came from, for lineage. */
  runId: string;
  node: string;
  createdAtMs: number;
}

export interface StorageCapabilities {
  /** Free-text search `q` matches whole words only (search engines) rather than substrings. */
  wordSearch: boolean;
}

export interface Storage {
  readonly capabilities: StorageCapabilities;

  /** Saves a new version. When `active`, every other version of the id becomes inactive. */
  saveWorkflow(workflow: Workflow): Promise<void>;
  /** The given version, or the active one when `version` is omitted. */
  getWorkflow(id: string, version?: string): Promise<Workflow | undefined>;
  /** Every version of one workflow, newest first. */
  listWorkflowVersions(id: string): Promise<Workflow[]>;
  /** Active versions only, ordered by id. */
  listWorkflows(query: WorkflowQuery): Promise<Page<Workflow>>;

  saveRun(run: Run): Promise<void>;
  /** Saves many runs at once (a sweep); implementations write them in as few round trips as they can. */
  saveRuns(runs: Run[]): Promise<void>;
  getRun(id: string): Promise<Run | undefined>;
  /** Several runs by id, in the order asked, skipping unknown ids. */
  getRuns(ids: string[]): Promise<Run[]>;
  /** Removes the run, its tasks and its logs (not its children: the engine decides). Unknown ids are ignored. */
  deleteRun(id: string): Promise<void>;
  /** Results without node results (`state.nodes[*].result` stripped): listings stay small. */
  listRuns(query: RunQuery): Promise<Page<Run>>;
  /** Ids of runs that are not terminal (SCHEDULED or RUNNING), parents included: what an agent resumes. */
  listActiveRunIds(): Promise<string[]>;

  saveTask(task: Task): Promise<void>;
  getTask(id: string): Promise<Task | undefined>;
  deleteTask(id: string): Promise<void>;
  /** Every task, or those of one run. */
  listTasks(runId?: string): Promise<Task[]>;

  appendLogs(lines: LogLine[]): Promise<void>;
  /** Oldest first. */
  listLogs(query: LogQuery): Promise<LogLine[]>;

  /** Indexes a successful result. A second save of the same key keeps the first. */
  saveCacheEntry(entry: CacheEntry): Promise<void>;
  getCacheEntry(key: string): Promise<CacheEntry | undefined>;

  close(): Promise<void>;
}
