/**
 * Second pass over a workflow: operators, ports, types, params and the shape of the graph. Works on
 * the draft of the first pass, so problems already reported there (a bad name, a malformed binding)
 * are not reported again as consequences here. Linear in the size of the workflow.
 */
import { ValidationIssue } from '../errors';
import { buildDag, Dag, findCycle, roots, topologicalOrder } from '../graph';
import { OperatorDef, OperatorRegistry, PortDef } from '../operator';
import { DataType, formatType, typesEqual } from '../types';
import { coerceValue, Value } from '../values';
import { InputBinding, NodeSpec, ParamSpec } from '../workflow';
import { didYouMean } from './suggest';
import { NodeDraft, WorkflowDraft } from './workflow-draft';

export interface CheckedWorkflow {
  /** Declared params, defaults coerced; complete only when no error was reported. */
  params: ParamSpec[];
  /** Nodes with constants coerced to their port types; complete only when no error was reported. */
  graph: NodeSpec[];
}

interface Ports {
  inputs: Map<string, PortDef>;
  outputs: Map<string, PortDef>;
}

interface ParamUse {
  path: string[];
  /** Undefined when the node's operator is unknown. */
  type?: DataType;
  /** `Train.epsilon`, for messages. */
  label: string;
}

interface ResolvedNode {
  draft: NodeDraft;
  /** Both set when the operator is known. */
  def?: OperatorDef;
  ports?: Ports;
}

/** Checks a draft; appends to `errors` and `warnings` and returns the normalized spec parts. */
export function checkWorkflowDraft(draft: WorkflowDraft, registry: OperatorRegistry, errors: ValidationIssue[], warnings: ValidationIssue[]): CheckedWorkflow {
  const params = checkParams(draft, errors);
  const nodes = resolveOperators(draft.nodes ?? [], registry, errors, warnings);
  const byName = new Map<string, ResolvedNode>();
  for (const n of nodes) if (n.draft.name !== undefined) byName.set(n.draft.name, n);
  const uses = new Map<string, ParamUse[]>();
  const graph: NodeSpec[] = [];
  for (const node of nodes) {
    const spec = checkNode(node, byName, uses, errors);
    if (spec) graph.push(spec);
  }
  checkParamUses(draft, uses, errors, warnings);
  if (draft.nodes !== undefined) checkGraphShape(draft.nodes, errors);
  return { params, graph };
}

function checkParams(draft: WorkflowDraft, errors: ValidationIssue[]): ParamSpec[] {
  const out: ParamSpec[] = [];
  for (const p of draft.params) {
    let value: Value | undefined;
    if (p.hasDefault && p.type) {
      const c = coerceValue(p.type, p.rawDefault);
      if (c.ok) value = c.value;
      else errors.push({ path: [...p.path, 'default'], message: c.message });
    }
    if (p.name === undefined || p.type === undefined) continue;
    const spec: ParamSpec = { name: p.name, type: p.type };
    if (value !== undefined) spec.default = value;
    if (p.help !== undefined) spec.help = p.help;
    out.push(spec);
  }
  return out;
}

function resolveOperators(drafts: NodeDraft[], registry: OperatorRegistry, errors: ValidationIssue[], warnings: ValidationIssue[]): ResolvedNode[] {
  const out: ResolvedNode[] = [];
  // Listed only for "did you mean": most workflows have no unknown operator.
  let operatorNames: string[] | undefined;
  // Many nodes share an operator: index its ports once per check, not once per node.
  const portsByOp = new Map<OperatorDef, Ports>();
  for (const draft of drafts) {
    const node: ResolvedNode = { draft };
    out.push(node);
    if (draft.op === undefined) continue;
    node.def = registry.get(draft.op);
    if (node.def) {
      let ports = portsByOp.get(node.def);
      if (!ports) portsByOp.set(node.def, (ports = indexPorts(node.def)));
      node.ports = ports;
    }
    if (node.def === undefined) {
      operatorNames ??= registry.list().map((d) => d.name);
      errors.push({ path: [...draft.path, 'op'], message: `unknown operator "${draft.op}"${didYouMean(draft.op, operatorNames)}: no operator of this name is registered; check the spelling (names are case-sensitive)` });
    } else if (node.def.deprecation !== undefined) {
      warnings.push({ path: [...draft.path, 'op'], message: `operator ${draft.op} is deprecated: ${node.def.deprecation}` });
    }
  }
  return out;
}

