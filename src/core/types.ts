/**
 * Port types and their text form, as written in definitions: `boolean`, `integer`, `float`,
 * `string`, `duration`, `timestamp`, `dataset`, `list(T)`, `map(string, T)`.
 */

export type ScalarKind = 'boolean' | 'integer' | 'float' | 'string' | 'duration' | 'timestamp' | 'dataset';

export type DataType =
  | { kind: ScalarKind }
  | { kind: 'list'; of: DataType }
  | { kind: 'map'; of: DataType };

export const SCALAR_KINDS: readonly ScalarKind[] = ['boolean', 'integer', 'float', 'string', 'duration', 'timestamp', 'dataset'];

export const T = {
  boolean: { kind: 'boolean' } as DataType,
  integer: { kind: 'integer' } as DataType,
  float: { kind: 'float' } as DataType,
  string: { kind: 'string' } as DataType,
  duration: { kind: 'duration' } as DataType,
  timestamp: { kind: 'timestamp' } as DataType,
  dataset: { kind: 'dataset' } as DataType,
  list: (of: DataType): DataType => ({ kind: 'list', of }),
  map: (of: DataType): DataType => ({ kind: 'map', of }),
};

export function formatType(t: DataType): string {
  switch (t.kind) {
    case 'list':
      return `list(${formatType(t.of)})`;
    case 'map':
      return `map(string, ${formatType(t.of)})`;
    default:
      return t.kind;
  }
}

export function typesEqual(a: DataType, b: DataType): boolean {
  return formatType(a) === formatType(b);
}

/** Numeric types can be averaged and plotted: integer, float, duration (and lists/maps of them). */
export function isNumeric(t: DataType): boolean {
  if (t.kind === 'list' || t.kind === 'map') return isNumeric(t.of);
  return t.kind === 'integer' || t.kind === 'float' || t.kind === 'duration';
}

export type TypeParse = { ok: true; type: DataType } | { ok: false; message: string };

/** Parses the text form of a type; white space around names and commas is ignored. */
export function parseType(text: string): TypeParse {
  const s = text.replace(/\s+/g, '');
  const fail = (): TypeParse => ({
    ok: false,
    message: `unknown type "${text}" (expected one of ${SCALAR_KINDS.join(', ')}, list(T), map(string, T))`,
  });
  if ((SCALAR_KINDS as readonly string[]).includes(s)) return { ok: true, type: { kind: s as ScalarKind } };
  const list = /^list\((.+)\)$/.exec(s);
  if (list) {
    const inner = parseType(list[1]);
    return inner.ok ? { ok: true, type: T.list(inner.type) } : fail();
  }
  const map = /^map\(([^,()]+),(.+)\)$/.exec(s);
  if (map) {
    if (map[1] !== 'string') return { ok: false, message: `map keys must be string, got "${map[1]}" in "${text}"` };
    const inner = parseType(map[2]);
    return inner.ok ? { ok: true, type: T.map(inner.type) } : fail();
  }
  return fail();
}
