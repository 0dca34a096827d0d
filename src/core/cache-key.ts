/**
 * Cache keys: what identifies an operator's result. Two tasks with the same key produce the same
 * result, so the second one is served from the cache. The exact format is documented in
 * docs/cache-keys.md; changing it invalidates every cached result, so bump `v` when you must.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';
import { OperatorDef } from './operator';
import { DataType } from './types';
import { DatasetRef, Value } from './values';

/** Version of the key format; part of every key so a new format never collides with an old one. */
export const CACHE_KEY_FORMAT_VERSION = 1;

export interface CacheKeyInput {
  op: OperatorDef;
  /** Resolved input values by port name; ports left out fall back to their default. */
  inputs: Record<string, Value>;
  /** The task's seed; enters the key only when the operator is unstable. */
  seed: number;
}

/**
 * Hex SHA-256 (64 characters) over the canonical JSON of
 * `{ v: 1, op, version, inputs: [[port, value | default | null], ...], seed? }`, with inputs in the
 * operator's declaration order and datasets by content digest when known.
 */
export function cacheKey(input: CacheKeyInput): string {
  const { op, inputs, seed } = input;
  const keyed: [string, unknown][] = op.inputs.map((port) => {
    const value = Object.prototype.hasOwnProperty.call(inputs, port.name) ? inputs[port.name] : port.default;
    return [port.name, value === undefined ? null : keyedValue(port.type, value)];
  });
  const doc = {
    v: CACHE_KEY_FORMAT_VERSION,
    op: op.name,
    version: op.version,
    inputs: keyed,
    seed: op.unstable ? seed : undefined,
  };
  return createHash('sha256').update(canonicalJson(doc), 'utf8').digest('hex');
}

/**
 * A dataset is its content: the same bytes under two URIs (a re-upload, another bucket) must hit
 * the same cache entry, so the URI enters the key only when no digest is known.
 */
function keyedValue(type: DataType, value: Value): unknown {
  switch (type.kind) {
    case 'dataset': {
      const ref = value as DatasetRef;
      if (typeof ref !== 'object' || ref === null) return value;
      return ref.digest !== undefined ? { digest: ref.digest } : { uri: ref.uri };
    }
    case 'list':
      return Array.isArray(value) ? value.map((v) => keyedValue(type.of, v)) : value;
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = keyedValue(type.of, v);
      return out;
    }
    default:
      return value;
  }
}
