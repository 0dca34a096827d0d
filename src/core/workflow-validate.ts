/**
 * Validation of structured workflow specs (from the API, or built in code), and questions about a
 * valid spec's params.
 */
import { ValidationIssue } from './errors';
import { OperatorRegistry } from './operator';
import { workflowSpecToDocument } from './workflow-document';
import { parseWorkflowObject } from './workflow-parse';
import { ParamSpec, WorkflowSpec } from './workflow';

/**
 * Checks a structured spec with exactly the rules and paths of a definition file: it is turned
 * into document form and parsed. Use parseWorkflowObject instead to also get the spec normalized
 * (constants coerced to their port types), which workflowVersion expects.
 */
export function validateWorkflowSpec(spec: WorkflowSpec, registry: OperatorRegistry): { errors: ValidationIssue[]; warnings: ValidationIssue[] } {
  const doc = spec !== null && typeof spec === 'object' ? workflowSpecToDocument(spec) : spec;
  const { errors, warnings } = parseWorkflowObject(doc, registry);
  return { errors, warnings };
}

/**
 * Whether a run must give this param: it has no default, and at least one input it is bound to
 * is neither optional nor has a default (unbound, that input would be missing). A param bound only
 * to optional or defaulted inputs may be left out: those inputs then stay unbound. An input of an
 * unknown operator counts as required, so that an invalid spec errs on the side of asking.
 */
export function paramIsRequired(param: ParamSpec, spec: WorkflowSpec, registry: OperatorRegistry): boolean {
  if (param.default !== undefined) return false;
  for (const node of spec.graph) {
    for (const [portName, binding] of Object.entries(node.inputs)) {
      if (binding.kind !== 'param' || binding.param !== param.name) continue;
      const port = registry.get(node.op)?.inputs.find((p) => p.name === portName);
      if (!port || (!port.optional && port.default === undefined)) return true;
    }
  }
  return false;
}
