/**
 * What every storage implementation derives from a run for listings and search, kept in one place
 * so that implementations agree on what a listing holds and what free text matches.
 */
import { Run } from '../../../core/run';
import { Workflow } from '../../../core/workflow';

/** A copy of the run without node results: what listings return, so they stay small. */
export function stripNodeResults(run: Run): Run {
  const nodes = run.state.nodes.map((node) => {
    const copy = { ...node };
    delete copy.result;
    return copy;
  });
  return structuredClone({ ...run, state: { ...run.state, nodes } });
}

/** The fields `RunQuery.q` searches: id, name, owner, workflow id, tags and notes. */
export function runSearchFields(run: Run): string[] {
  const fields = [run.id, run.workflow.id, ...run.tags];
  for (const f of [run.name, run.owner, run.notes]) if (f !== undefined) fields.push(f);
  return fields;
}

/** The fields `WorkflowQuery.q` searches: id, name and owner. */
export function workflowSearchFields(workflow: Workflow): string[] {
  const fields = [workflow.id];
  for (const f of [workflow.name, workflow.owner]) if (f !== undefined) fields.push(f);
  return fields;
}

/** Case-insensitive substring match of `needle` in any of `fields`. */
export function matchesText(fields: readonly string[], needle: string): boolean {
  const n = needle.toLowerCase();
  return fields.some((f) => f.toLowerCase().includes(n));
}
