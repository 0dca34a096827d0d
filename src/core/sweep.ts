/**
 * Sweep expansion: a validated run definition becomes one run, or a parent run plus one child per
 * combination of param values × repeat. The order of children, their names and their seeds are
 * part of the contract (users reproduce a child from its parent's seed), so they are stable.
 */
import { AccioError } from './errors';
import { canonicalJson } from './canonical';
import { derivedSeed } from './prng';
import { NodeState, Run } from './run';
import { RunSpec } from './run-spec';
import { formatValue, Value } from './values';
import { Workflow } from './workflow';

export interface ExpandRunOptions {
  /** The parent's seed (the spec's, or one the caller drew); children draw theirs from it. */
  seed: number;
  /** A fresh run id per call (32 lower-case hex characters). */
  newId: () => string;
  /** Creation time of every run, Unix ms. */
  nowMs: number;
  /** Who submits; used when the spec names no owner. */
  owner?: string;
}

/**
 * Expands a run definition whose params `validateRunSpec` resolved. One combination and one
 * repeat give a single run. Otherwise the parent comes first, then its children: the cartesian
 * product in the workflow's param order, the last param varying fastest, repeats innermost.
 * Children share the parent's value objects (values are never mutated), but each owns its state.
 */
export function expandRun(spec: RunSpec, workflow: Workflow, params: Record<string, Value[]>, options: ExpandRunOptions): Run[] {
  const declared = workflow.params;
  const lists = declared.map((p) => {
    const values = params[p.name];
    if (!values || values.length === 0) {
      throw new AccioError('INTERNAL', `param "${p.name}" has no resolved values: validate the run with validateRunSpec before expanding it`);
    }
    return values;
  });
  const repeat = spec.repeat;
  const combinations = lists.reduce((n, l) => n * l.length, 1);
  const total = combinations * repeat;
  const owner = spec.owner ?? options.owner;
  const base = (id: string, seed: number): Run => ({
    id,
    workflow: { id: workflow.id, version: workflow.version },
    ...(owner !== undefined ? { owner } : {}),
    tags: [],
    seed,
    params: {},
    children: [],
    createdAtMs: options.nowMs,
    state: { status: 'SCHEDULED', progress: 0, nodes: [] },
  });
  const withDescription = (run: Run): Run => ({
    ...run,
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    ...(spec.notes !== undefined ? { notes: spec.notes } : {}),
    tags: [...spec.tags],
  });

  if (total === 1) {
    const run = withDescription(base(options.newId(), options.seed));
    run.params = Object.fromEntries(declared.map((p, i) => [p.name, lists[i][0]]));
    run.state.nodes = freshNodes(workflow);
    return [run];
  }

  const parent = withDescription(base(options.newId(), options.seed));
  parent.state.childCounts = { SCHEDULED: total };
  const runs: Run[] = [parent];
  // Name parts are formatted once per value, not once per child, to keep expansion linear and cheap.
  const varying = declared.map((_, i) => lists[i].length > 1);
  const labels = declared.map((p, i) => (varying[i] ? lists[i].map((v) => `${p.name}=${formatValue(p.type, v)}`) : []));
  const index = new Array<number>(declared.length).fill(0);
  for (let c = 0; c < combinations; c++) {
    const childParams: Record<string, Value> = {};
    const nameParts: string[] = [];
    for (let p = 0; p < declared.length; p++) {
      childParams[declared[p].name] = lists[p][index[p]];
      if (varying[p]) nameParts.push(labels[p][index[p]]);
    }
    const label = nameParts.join(' ');
    for (let r = 1; r <= repeat; r++) {
      const child = base(options.newId(), derivedSeed(options.seed, `${canonicalJson(childParams)}#${r}`));
      child.parent = parent.id;
      child.params = r === 1 ? childParams : { ...childParams };
      child.name = repeat > 1 ? (label ? `${label} #${r}` : `#${r}`) : label;
      child.state.nodes = freshNodes(workflow);
      parent.children.push(child.id);
      runs.push(child);
    }
    advance(index, lists);
  }
  return runs;
}

/** Odometer step over the value lists: the last param varies fastest. */
function advance(index: number[], lists: Value[][]): void {
  for (let p = index.length - 1; p >= 0; p--) {
    index[p] += 1;
    if (index[p] < lists[p].length) return;
    index[p] = 0;
  }
}

function freshNodes(workflow: Workflow): NodeState[] {
  return workflow.graph.map((n) => ({ name: n.name, status: 'WAITING', attempts: 0, cacheHit: false }));
}
