/**
 * A WorkflowSpec back to the document form people write (docs/workflow-definitions.md): what
 * `accio workflow get -o yaml` prints, and how a structured spec from the API is validated by the
 * same code as a file. Parsing the document gives back an equal spec.
 */
import { formatType, parseType } from './types';
import { InputBinding, NodeSpec, ParamSpec, WorkflowSpec } from './workflow';

/** A binding in document form: always the explicit wrapper, so that maps and strings round-trip. */
function bindingToDocument(binding: InputBinding): unknown {
  switch (binding?.kind) {
    case 'value':
      return { value: binding.value };
    case 'param':
      return { param: binding.param };
    case 'reference':
      // The object form keeps node or port names that contain a "/" unambiguous.
      return binding.node.includes('/') || binding.port.includes('/')
        ? { reference: { node: binding.node, port: binding.port } }
        : { reference: `${binding.node}/${binding.port}` };
    default:
      // Not a binding (a malformed API request): passed through for validation to report.
      return binding;
  }
}

function paramToDocument(param: ParamSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { name: param.name };
  // A type that is not a DataType (a malformed API request) is passed through for validation to report.
  let text: string | undefined;
  try {
    text = formatType(param.type);
  } catch {
    text = undefined;
  }
  out.type = typeof text === 'string' && parseType(text).ok ? text : param.type;
  if (param.default !== undefined) out.default = param.default;
  if (param.help !== undefined) out.help = param.help;
  return out;
}

function nodeToDocument(node: NodeSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { op: node.op };
  if (node.name !== node.op) out.name = node.name;
  if (node.inputs !== null && typeof node.inputs === 'object' && !Array.isArray(node.inputs)) {
    const inputs: Record<string, unknown> = {};
    for (const [port, binding] of Object.entries(node.inputs)) inputs[port] = bindingToDocument(binding);
    if (Object.keys(inputs).length) out.inputs = inputs;
  } else if (node.inputs !== undefined) {
    out.inputs = node.inputs;
  }
  return out;
}

/** The document form of a spec; parseWorkflowObject of the result gives back an equal spec. */
export function workflowSpecToDocument(spec: WorkflowSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: spec.id };
  if (spec.name !== undefined) out.name = spec.name;
  if (spec.owner !== undefined) out.owner = spec.owner;
  out.params = Array.isArray(spec.params) ? spec.params.map((p) => (p !== null && typeof p === 'object' ? paramToDocument(p) : p)) : spec.params;
  out.graph = Array.isArray(spec.graph) ? spec.graph.map((n) => (n !== null && typeof n === 'object' ? nodeToDocument(n) : n)) : spec.graph;
  return out;
}