function indexPorts(def: OperatorDef): Ports {
  return { inputs: new Map(def.inputs.map((p) => [p.name, p])), outputs: new Map(def.outputs.map((p) => [p.name, p])) };
}

function names(ports: Map<string, PortDef>): string {
  return ports.size ? [...ports.keys()].join(', ') : 'none';
}

function checkNode(node: ResolvedNode, byName: Map<string, ResolvedNode>, uses: Map<string, ParamUse[]>, errors: ValidationIssue[]): NodeSpec | undefined {
  const { draft, def, ports } = node;
  const inputs: Record<string, InputBinding> = {};
  for (const [portName, { path, binding }] of draft.inputs) {
    const port = ports?.inputs.get(portName);
    if (ports && !port) {
      errors.push({ path, message: `operator ${def!.name} has no input "${portName}"${didYouMean(portName, ports.inputs.keys())}; its inputs are: ${names(ports.inputs)}` });
    }
    if (binding === undefined) continue;
    if (ports && !port) {
      // Still a use, so that the param is not also reported as unused.
      if (binding.kind === 'param') addUse(uses, binding.param, { path, label: `${draft.path.join('.')}.${portName}` });
      continue;
    }
    switch (binding.kind) {
      case 'value': {
        if (!port) {
          inputs[portName] = binding;
          break;
        }
        const c = coerceValue(port.type, binding.value);
        if (c.ok) inputs[portName] = { kind: 'value', value: c.value };
        else errors.push({ path, message: c.message });
        break;
      }
      case 'reference':
        checkReference(binding, port, path, byName, errors);
        inputs[portName] = binding;
        break;
      case 'param':
        addUse(uses, binding.param, { path, type: port?.type, label: `${draft.name ?? draft.path.join('.')}.${portName}` });
        inputs[portName] = binding;
        break;
    }
  }
  if (ports) {
    for (const port of ports.inputs.values()) {
      if (draft.inputs.has(port.name) || port.default !== undefined || port.optional) continue;
      errors.push({
        path: [...draft.path, 'inputs', port.name],
        message: `required input "${port.name}" (${formatType(port.type)}) is not bound: bind it to a constant, {reference: Node/port} or {param: name}`,
      });
    }
  }
  return draft.name !== undefined && draft.op !== undefined ? { name: draft.name, op: draft.op, inputs } : undefined;
}

function checkReference(binding: InputBinding & { kind: 'reference' }, port: PortDef | undefined, path: string[], byName: Map<string, ResolvedNode>, errors: ValidationIssue[]): void {
  const target = byName.get(binding.node);
  const ref = `${binding.node}/${binding.port}`;
  if (!target) {
    errors.push({ path, message: `unknown node "${binding.node}" in reference ${ref}: no node of the graph has this name` });
    return;
  }
  if (!target.def || !target.ports) return;
  const outputs = target.ports.outputs;
  const out = outputs.get(binding.port);
  if (!out) {
    errors.push({
      path,
      message: `node ${binding.node} (operator ${target.def.name}) has no output "${binding.port}"${didYouMean(binding.port, outputs.keys())}; its outputs are: ${names(outputs)}`,
    });
    return;
  }
  if (port && !typesEqual(out.type, port.type)) {
    errors.push({ path, message: `${ref} is ${formatType(out.type)} but this input takes ${formatType(port.type)}` });
  }
}

function addUse(uses: Map<string, ParamUse[]>, param: string, use: ParamUse): void {
  const list = uses.get(param);
  if (list) list.push(use);
  else uses.set(param, [use]);
}

