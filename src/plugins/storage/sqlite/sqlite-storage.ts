/**
 * Storage in one SQLite file (better-sqlite3): the embedded default of a single-node agent.
 * WAL journal with synchronous=NORMAL: readers never block the writer, and a commit survives a
 * process crash (a power loss may drop the last commits, never corrupt the file).
 */
import Sqlite, { Database, SqliteError, Statement } from 'better-sqlite3';
import { AccioError, UnavailableError } from '../../../core/errors';
import { LogLine, Run, Task } from '../../../core/run';
import { Workflow } from '../../../core/workflow';
import { DEFAULT_LOG_LIMIT, pageBounds } from '../internal/page';
import { CacheEntry, LogQuery, Page, RunQuery, Storage, StorageCapabilities, WorkflowQuery } from '../storage';
import { runCountSql, runFilter, runFromRow, runPageSql, runRow, UPSERT_RUN, UPSERT_WORKFLOW, workflowFilter, workflowFromRow, workflowRow } from './queries';
import { migrate } from './schema';

export interface SqliteStorageOptions {
  /** The database file, created with its schema when absent; `:memory:` for a private in-memory database. */
  path: string;
  /** How long a write waits for another process's write lock before failing with UnavailableError. @default 5000 */
  busyTimeoutMs?: number;
  /**
   * Page cache of this connection. Listings and searches walk indexes spread over the file: with
   * SQLite's own default (2 MiB) they read from the OS on every call. @default 64
   */
  cacheSizeMb?: number;
}

export interface CompiledSqliteStorageOptions {
  path: string;
  busyTimeoutMs: number;
  cacheSizeMb: number;
}

/** Applies the defaults of SqliteStorageOptions. */
export function compileSqliteStorageOptions(options: SqliteStorageOptions): CompiledSqliteStorageOptions {
  return { path: options.path, busyTimeoutMs: options.busyTimeoutMs ?? 5000, cacheSizeMb: options.cacheSizeMb ?? 64 };
}

type Param = string | number | null;
type RunRow = { summary: string; results: string | null };

/** SQLite's codes for a lock held by another connection: trying again later may succeed. */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);

/**
 * Storage over one SQLite database. Calls run synchronously inside their promise (better-sqlite3);
 * each write is one transaction, so a sweep saved with saveRuns is all there or not at all.
 */
export class SqliteStorage implements Storage {
  readonly capabilities: StorageCapabilities = { wordSearch: false };
  readonly options: CompiledSqliteStorageOptions;

  private readonly db: Database;
  /** Prepared once per SQL text: listings build their SQL from the filters present. */
  private readonly statements = new Map<string, Statement>();
  private readonly saveRunsTx: (runs: Run[]) => void;

