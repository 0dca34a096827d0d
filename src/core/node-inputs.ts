/**
 * What a node runs with: its resolved inputs (constants, params, predecessors' outputs, operator
 * defaults) and its seed. Resolution order for a port: the binding, else the operator default,
 * else absent (only optional ports may stay absent: validation guarantees it).
 */
import { createHash } from 'node:crypto';
import { OperatorDef } from './operator';
import { OpResult } from './run';
import { Value } from './values';
import { NodeSpec } from './workflow';

export type InputResolution =
  | { ok: true; inputs: Record<string, Value> }
  | { ok: false; message: string };

export function resolveNodeInputs(
  node: NodeSpec,
  op: OperatorDef,
  params: Record<string, Value>,
  resultOf: (node: string) => OpResult | undefined,
): InputResolution {
  const inputs: Record<string, Value> = {};
  for (const port of op.inputs) {
    const binding = node.inputs[port.name];
    let value: Value | undefined;
    if (binding?.kind === 'value') value = binding.value;
    else if (binding?.kind === 'param') value = params[binding.param];
    else if (binding?.kind === 'reference') {
      const result = resultOf(binding.node);
      value = result?.outputs[binding.port];
      if (value === undefined) return { ok: false, message: `input ${port.name}: ${binding.node}/${binding.port} has no value` };
    }
    value ??= port.default;
    if (value !== undefined) inputs[port.name] = value;
    else if (!port.optional) return { ok: false, message: `input ${port.name} is required and has no value` };
  }
  return { ok: true, inputs };
}

/**
 * A node's seed: the first 52 bits of SHA-256 over `<run seed>/<node name>`, so two unstable nodes
 * of one run draw independent numbers, and the same run seed always gives the same node seeds.
 */
export function nodeSeed(runSeed: number, nodeName: string): number {
  const hex = createHash('sha256').update(`${runSeed}/${nodeName}`).digest('hex').slice(0, 13);
  return parseInt(hex, 16);
}
