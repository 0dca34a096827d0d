/**
 * SQL for the SQLite storage: row encodings of domain objects and the WHERE clauses of listings.
 * Pure functions: no database handle here.
 */
import { OpResult, Run } from '../../../core/run';
import { Workflow } from '../../../core/workflow';
import { runSearchFields, summaryView, workflowSearchFields } from '../internal/run-summary';
import { RunQuery, WorkflowQuery } from '../storage';

/** A WHERE clause (without the keyword) and its positional parameters. */
export interface SqlFilter {
  where: string;
  params: (string | number)[];
}

/** Searchable text: fields lower-cased, one per line, so `instr` finds case-insensitive substrings. */
export function searchText(fields: readonly string[]): string {
  return fields.join('\n').toLowerCase();
}

export const UPSERT_RUN = `
INSERT INTO runs (id, parent, created_at, owner, name, name_lc, workflow_id, status, text, summary, results)
VALUES (@id, @parent, @created_at, @owner, @name, @name_lc, @workflow_id, @status, @text, @summary, @results)
ON CONFLICT (id) DO UPDATE SET
  parent = excluded.parent, created_at = excluded.created_at, owner = excluded.owner, name = excluded.name,
  name_lc = excluded.name_lc, workflow_id = excluded.workflow_id, status = excluded.status, text = excluded.text,
  summary = excluded.summary, results = excluded.results`;

export function runRow(run: Run): Record<string, string | number | null> {
  const results: Record<string, OpResult> = {};
  for (const node of run.state.nodes) if (node.result !== undefined) results[node.name] = node.result;
  return {
    id: run.id,
    parent: run.parent ?? null,
    created_at: run.createdAtMs,
    owner: run.owner ?? null,
    name: run.name ?? null,
    name_lc: run.name?.toLowerCase() ?? null,
    workflow_id: run.workflow.id,
    status: run.state.status,
    text: searchText(runSearchFields(run)),
    summary: JSON.stringify(summaryView(run)),
    results: Object.keys(results).length ? JSON.stringify(results) : null,
  };
}

/** The whole run: its summary with the node results put back. */
export function runFromRow(row: { summary: string; results: string | null }): Run {
  const run = JSON.parse(row.summary) as Run;
  if (row.results !== null) {
    const results = JSON.parse(row.results) as Record<string, OpResult>;
    for (const node of run.state.nodes) if (Object.hasOwn(results, node.name)) node.result = results[node.name];
  }
  return run;
}

export const UPSERT_WORKFLOW = `
INSERT INTO workflows (id, version, active, created_at, owner, name, name_lc, text, doc)
VALUES (@id, @version, @active, @created_at, @owner, @name, @name_lc, @text, @doc)
ON CONFLICT (id, version) DO UPDATE SET
  active = excluded.active, created_at = excluded.created_at, owner = excluded.owner, name = excluded.name,
  name_lc = excluded.name_lc, text = excluded.text, doc = excluded.doc`;

/** `active` lives in its column only: activating another version then never rewrites documents. */
export function workflowRow(workflow: Workflow): Record<string, string | number | null> {
  const { active, ...doc } = workflow;
  return {
    id: workflow.id,
    version: workflow.version,
    active: active ? 1 : 0,
    created_at: workflow.createdAtMs,
    owner: workflow.owner ?? null,
    name: workflow.name ?? null,
    name_lc: workflow.name?.toLowerCase() ?? null,
    text: searchText(workflowSearchFields(workflow)),
    doc: JSON.stringify(doc),
  };
}

export function workflowFromRow(row: { doc: string; active: number }): Workflow {
  return { ...(JSON.parse(row.doc) as Omit<Workflow, 'active'>), active: row.active === 1 };
}

/**
 * The filter of a run listing. Empty strings and empty lists do not filter, like absent fields,
 * matching the memory storage.
 */
export function runFilter(query: RunQuery): SqlFilter {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (query.parent === undefined) clauses.push('parent IS NULL');
  else {
    clauses.push('parent = ?');
    params.push(query.parent);
  }
  if (query.owner !== undefined) {
    clauses.push('owner = ?');
    params.push(query.owner);
  }
  if (query.workflowId !== undefined) {
    clauses.push('workflow_id = ?');
    params.push(query.workflowId);
  }
  if (query.status?.length) {
    const statuses = [...new Set(query.status)];
    clauses.push(`status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  const tags = [...new Set(query.tags ?? [])];
  if (tags.length) {
    // A set built once from the tag index, then probed in memory: cheaper than one probe of
    // run_tags per candidate run.
    clauses.push(`id IN (${tags.map(() => 'SELECT run_id FROM run_tags WHERE tag = ?').join(' INTERSECT ')})`);
    params.push(...tags);
  }
  if (query.name) {
    clauses.push('instr(name_lc, ?) > 0');
    params.push(query.name.toLowerCase());
  }
  if (query.q) {
    clauses.push('instr(text, ?) > 0');
    params.push(query.q.toLowerCase());
  }
  return { where: clauses.join(' AND '), params };
}

/**
 * One page of a run listing. The inner query walks an index to find the page's rows; only those
 * then read their summary, so a deep offset skips index entries, not documents.
 */
export function runPageSql(where: string): string {
  return `SELECT summary FROM runs WHERE rowid IN (SELECT rowid FROM runs WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?) ORDER BY created_at DESC, id DESC`;
}

export function runCountSql(where: string): string {
  return `SELECT COUNT(*) AS total FROM runs WHERE ${where}`;
}

/** The filter of a workflow listing: active versions only. */
export function workflowFilter(query: WorkflowQuery): SqlFilter {
  const clauses = ['active = 1'];
  const params: (string | number)[] = [];
  if (query.owner !== undefined) {
    clauses.push('owner = ?');
    params.push(query.owner);
  }
  if (query.name) {
    clauses.push('instr(name_lc, ?) > 0');
    params.push(query.name.toLowerCase());
  }
  if (query.q) {
    clauses.push('instr(text, ?) > 0');
    params.push(query.q.toLowerCase());
  }
  return { where: clauses.join(' AND '), params };
}