  /** Opens (or creates) the database and migrates its schema. Throws an AccioError when it cannot. */
  constructor(options: SqliteStorageOptions) {
    this.options = compileSqliteStorageOptions(options);
    try {
      this.db = new Sqlite(this.options.path, { timeout: this.options.busyTimeoutMs });
    } catch (err) {
      throw new AccioError('INVALID', `cannot open the sqlite storage database ${this.options.path}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
        actions: ['Check that the directory of the storage path exists and is writable, or set another path.'],
      });
    }
    try {
      translate(() => {
        // Only a new file takes the page size. Run rows hold a few KiB of JSON: in 4 KiB pages most
        // would take a page of their own, in 16 KiB pages they pack (a fifth smaller, faster inserts).
        this.db.pragma('page_size = 16384');
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        // A negative cache_size counts KiB rather than pages.
        this.db.pragma(`cache_size = ${-Math.round(this.options.cacheSizeMb * 1024)}`);
        migrate(this.db);
      });
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.saveRunsTx = this.db.transaction((runs: Run[]) => {
      for (const run of runs) this.writeRun(run);
    });
  }

  async saveWorkflow(workflow: Workflow): Promise<void> {
    translate(() =>
      this.db.transaction(() => {
        if (workflow.active) this.stmt('UPDATE workflows SET active = 0 WHERE id = ? AND version <> ? AND active = 1').run(workflow.id, workflow.version);
        this.stmt(UPSERT_WORKFLOW).run(workflowRow(workflow));
      })(),
    );
  }

  async getWorkflow(id: string, version?: string): Promise<Workflow | undefined> {
    const row = translate(() =>
      version === undefined
        ? this.stmt('SELECT doc, active FROM workflows WHERE id = ? AND active = 1').get(id)
        : this.stmt('SELECT doc, active FROM workflows WHERE id = ? AND version = ?').get(id, version),
    ) as { doc: string; active: number } | undefined;
    return row && workflowFromRow(row);
  }

  async listWorkflowVersions(id: string): Promise<Workflow[]> {
    const rows = translate(() => this.stmt('SELECT doc, active FROM workflows WHERE id = ? ORDER BY created_at DESC, version DESC').all(id));
    return (rows as { doc: string; active: number }[]).map(workflowFromRow);
  }

  async listWorkflows(query: WorkflowQuery): Promise<Page<Workflow>> {
    const { limit, offset } = pageBounds(query);
    const { where, params } = workflowFilter(query);
    return translate(() => this.db.transaction(() => {
      const rows = this.stmt(`SELECT doc, active FROM workflows WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`).all(...params, limit, offset);
      const { total } = this.stmt(`SELECT COUNT(*) AS total FROM workflows WHERE ${where}`).get(...params) as { total: number };
      return { results: (rows as { doc: string; active: number }[]).map(workflowFromRow), total };
    })());
  }

  async saveRun(run: Run): Promise<void> {
    translate(() => this.saveRunsTx([run]));
  }

  async saveRuns(runs: Run[]): Promise<void> {
    translate(() => this.saveRunsTx(runs));
  }

  async getRun(id: string): Promise<Run | undefined> {
    const row = translate(() => this.stmt('SELECT summary, results FROM runs WHERE id = ?').get(id)) as RunRow | undefined;
    return row && runFromRow(row);
  }

  async getRuns(ids: string[]): Promise<Run[]> {
    if (ids.length === 0) return [];
    // One statement whatever the number of ids: they travel as one JSON array parameter.
    const rows = translate(() => this.stmt('SELECT id, summary, results FROM runs WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids))) as (RunRow & { id: string })[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row === undefined ? [] : [runFromRow(row)];
    });
  }

  async deleteRun(id: string): Promise<void> {
    translate(() =>
      this.db.transaction(() => {
        this.stmt('DELETE FROM runs WHERE id = ?').run(id);
        this.stmt('DELETE FROM run_tags WHERE run_id = ?').run(id);
        this.stmt('DELETE FROM tasks WHERE run_id = ?').run(id);
        this.stmt('DELETE FROM logs WHERE run_id = ?').run(id);
      })(),
    );
  }

  async listRuns(query: RunQuery): Promise<Page<Run>> {
    const { limit, offset } = pageBounds(query);
    const { where, params } = runFilter(query);
    // One read transaction: the page and the total come from the same snapshot.
    return translate(() => this.db.transaction(() => {
      const rows = this.stmt(runPageSql(where)).all(...params, limit, offset) as { summary: string }[];
      const { total } = this.stmt(runCountSql(where)).get(...params) as { total: number };
      return { results: rows.map((r) => JSON.parse(r.summary) as Run), total };
    })());
  }

  async listActiveRunIds(): Promise<string[]> {
    const rows = translate(() => this.stmt("SELECT id FROM runs WHERE status IN ('SCHEDULED', 'RUNNING')").all()) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async saveTask(task: Task): Promise<void> {
    translate(() =>
      this.stmt(
        `INSERT INTO tasks (id, run_id, created_at, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, created_at = excluded.created_at, doc = excluded.doc`,
      ).run(task.id, task.runId, task.createdAtMs, JSON.stringify(task)),
    );
  }

  async getTask(id: string): Promise<Task | undefined> {
    const row = translate(() => this.stmt('SELECT doc FROM tasks WHERE id = ?').get(id)) as { doc: string } | undefined;
    return row && (JSON.parse(row.doc) as Task);
  }

  async deleteTask(id: string): Promise<void> {
    translate(() => this.stmt('DELETE FROM tasks WHERE id = ?').run(id));
  }

  async listTasks(runId?: string): Promise<Task[]> {
    const rows = translate(() =>
      runId === undefined
        ? this.stmt('SELECT doc FROM tasks ORDER BY created_at, id').all()
        : this.stmt('SELECT doc FROM tasks WHERE run_id = ? ORDER BY created_at, id').all(runId),
    ) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Task);
  }

  async appendLogs(lines: LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    translate(() =>
      this.db.transaction(() => {
        const insert = this.stmt('INSERT INTO logs (run_id, node, stream, at_ms, message) VALUES (?, ?, ?, ?, ?)');
        for (const l of lines) insert.run(l.runId, l.node, l.stream, l.atMs, l.message);
      })(),
    );
  }

  async listLogs(query: LogQuery): Promise<LogLine[]> {
    const clauses = ['run_id = ?', 'node = ?'];
    const params: Param[] = [query.runId, query.node];
    if (query.stream !== undefined) {
      clauses.push('stream = ?');
      params.push(query.stream);
    }
    if (query.sinceMs !== undefined) {
      clauses.push('at_ms > ?');
      params.push(query.sinceMs);
    }
    const { limit } = pageBounds({ limit: query.limit }, DEFAULT_LOG_LIMIT);
    const sql = `SELECT run_id AS runId, node, stream, at_ms AS atMs, message FROM logs WHERE ${clauses.join(' AND ')} ORDER BY at_ms, seq LIMIT ?`;
    return translate(() => this.stmt(sql).all(...params, limit)) as LogLine[];
  }

  async saveCacheEntry(entry: CacheEntry): Promise<void> {
    translate(() => this.stmt('INSERT INTO cache (key, doc) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(entry.key, JSON.stringify(entry)));
  }

  async getCacheEntry(key: string): Promise<CacheEntry | undefined> {
    const row = translate(() => this.stmt('SELECT doc FROM cache WHERE key = ?').get(key)) as { doc: string } | undefined;
    return row && (JSON.parse(row.doc) as CacheEntry);
  }

  /** Closes the database; closing twice is harmless. */
  async close(): Promise<void> {
    this.statements.clear();
    if (!this.db.open) return;
    try {
      // Refreshes the planner's statistics where they went stale, as SQLite advises before closing.
      this.db.pragma('optimize');
    } finally {
      this.db.close();
    }
  }

  private writeRun(run: Run): void {
    this.stmt(UPSERT_RUN).run(runRow(run));
    this.stmt('DELETE FROM run_tags WHERE run_id = ?').run(run.id);
    const insertTag = this.stmt('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)');
    for (const tag of run.tags) insertTag.run(run.id, tag);
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

/**
 * Runs a database call, turning its failures into Accio errors: a lock held elsewhere is
 * UNAVAILABLE (retryable: the engine retries, storage does not), anything else INTERNAL.
 */
function translate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AccioError) throw err;
    if (err instanceof SqliteError && BUSY_CODES.has(err.code)) throw new UnavailableError(`sqlite storage is busy: ${err.message}`, { cause: err });
    const message = err instanceof Error ? err.message : String(err);
    throw new AccioError('INTERNAL', `sqlite storage failed: ${message}`, { cause: err });
  }
}
