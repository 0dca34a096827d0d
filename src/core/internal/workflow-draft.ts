/**
 * First pass over a workflow document: checks its shape (which fields, mappings, lists, binding
 * syntax) and names every param and node, so that the second pass (workflow-check.ts) can report
 * semantic problems at stable paths. Nothing here looks at operators.
 */
import { ValidationIssue } from '../errors';
import { DataType, parseType, SCALAR_KINDS } from '../types';
import { Value } from '../values';
import { InputBinding, NODE_NAME, PARAM_NAME, WORKFLOW_ID } from '../workflow';
import { didYouMean } from './suggest';

export interface ParamDraft {
  /** `['params', name]`, or `['params[i]']` when the param has no usable name. */
  path: string[];
  /** Set when valid and not a duplicate. */
  name?: string;
  /** Set when the type was given and parses. */
  type?: DataType;
  /** Whether the document gives a default (even one that turns out to be of the wrong type). */
  hasDefault: boolean;
  /** The default as written; coerced by the check pass once the type is known. */
  rawDefault?: unknown;
  help?: string;
}

export interface BindingDraft {
  path: string[];
  /** A `value` binding holds the raw constant; the check pass coerces it to the port's type.
   *  Undefined when the binding's syntax is wrong (already reported): the port still counts as bound. */
  binding?: InputBinding;
}

export interface NodeDraft {
  /** `['graph', name]`, or `['graph[i]']` when the node has no usable name. */
  path: string[];
  /** Set when valid and not a duplicate. */
  name?: string;
  /** Set when a non-empty string. */
  op?: string;
  /** Port name -> binding, in document order. */
  inputs: Map<string, BindingDraft>;
}

export interface WorkflowDraft {
  id?: string;
  name?: string;
  owner?: string;
  params: ParamDraft[];
  /** Undefined when the graph is missing or not a list (already reported). */
  nodes?: NodeDraft[];
}

export interface ReadOptions {
  /** Where the document came from; its base name up to the first dot is the default id. */
  filename?: string;
}

const TOP_FIELDS = ['id', 'name', 'owner', 'params', 'graph'];
const PARAM_FIELDS = ['name', 'type', 'default', 'help'];
const NODE_FIELDS = ['op', 'name', 'inputs'];
const BINDING_FORMS = 'a constant, {value: ...}, {reference: Node/port} or {param: name}';

type Issues = ValidationIssue[];

export function isPlainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !(raw instanceof Date);
}

/** `a list`, `a mapping`, `the number 3`, `the text "x"`: for "expected X, got Y" messages. */
export function describe(raw: unknown): string {
  if (raw === null || raw === undefined) return 'nothing';
  if (Array.isArray(raw)) return 'a list';
  if (isPlainObject(raw)) return 'a mapping';
  if (typeof raw === 'string') return `the text ${JSON.stringify(raw)}`;
  if (typeof raw === 'number') return `the number ${raw}`;
  if (typeof raw === 'boolean') return `the boolean ${raw}`;
  return `a ${typeof raw}`;
}

/** A DataType object, as structured specs hold (documents usually give the text form). */
function isDataType(raw: unknown): raw is DataType {
  if (!isPlainObject(raw) || typeof raw.kind !== 'string') return false;
  if (raw.kind === 'list' || raw.kind === 'map') return Object.keys(raw).length === 2 && isDataType(raw.of);
  return Object.keys(raw).length === 1 && (SCALAR_KINDS as readonly string[]).includes(raw.kind);
}

function checkFields(obj: Record<string, unknown>, allowed: string[], path: string[], issues: Issues): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    issues.push({ path: [...path, key], message: `unknown field "${key}"${didYouMean(key, allowed)}; expected ${allowed.join(', ')}` });
  }
}

function optionalString(obj: Record<string, unknown>, key: string, path: string[], issues: Issues): string | undefined {
  const raw = obj[key];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw;
  issues.push({ path: [...path, key], message: `expected text, got ${describe(raw)}` });
  return undefined;
}

/** The base name of a path up to its first dot: `flows/geo-i.v2.yaml` -> `geo-i`. */
export function idFromFilename(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? '';
  return base.split('.')[0];
}

