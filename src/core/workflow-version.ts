/**
 * Workflow versions: a content hash of the definition, so that pushing the same definition twice
 * (whatever its key order, formatting or file format) keeps one version, and any change of meaning
 * makes a new one. See docs/workflow-definitions.md.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';
import { formatType } from './types';
import { WorkflowSpec } from './workflow';

/** Length of a version, in hex digits (64 bits of SHA-256). */
export const WORKFLOW_VERSION_LENGTH = 16;

/**
 * The first 16 hex digits of SHA-256 over the canonical JSON of the spec's id, name, owner, params
 * and graph. Only those fields count: a stored Workflow (with version, createdAtMs, active) hashes
 * like its spec. Param types enter in their text form, so the hash does not depend on how DataType
 * objects are built. Pass a normalized spec (from parseWorkflowObject/parseWorkflowText): constants
 * written `10s` and `10000` are then the same value. Node and param order count, since the
 * definition order is what tools show and what breaks ties in the execution order.
 */
export function workflowVersion(spec: WorkflowSpec): string {
  const content = {
    id: spec.id,
    name: spec.name,
    owner: spec.owner,
    params: spec.params.map((p) => ({ name: p.name, type: formatType(p.type), default: p.default, help: p.help })),
    graph: spec.graph.map((n) => ({ name: n.name, op: n.op, inputs: n.inputs })),
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, WORKFLOW_VERSION_LENGTH);
}
