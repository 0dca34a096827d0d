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

/**
 * A cycle as a closed path (`['A', 'B', 'A']`), or undefined when the graph is acyclic.
 * Iterative depth-first search: a chain of many thousand nodes must not overflow the stack.
 */
export function findCycle(dag: Dag): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  for (const root of dag.nodes) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const next: number[] = [0];
    state.set(root, 'open');
    while (path.length > 0) {
      const node = path[path.length - 1];
      const succ = dag.successors.get(node) ?? [];
      const i = next[next.length - 1]++;
      if (i >= succ.length) {
        state.set(node, 'done');
        path.pop();
        next.pop();
        continue;
      }
      const s = succ[i];
      const st = state.get(s);
      if (st === 'open') return [...path.slice(path.indexOf(s)), s];
      if (st === undefined) {
        state.set(s, 'open');
        path.push(s);
        next.push(0);
      }
    }
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