function readId(doc: Record<string, unknown>, options: ReadOptions, issues: Issues): string | undefined {
  const raw = doc.id;
  const rule = 'start with a letter, then letters, digits, "_", "." or "-"';
  if (raw === undefined || raw === null) {
    if (options.filename === undefined) {
      issues.push({ path: ['id'], message: 'missing workflow id: add `id: my-workflow` at the top of the definition' });
      return undefined;
    }
    const id = idFromFilename(options.filename);
    if (WORKFLOW_ID.test(id)) return id;
    issues.push({
      path: ['id'],
      message: `missing workflow id, and the file name "${options.filename}" does not give a valid one ("${id}"): add \`id: my-workflow\` (${rule})`,
    });
    return undefined;
  }
  if (typeof raw !== 'string') {
    issues.push({ path: ['id'], message: `expected a workflow id (text), got ${describe(raw)}` });
    return undefined;
  }
  if (!WORKFLOW_ID.test(raw)) {
    issues.push({ path: ['id'], message: `invalid workflow id ${JSON.stringify(raw)}: ${rule}` });
    return undefined;
  }
  return raw;
}

function readParams(raw: unknown, issues: Issues): ParamDraft[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    issues.push({ path: ['params'], message: `expected a list of params (each with name and type), got ${describe(raw)}` });
    return [];
  }
  const seen = new Map<string, number>();
  const out: ParamDraft[] = [];
  raw.forEach((item, i) => {
    const byIndex = [`params[${i}]`];
    if (!isPlainObject(item)) {
      issues.push({ path: byIndex, message: `expected a param (a mapping with name and type), got ${describe(item)}` });
      return;
    }
    const name = readParamName(item.name, i, seen, issues);
    const path = name === undefined ? byIndex : ['params', name];
    checkFields(item, PARAM_FIELDS, path, issues);
    const draft: ParamDraft = { path, name, hasDefault: item.default !== undefined && item.default !== null, rawDefault: item.default };
    const type = item.type;
    if (type === undefined || type === null) {
      issues.push({ path: [...path, 'type'], message: 'missing type: add `type: float` (or boolean, integer, string, duration, timestamp, dataset, list(T), map(string, T))' });
    } else if (isDataType(type)) {
      draft.type = type;
    } else if (typeof type !== 'string') {
      issues.push({ path: [...path, 'type'], message: `expected a type such as float or list(integer), got ${describe(type)}` });
    } else {
      const parsed = parseType(type);
      if (parsed.ok) draft.type = parsed.type;
      else issues.push({ path: [...path, 'type'], message: parsed.message });
    }
    const help = optionalString(item, 'help', path, issues);
    if (help !== undefined) draft.help = help;
    out.push(draft);
  });
  return out;
}

function readParamName(raw: unknown, i: number, seen: Map<string, number>, issues: Issues): string | undefined {
  const path = [`params[${i}]`, 'name'];
  if (raw === undefined || raw === null) {
    issues.push({ path, message: 'missing param name: add `name: my_param`' });
    return undefined;
  }
  if (typeof raw !== 'string') {
    issues.push({ path, message: `expected a param name (text), got ${describe(raw)}` });
    return undefined;
  }
  if (!PARAM_NAME.test(raw)) {
    issues.push({ path, message: `invalid param name ${JSON.stringify(raw)}: start with a lowercase letter, then letters, digits or "_"` });
    return undefined;
  }
  const first = seen.get(raw);
  if (first !== undefined) {
    issues.push({ path, message: `duplicate param "${raw}" (first declared at params[${first}]): give each param a distinct name` });
    return undefined;
  }
  seen.set(raw, i);
  return raw;
}

function readGraph(raw: unknown, issues: Issues): NodeDraft[] | undefined {
  if (raw === undefined || raw === null) {
    issues.push({ path: ['graph'], message: 'missing graph: add `graph:` with a list of nodes, each with `op:`' });
    return undefined;
  }
  if (!Array.isArray(raw)) {
    issues.push({ path: ['graph'], message: `expected a list of nodes (each with op, name, inputs), got ${describe(raw)}` });
    return undefined;
  }
  const seen = new Map<string, number>();
  const out: NodeDraft[] = [];
  raw.forEach((item, i) => {
    const byIndex = [`graph[${i}]`];
    if (!isPlainObject(item)) {
      issues.push({ path: byIndex, message: `expected a node (a mapping with op, name, inputs), got ${describe(item)}` });
      return;
    }
    const op = typeof item.op === 'string' && item.op !== '' ? item.op : undefined;
    const name = readNodeName(item.name, op, i, seen, issues);
    const path = name === undefined ? byIndex : ['graph', name];
    checkFields(item, NODE_FIELDS, path, issues);
    if (op === undefined) {
      const message = item.op === undefined || item.op === null || item.op === ''
        ? 'missing operator: add `op: <OperatorName>`'
        : `expected an operator name (text), got ${describe(item.op)}`;
      issues.push({ path: [...path, 'op'], message });
    }
    out.push({ path, name, op, inputs: readInputs(item.inputs, [...path, 'inputs'], issues) });
  });
  return out;
}

