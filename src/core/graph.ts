/**
 * The DAG behind a workflow: predecessors and successors by node name, a topological order,
 * cycle detection and transitive descendants.
 */
import { NodeSpec } from './workflow';

export interface Dag {
  /** Node names in definition order. */
  readonly nodes: readonly string[];
  readonly predecessors: ReadonlyMap<string, readonly string[]>;
  readonly successors: ReadonlyMap<string, readonly string[]>;
}

/** Builds the DAG from reference bindings; references to unknown nodes are ignored (validation reports them). */
export function buildDag(graph: readonly NodeSpec[]): Dag {
  const names = graph.map((n) => n.name);
  const known = new Set(names);
  const predecessors = new Map<string, string[]>(names.map((n) => [n, []]));
  const successors = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const node of graph) {
    for (const binding of Object.values(node.inputs)) {
      if (binding.kind !== 'reference' || !known.has(binding.node)) continue;
      const preds = predecessors.get(node.name)!;
      if (preds.includes(binding.node)) continue;
      preds.push(binding.node);
      successors.get(binding.node)!.push(node.name);
    }
  }
  return { nodes: names, predecessors, successors };
}

export function roots(dag: Dag): string[] {
  return dag.nodes.filter((n) => dag.predecessors.get(n)!.length === 0);
}

/** A cycle as a closed path (`['A', 'B', 'A']`), or undefined when the graph is acyclic. */
export function findCycle(dag: Dag): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 'open');
    stack.push(n);
    for (const s of dag.successors.get(n) ?? []) {
      const st = state.get(s);
      if (st === 'open') return [...stack.slice(stack.indexOf(s)), s];
      if (st === undefined) {
        const found = visit(s);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of dag.nodes) {
    if (state.has(n)) continue;
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

/** Kahn's algorithm, stable in definition order; nodes on a cycle are left out. */
export function topologicalOrder(dag: Dag): string[] {
  const indegree = new Map(dag.nodes.map((n) => [n, dag.predecessors.get(n)!.length]));
  const queue = dag.nodes.filter((n) => indegree.get(n) === 0);
  const out: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i];
    out.push(n);
    for (const s of dag.successors.get(n)!) {
      const d = indegree.get(s)! - 1;
      indegree.set(s, d);
      if (d === 0) queue.push(s);
    }
  }
  return out;
}

/** Every node reachable from `node` through successors, not including `node`. */
export function descendants(dag: Dag, node: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(dag.successors.get(node) ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(dag.successors.get(n) ?? []));
  }
  return seen;
}
