/**
 * The reference storage: plain maps in one process, the simplest code that passes the contract.
 * Nothing survives `close()`; use it for tests and throw-away agents.
 */
import { LogLine, Run, Task } from '../../core/run';
import { Workflow } from '../../core/workflow';
import { DEFAULT_LOG_LIMIT, pageBounds } from './internal/page';
import { matchesText, runSearchFields, stripNodeResults, workflowSearchFields } from './internal/run-summary';
import { CacheEntry, LogQuery, Page, RunQuery, Storage, StorageCapabilities, WorkflowQuery } from './storage';

const copy = <T>(value: T): T => structuredClone(value);

const newestFirst = (a: { createdAtMs: number; id: string }, b: { createdAtMs: number; id: string }): number =>
  b.createdAtMs - a.createdAtMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Holds everything in memory; every read and write copies, so callers never share objects with it. */
export class MemoryStorage implements Storage {
  readonly capabilities: StorageCapabilities = { wordSearch: false };

  /** Workflow id -> version -> workflow. */
  private readonly workflows = new Map<string, Map<string, Workflow>>();
  private readonly runs = new Map<string, Run>();
  private readonly tasks = new Map<string, Task>();
  /** Lines in append order: a stable sort by time then keeps equal timestamps in that order. */
  private logs: LogLine[] = [];
  private readonly cache = new Map<string, CacheEntry>();

  async saveWorkflow(workflow: Workflow): Promise<void> {
    let versions = this.workflows.get(workflow.id);
    if (!versions) this.workflows.set(workflow.id, (versions = new Map()));
    if (workflow.active) for (const w of versions.values()) w.active = false;
    versions.set(workflow.version, copy(workflow));
  }

  async getWorkflow(id: string, version?: string): Promise<Workflow | undefined> {
    const versions = [...(this.workflows.get(id)?.values() ?? [])];
    const found = versions.find((w) => (version === undefined ? w.active : w.version === version));
    return found && copy(found);
  }

  async listWorkflowVersions(id: string): Promise<Workflow[]> {
    return [...(this.workflows.get(id)?.values() ?? [])]
      .sort((a, b) => b.createdAtMs - a.createdAtMs || (a.version < b.version ? 1 : a.version > b.version ? -1 : 0))
      .map(copy);
  }

  async listWorkflows(query: WorkflowQuery): Promise<Page<Workflow>> {
    const { limit, offset } = pageBounds(query);
    const matches = [...this.workflows.values()]
      .flatMap((versions) => [...versions.values()])
      .filter((w) => w.active)
      .filter((w) => query.owner === undefined || w.owner === query.owner)
      .filter((w) => query.name === undefined || matchesText([w.name ?? ''], query.name))
      .filter((w) => query.q === undefined || matchesText(workflowSearchFields(w), query.q))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { results: matches.slice(offset, offset + limit).map(copy), total: matches.length };
  }

  async saveRun(run: Run): Promise<void> {
    this.runs.set(run.id, copy(run));
  }

  async saveRuns(runs: Run[]): Promise<void> {
    for (const run of runs) this.runs.set(run.id, copy(run));
  }

  async getRun(id: string): Promise<Run | undefined> {
    const run = this.runs.get(id);
    return run && copy(run);
  }

  async getRuns(ids: string[]): Promise<Run[]> {
    return ids.flatMap((id) => {
      const run = this.runs.get(id);
      return run ? [copy(run)] : [];
    });
  }

  async deleteRun(id: string): Promise<void> {
    this.runs.delete(id);
    for (const task of [...this.tasks.values()]) if (task.runId === id) this.tasks.delete(task.id);
    this.logs = this.logs.filter((line) => line.runId !== id);
  }

  async listRuns(query: RunQuery): Promise<Page<Run>> {
    const { limit, offset } = pageBounds(query);
    // Empty status and tag lists do not filter, like absent ones: a caller forwarding unset flags gets everything.
    const matches = [...this.runs.values()]
      .filter((r) => r.parent === query.parent)
      .filter((r) => query.owner === undefined || r.owner === query.owner)
      .filter((r) => query.name === undefined || matchesText([r.name ?? ''], query.name))
      .filter((r) => query.workflowId === undefined || r.workflow.id === query.workflowId)
      .filter((r) => !query.status?.length || query.status.includes(r.state.status))
      .filter((r) => (query.tags ?? []).every((tag) => r.tags.includes(tag)))
      .filter((r) => query.q === undefined || matchesText(runSearchFields(r), query.q))
      .sort(newestFirst);
    return { results: matches.slice(offset, offset + limit).map(stripNodeResults), total: matches.length };
  }

  async listActiveRunIds(): Promise<string[]> {
    return [...this.runs.values()].filter((r) => r.state.status === 'SCHEDULED' || r.state.status === 'RUNNING').map((r) => r.id);
  }

  async saveTask(task: Task): Promise<void> {
    this.tasks.set(task.id, copy(task));
  }

  async getTask(id: string): Promise<Task | undefined> {
    const task = this.tasks.get(id);
    return task && copy(task);
  }

  async deleteTask(id: string): Promise<void> {
    this.tasks.delete(id);
  }

  async listTasks(runId?: string): Promise<Task[]> {
    return [...this.tasks.values()].filter((t) => runId === undefined || t.runId === runId).map(copy);
  }

  async appendLogs(lines: LogLine[]): Promise<void> {
    this.logs.push(...lines.map(copy));
  }

  async listLogs(query: LogQuery): Promise<LogLine[]> {
    const limit = pageBounds({ limit: query.limit }, DEFAULT_LOG_LIMIT).limit;
    return this.logs
      .filter((l) => l.runId === query.runId && l.node === query.node)
      .filter((l) => query.stream === undefined || l.stream === query.stream)
      .filter((l) => query.sinceMs === undefined || l.atMs > query.sinceMs)
      .sort((a, b) => a.atMs - b.atMs)
      .slice(0, limit)
      .map(copy);
  }

  async saveCacheEntry(entry: CacheEntry): Promise<void> {
    if (!this.cache.has(entry.key)) this.cache.set(entry.key, copy(entry));
  }

  async getCacheEntry(key: string): Promise<CacheEntry | undefined> {
    const entry = this.cache.get(key);
    return entry && copy(entry);
  }

  async close(): Promise<void> {}
}
