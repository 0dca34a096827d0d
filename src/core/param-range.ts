/**
 * Numeric ranges of param values (`{from, to, step}` and `log` ranges), counted without
 * materialising them, so a sweep that is too large is refused before it takes any memory.
 * Endpoints and step arrive already checked by run validation.
 */
import { msToTimestamp, Value } from './values';

/** Param types a range can run over. */
export type RangeKind = 'integer' | 'float' | 'duration' | 'timestamp';

/** Base of a log range: `x_i = from * base^(i * step)`. */
export type LogBase = 10 | 2 | 'e';

export const LOG_BASES: readonly LogBase[] = [10, 2, 'e'];

/**
 * A range in plain numbers: integers, floats, or milliseconds (durations, and timestamps as Unix
 * ms). `step` is in the param's unit for linear ranges (ms for timestamps) and in log units of
 * `log` for log ranges. Callers guarantee `from <= to`, `step > 0`, and `from > 0` for log ranges.
 */
export interface NumericRange {
  kind: RangeKind;
  from: number;
  to: number;
  step: number;
  log?: LogBase;
}

/**
 * How far past `to`, in steps, a float range may land and still include its last value: float
 * arithmetic puts `0 + 3 * 0.1` at 0.30000000000000004, which must still count as reaching 0.3.
 */
export const RANGE_TOLERANCE_STEPS = 1e-9;

/** Float results are rounded to this many significant digits, so `0.1 * 3` prints as 0.3. */
export const RANGE_SIGNIFICANT_DIGITS = 12;

/** Rounds to `digits` significant digits; never returns -0. */
export function roundSignificant(x: number, digits: number = RANGE_SIGNIFICANT_DIGITS): number {
  if (x === 0 || !Number.isFinite(x)) return x === 0 ? 0 : x;
  const r = Number(x.toPrecision(digits));
  return r === 0 ? 0 : r;
}

const log = (base: LogBase, x: number): number => (base === 10 ? Math.log10(x) : base === 2 ? Math.log2(x) : Math.log(x));
const pow = (base: LogBase, e: number): number => (base === 'e' ? Math.exp(e) : Math.pow(base, e));

/** Number of steps from `from` to `to` (fractional), in the range's own space. */
function stepsSpan(r: NumericRange): number {
  if (r.log !== undefined) return (log(r.log, r.to) - log(r.log, r.from)) / r.step;
  return (r.to - r.from) / r.step;
}

/** How many values the range holds; may be huge or Infinity, which callers must refuse. */
export function rangeCount(r: NumericRange): number {
  const span = stepsSpan(r);
  if (!Number.isFinite(span)) return Infinity;
  if (r.log === undefined && r.kind !== 'float') {
    // Integer arithmetic: the float quotient may round up across a whole number for large spans.
    let n = Math.floor(span);
    if (n * r.step > r.to - r.from) n -= 1;
    return n + 1;
  }
  return Math.floor(span + RANGE_TOLERANCE_STEPS) + 1;
}

/**
 * Whether the last value of the range is `to` (within the tolerance); ranges whose `to` is not a
 * whole number of steps away stop short of it.
 */
export function rangeReachesTo(r: NumericRange): boolean {
  const span = stepsSpan(r);
  const n = rangeCount(r) - 1;
  return Math.abs(span - n) <= RANGE_TOLERANCE_STEPS;
}

/**
 * The range's values in the param's canonical representation (timestamps as ISO-8601 text).
 * Each value is computed from `from` and its index, never by adding steps up, so errors do not
 * accumulate. Floats are rounded to 12 significant digits, durations to whole ms. Call only after
 * `rangeCount` was checked against a limit.
 */
export function rangeValues(r: NumericRange): Value[] {
  const n = rangeCount(r);
  const out: Value[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (r.log !== undefined) {
      const x = r.from * pow(r.log, i * r.step);
      out[i] = r.kind === 'duration' ? Math.round(x) : roundSignificant(x);
    } else if (r.kind === 'float') {
      out[i] = roundSignificant(r.from + i * r.step);
    } else {
      const x = r.from + i * r.step;
      out[i] = r.kind === 'timestamp' ? msToTimestamp(x) : x;
    }
  }
  return out;
}