/** A node without an explicit name is named after its operator; only explicit names are checked
 *  against the pattern, because a bad operator name is reported once, at `op`. */
function readNodeName(raw: unknown, op: string | undefined, i: number, seen: Map<string, number>, issues: Issues): string | undefined {
  const path = [`graph[${i}]`, 'name'];
  let name: string | undefined;
  if (raw === undefined || raw === null) {
    if (op === undefined || !NODE_NAME.test(op)) return undefined;
    name = op;
  } else if (typeof raw !== 'string') {
    issues.push({ path, message: `expected a node name (text), got ${describe(raw)}` });
    return undefined;
  } else if (!NODE_NAME.test(raw)) {
    issues.push({ path, message: `invalid node name ${JSON.stringify(raw)}: start with an uppercase letter, then letters, digits or "_"` });
    return undefined;
  } else {
    name = raw;
  }
  const first = seen.get(name);
  if (first !== undefined) {
    issues.push({ path, message: `duplicate node name "${name}" (first used at graph[${first}]): give each node a distinct \`name\`` });
    return undefined;
  }
  seen.set(name, i);
  return name;
}

function readInputs(raw: unknown, path: string[], issues: Issues): Map<string, BindingDraft> {
  const out = new Map<string, BindingDraft>();
  if (raw === undefined || raw === null) return out;
  if (!isPlainObject(raw)) {
    issues.push({ path, message: `expected a mapping from input port to binding, got ${describe(raw)}` });
    return out;
  }
  for (const [port, value] of Object.entries(raw)) {
    const at = [...path, port];
    out.set(port, { path: at, binding: readBinding(value, at, issues) });
  }
  return out;
}

function readBinding(raw: unknown, path: string[], issues: Issues): InputBinding | undefined {
  if (raw === undefined || raw === null) {
    issues.push({ path, message: `empty binding: give ${BINDING_FORMS}, or remove the line to leave the port unbound` });
    return undefined;
  }
  // Constants stay as written here: only the check pass knows the port type to coerce them to.
  if (!isPlainObject(raw)) return { kind: 'value', value: raw as Value };
  const keys = Object.keys(raw);
  if (keys.length !== 1 || !['value', 'reference', 'param'].includes(keys[0])) {
    issues.push({
      path,
      message: `a binding is ${BINDING_FORMS}; got a mapping with ${keys.length ? `keys ${keys.join(', ')}` : 'no keys'}: write a map constant as {value: {...}}`,
    });
    return undefined;
  }
  switch (keys[0]) {
    case 'value':
      return { kind: 'value', value: raw.value as Value };
    case 'param':
      if (typeof raw.param === 'string' && raw.param !== '') return { kind: 'param', param: raw.param };
      issues.push({ path, message: `expected {param: name} with a param name, got ${describe(raw.param)}` });
      return undefined;
    default:
      return readReference(raw.reference, path, issues);
  }
}

function readReference(raw: unknown, path: string[], issues: Issues): InputBinding | undefined {
  if (typeof raw === 'string') {
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(raw.trim());
    if (m) return { kind: 'reference', node: m[1], port: m[2] };
  } else if (isPlainObject(raw) && typeof raw.node === 'string' && typeof raw.port === 'string' && Object.keys(raw).length === 2) {
    return { kind: 'reference', node: raw.node, port: raw.port };
  }
  issues.push({ path, message: `expected {reference: Node/port} (such as {reference: Source/data}), got ${describe(raw)}` });
  return undefined;
}

/** Reads the document's shape; every problem found is appended to `issues`. */
export function readWorkflowDocument(doc: unknown, options: ReadOptions, issues: Issues): WorkflowDraft {
  if (!isPlainObject(doc)) {
    issues.push({ path: [], message: `a workflow definition is a mapping with id, params and graph, got ${describe(doc)}` });
    return { params: [] };
  }
  checkFields(doc, TOP_FIELDS, [], issues);
  const id = readId(doc, options, issues);
  const name = optionalString(doc, 'name', [], issues);
  const owner = optionalString(doc, 'owner', [], issues);
  const draft: WorkflowDraft = { id, params: readParams(doc.params, issues), nodes: readGraph(doc.graph, issues) };
  if (name !== undefined) draft.name = name;
  if (owner !== undefined) draft.owner = owner;
  return draft;
}
