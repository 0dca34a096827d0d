/**
 * Reading typed inputs inside an operator. The executor has already checked each value against
 * its port type, so these only add the range checks the type system cannot express.
 */
import { AccioError } from '../core/errors';
import { Value } from '../core/values';

export interface NumberBounds {
  /** Inclusive. */
  min?: number;
  /** Exclusive lower bound, for quantities that must be positive. */
  above?: number;
}

/** A numeric input (integer, float or duration), within bounds. @throws AccioError INVALID */
export function numberInput(inputs: Record<string, Value>, name: string, bounds: NumberBounds = {}): number {
  const v = inputs[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AccioError('INVALID', `input ${name}: expected a number, got ${JSON.stringify(v)}`);
  if (bounds.min !== undefined && v < bounds.min) throw new AccioError('INVALID', `input ${name}: must be >= ${bounds.min}, got ${v}`);
  if (bounds.above !== undefined && v <= bounds.above) throw new AccioError('INVALID', `input ${name}: must be > ${bounds.above}, got ${v}`);
  return v;
}

/** A string input. @throws AccioError INVALID */
export function stringInput(inputs: Record<string, Value>, name: string): string {
  const v = inputs[name];
  if (typeof v !== 'string') throw new AccioError('INVALID', `input ${name}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}