function checkParamUses(draft: WorkflowDraft, uses: Map<string, ParamUse[]>, errors: ValidationIssue[], warnings: ValidationIssue[]): void {
  const declared = new Map(draft.params.filter((p) => p.name !== undefined).map((p) => [p.name!, p]));
  for (const [param, list] of uses) {
    const typed = list.filter((u) => u.type !== undefined);
    const distinct = new Set(typed.map((u) => formatType(u.type!)));
    if (distinct.size > 1) {
      const bound = typed.map((u) => `${u.label} (${formatType(u.type!)})`).join(', ');
      errors.push({ path: ['params', param], message: `param "${param}" is bound to inputs of different types: ${bound}; use one param per type` });
    }
    const p = declared.get(param);
    if (!p) {
      const hint = didYouMean(param, declared.keys());
      for (const u of list) errors.push({ path: u.path, message: `undeclared param "${param}"${hint}: declare it under params with a name and a type` });
      continue;
    }
    if (!p.type) continue;
    for (const u of typed) {
      if (typesEqual(p.type, u.type!)) continue;
      errors.push({
        path: u.path,
        message: `param "${param}" is declared ${formatType(p.type)} but this input takes ${formatType(u.type!)}: change the param's type or bind another param`,
      });
    }
  }
  for (const p of declared.values()) {
    if (!uses.has(p.name!)) warnings.push({ path: p.path, message: `param "${p.name}" is not bound to any input: bind it with {param: ${p.name}} or remove it` });
  }
}

function checkGraphShape(drafts: NodeDraft[], errors: ValidationIssue[]): void {
  if (drafts.length === 0) {
    errors.push({ path: ['graph'], message: 'the graph has no nodes: add at least one node with `op:`' });
    return;
  }
  const named: NodeSpec[] = [];
  for (const d of drafts) {
    if (d.name === undefined) continue;
    const inputs: Record<string, InputBinding> = {};
    for (const [port, { binding }] of d.inputs) if (binding?.kind === 'reference') inputs[port] = binding;
    named.push({ name: d.name, op: d.op ?? '', inputs });
  }
  const dag = buildDag(named);
  const ordered = topologicalOrder(dag);
  if (ordered.length < dag.nodes.length) errors.push({ path: ['graph'], message: describeCycle(cyclicCore(dag, ordered)) });
  if (dag.nodes.length > 0 && roots(dag).length === 0) {
    errors.push({ path: ['graph'], message: 'no root node: every node takes an input from another node, so none can start; give at least one node only constants and params' });
  }
}

/**
 * The nodes of the DAG that lie on a cycle or between cycles: what Kahn's order left out, minus the
 * nodes that only hang below a cycle. findCycle recurses once per node of a path, so it is given
 * this core rather than the whole graph, where a long chain would overflow the stack.
 */
function cyclicCore(dag: Dag, ordered: string[]): Dag {
  const done = new Set(ordered);
  const left = dag.nodes.filter((n) => !done.has(n));
  const inCore = new Set(left);
  const outdegree = new Map(left.map((n) => [n, dag.successors.get(n)!.filter((s) => inCore.has(s)).length]));
  const sinks = left.filter((n) => outdegree.get(n) === 0);
  for (let i = 0; i < sinks.length; i++) {
    inCore.delete(sinks[i]);
    for (const p of dag.predecessors.get(sinks[i])!) {
      if (!inCore.has(p)) continue;
      const d = outdegree.get(p)! - 1;
      outdegree.set(p, d);
      if (d === 0) sinks.push(p);
    }
  }
  const nodes = left.filter((n) => inCore.has(n));
  const restrict = (edges: ReadonlyMap<string, readonly string[]>) => new Map(nodes.map((n) => [n, edges.get(n)!.filter((m) => inCore.has(m))]));
  return { nodes, predecessors: restrict(dag.predecessors), successors: restrict(dag.successors) };
}

function describeCycle(core: Dag): string {
  try {
    const cycle = findCycle(core);
    if (cycle) return `cycle: ${cycle.join(' -> ')}`;
  } catch (err) {
    // A single cycle through thousands of nodes is too deep for findCycle's recursion.
    if (!(err instanceof RangeError)) throw err;
  }
  const shown = core.nodes.slice(0, 10).join(', ');
  return `cycle among ${core.nodes.length} nodes: ${shown}${core.nodes.length > 10 ? ', ...' : ''}`;
}
