/**
 * Conversions every wire struct shares: presence checks, i32/i64, values as canonical JSON, data
 * types as text, string maps.
 *
 * Failures are AccioErrors with code INVALID: encoding fails when the sender holds something the
 * wire cannot carry exactly (a fractional i32, an unsafe integer, a non-JSON value); decoding fails
 * when the peer sent something this side cannot read. The server and the client decide whose fault
 * that is (see thrift-server.ts and thrift-client.ts).
 */
import { Int64 } from 'thrift';
import { canonicalJson } from '../../core/canonical';
import { AccioError } from '../../core/errors';
import { DataType, formatType, parseType } from '../../core/types';
import { Value } from '../../core/values';

/** The peer sent a message this side cannot read. */
export function malformed(field: string, problem: string): AccioError {
  return new AccioError('INVALID', `malformed message: ${field} ${problem}`);
}

/** This side holds something the wire cannot carry exactly. */
export function unsendable(field: string, problem: string): AccioError {
  return new AccioError('INVALID', `cannot send ${field}: ${problem}`);
}

/**
 * A field the sender always sets. Generated structs hold `null` for a field that did not arrive,
 * whatever their declared TypeScript type says.
 */
export function need<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) throw malformed(field, 'is missing');
  return value;
}

/** An optional field: absent on the wire (null) becomes undefined. */
export function opt<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/**
 * Removes the properties that are undefined, so that an optional field absent on the wire is absent
 * from the domain object (not present with the value undefined: deep equality tells them apart).
 */
export function compact<T extends object>(object: T): T {
  for (const key of Object.keys(object)) {
    if ((object as Record<string, unknown>)[key] === undefined) delete (object as Record<string, unknown>)[key];
  }
  return object;
}

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

/** Counts, limits, attempts: integers that fit an i32, or an error rather than silent truncation. */
export function toI32(n: number, field: string): number {
  if (!Number.isInteger(n) || n < I32_MIN || n > I32_MAX) throw unsendable(field, `expected a 32-bit integer, got ${n}`);
  return n;
}

/** An optional i32: undefined stays absent. */
export function optToI32(n: number | undefined, field: string): number | undefined {
  return n === undefined ? undefined : toI32(n, field);
}

/** Epoch milliseconds, seeds and counts are JavaScript numbers: only safe integers travel as i64. */
export function toI64(n: number, field: string): Int64 {
  if (!Number.isSafeInteger(n)) throw unsendable(field, `expected a safe integer, got ${n}`);
  return new Int64(n);
}

/** An optional i64: undefined stays absent. */
export function optToI64(n: number | undefined, field: string): Int64 | undefined {
  return n === undefined ? undefined : toI64(n, field);
}

/** An i64 the sender always sets, as a number; beyond the safe integers is an error, never a rounding. */
export function fromI64(v: Int64 | null | undefined, field: string): number {
  const i64 = need(v, field);
  // Read the exact 64 bits: Int64#toNumber would round a value past 2^53 without a word.
  const big = i64.buffer.readBigInt64BE(i64.offset ?? 0);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw malformed(field, `is ${big}, beyond the safe integers of JavaScript`);
  }
  return Number(big);
}

/** An optional i64: absent stays undefined. */
export function optFromI64(v: Int64 | null | undefined, field: string): number | undefined {
  return v === null || v === undefined ? undefined : fromI64(v, field);
}

/** A typed value, as its canonical JSON text. */
export function valueToJson(value: Value, field: string): string {
  return rawToJson(value, field);
}

/** A typed value from its JSON text (already checked by the sender; not coerced again). */
export function valueFromJson(text: string | null | undefined, field: string): Value {
  return rawFromJson(text, field) as Value;
}

/**
 * A raw value as written in a definition (not yet checked against a type), as canonical JSON.
 * A Date (what a YAML timestamp may parse to) travels as its ISO-8601 text, which is what
 * validation turns it into anyway.
 */
export function rawToJson(raw: unknown, field: string): string {
  try {
    return canonicalJson(withoutDates(raw));
  } catch (err) {
    throw unsendable(field, (err as Error).message);
  }
}

/** A raw value from its JSON text. */
export function rawFromJson(text: string | null | undefined, field: string): unknown {
  const json = need(text, field);
  try {
    return JSON.parse(json);
  } catch {
    throw malformed(field, `is not JSON: ${json.length > 80 ? `${json.slice(0, 80)}...` : json}`);
  }
}

function withoutDates(raw: unknown): unknown {
  if (raw instanceof Date) return raw.toISOString();
  if (Array.isArray(raw)) return raw.map(withoutDates);
  if (typeof raw === 'object' && raw !== null) return mapValues(raw as Record<string, unknown>, withoutDates);
  return raw;
}

/** A data type in its text form, as written in definitions. */
export function typeToText(type: DataType): string {
  return formatType(type);
}

/** A data type from its text form; an unknown type is a malformed message. */
export function typeFromText(text: string | null | undefined, field: string): DataType {
  const parsed = parseType(need(text, field));
  if (!parsed.ok) throw malformed(field, parsed.message);
  return parsed.type;
}

/** Applies `fn` to every value of a string-keyed record. */
export function mapValues<A, B>(record: Record<string, A>, fn: (value: A, key: string) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v, k)]));
}

/** Reads a list field the sender always sets. */
export function needList<A, B>(list: A[] | null | undefined, field: string, fn: (item: A, at: string) => B): B[] {
  return need(list, field).map((item, i) => fn(item, `${field}[${i}]`));
}

/** Reads a map field the sender always sets. */
export function needMap<A, B>(map: Record<string, A> | null | undefined, field: string, fn: (value: A, at: string) => B): Record<string, B> {
  return mapValues(need(map, field), (v, k) => fn(v, `${field}.${k}`));
}

/** Builds both directions of a closed string union ↔ Thrift enum table, checked for completeness by the compiler. */
export function enumCodec<D extends string, W extends number>(name: string, toWire: Record<D, W>): {
  toWire(value: D): W;
  fromWire(value: W | null | undefined, field: string): D;
} {
  const back = new Map<number, D>(Object.entries(toWire).map(([d, w]) => [w as number, d as D]));
  return {
    toWire(value: D): W {
      const w = toWire[value];
      if (w === undefined) throw unsendable(name, `unknown value ${JSON.stringify(value)}`);
      return w;
    },
    fromWire(value: W | null | undefined, field: string): D {
      const d = back.get(need(value, field));
      if (d === undefined) throw malformed(field, `is an unknown ${name} (${value})`);
      return d;
    },
  };
}
