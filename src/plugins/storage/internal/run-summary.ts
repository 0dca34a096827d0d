/**
 * What every storage implementation derives from a run for listings and search, kept in one place
 * so that implementations agree on what a listing holds and what free text matches.
 */
import { Run } from '../../../core/run';
import { Workflow } from '../../../core/workflow';

/**
 * The run without node results: what listings return, so they stay small. A shallow view that
 * shares everything else with `run`: serialize it or clone it, never hand it out as is.
 */
export function summaryView(run: Run): Run {
  const nodes = run.state.nodes.map((node) => {
    const view = { ...node };
    delete view.result;
    return view;
  });
  return { ...run, state: { ...run.state, nodes } };
}

/** A copy of the run without node results. */
export function stripNodeResults(run: Run): Run {
  return structuredClone(summaryView(run));
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
