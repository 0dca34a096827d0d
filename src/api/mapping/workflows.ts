/**
 * Workflow definitions, stored workflows and validation issues ↔ wire. Same conventions as
 * operators.ts: `xToWire` / `xFromWire`, `field` for error messages.
 */
import { ValidationIssue } from '../../core/errors';
import { InputBinding, NodeSpec, ParamSpec, Workflow, WorkflowSpec } from '../../core/workflow';
import * as wire from '../gen-nodejs/accio_types';
import {
  compact, fromI64, malformed, need, needList, needMap, opt, toI64, typeFromText, typeToText, valueFromJson, valueToJson,
} from './primitives';

export function issueToWire(issue: ValidationIssue): wire.ValidationIssue {
  return new wire.ValidationIssue({ path: [...issue.path], message: issue.message });
}

export function issueFromWire(w: wire.ValidationIssue, field: string): ValidationIssue {
  return { path: need(w.path, `${field}.path`), message: need(w.message, `${field}.message`) };
}

export function issuesFromWire(list: wire.ValidationIssue[] | null | undefined, field: string): ValidationIssue[] {
  return needList(list, field, issueFromWire);
}

export function bindingToWire(b: InputBinding, field: string): wire.InputBinding {
  switch (b.kind) {
    case 'value':
      return new wire.InputBinding({ valueJson: valueToJson(b.value, field) });
    case 'reference':
      return new wire.InputBinding({ reference: new wire.NodeOutputRef({ node: b.node, port: b.port }) });
    case 'param':
      return new wire.InputBinding({ param: b.param });
  }
}

export function bindingFromWire(w: wire.InputBinding, field: string): InputBinding {
  const valueJson = opt(w.valueJson);
  const reference = opt(w.reference);
  const param = opt(w.param);
  if ([valueJson, reference, param].filter((x) => x !== undefined).length !== 1) {
    throw malformed(field, 'must set exactly one of valueJson, reference, param');
  }
  if (valueJson !== undefined) return { kind: 'value', value: valueFromJson(valueJson, field) };
  if (reference !== undefined) {
    return { kind: 'reference', node: need(reference.node, `${field}.node`), port: need(reference.port, `${field}.port`) };
  }
  return { kind: 'param', param: param! };
}

export function nodeToWire(n: NodeSpec, field: string): wire.NodeSpec {
  return new wire.NodeSpec({
    name: n.name,
    op: n.op,
    inputs: Object.fromEntries(Object.entries(n.inputs).map(([k, b]) => [k, bindingToWire(b, `${field}.inputs.${k}`)])),
  });
}

export function nodeFromWire(w: wire.NodeSpec, field: string): NodeSpec {
  return {
    name: need(w.name, `${field}.name`),
    op: need(w.op, `${field}.op`),
    inputs: needMap(w.inputs, `${field}.inputs`, bindingFromWire),
  };
}

export function paramToWire(p: ParamSpec, field: string): wire.ParamSpec {
  return new wire.ParamSpec({
    name: p.name,
    type: typeToText(p.type),
    defaultJson: p.default === undefined ? undefined : valueToJson(p.default, `${field}.default`),
    help: p.help,
  });
}

export function paramFromWire(w: wire.ParamSpec, field: string): ParamSpec {
  const defaultJson = opt(w.defaultJson);
  return compact({
    name: need(w.name, `${field}.name`),
    type: typeFromText(w.type, `${field}.type`),
    default: defaultJson === undefined ? undefined : valueFromJson(defaultJson, `${field}.default`),
    help: opt(w.help),
  });
}

export function workflowSpecToWire(s: WorkflowSpec): wire.WorkflowSpec {
  const field = `workflow ${s.id}`;
  return new wire.WorkflowSpec({
    id: s.id,
    name: s.name,
    owner: s.owner,
    params: s.params.map((p, i) => paramToWire(p, `${field}.params[${i}]`)),
    graph: s.graph.map((n, i) => nodeToWire(n, `${field}.graph[${i}]`)),
  });
}

export function workflowSpecFromWire(w: wire.WorkflowSpec | null | undefined, field: string): WorkflowSpec {
  const s = need(w, field);
  return compact({
    id: need(s.id, `${field}.id`),
    name: opt(s.name),
    owner: opt(s.owner),
    params: needList(s.params, `${field}.params`, paramFromWire),
    graph: needList(s.graph, `${field}.graph`, nodeFromWire),
  });
}

export function workflowToWire(wf: Workflow): wire.Workflow {
  const spec = workflowSpecToWire(wf);
  return new wire.Workflow({
    id: spec.id,
    name: spec.name,
    owner: spec.owner,
    params: spec.params,
    graph: spec.graph,
    version: wf.version,
    createdAtMs: toI64(wf.createdAtMs, `workflow ${wf.id}.createdAtMs`),
    active: wf.active,
  });
}

export function workflowFromWire(w: wire.Workflow | null | undefined, field: string): Workflow {
  const wf = need(w, field);
  return {
    ...workflowSpecFromWire(wf, field),
    version: need(wf.version, `${field}.version`),
    createdAtMs: fromI64(wf.createdAtMs, `${field}.createdAtMs`),
    active: need(wf.active, `${field}.active`),
  };
}
