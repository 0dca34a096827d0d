/**
 * The one canonical serialization of JSON-friendly data: object keys sorted by UTF-16 code units,
 * no white space, numbers in JavaScript's shortest round-trip form with -0 written as 0. Hashes
 * (cache keys, workflow versions) are taken over this text, so it must never change.
 */

export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(v: unknown, at: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`cannot serialize ${v} at ${at}: numbers must be finite`);
      return Object.is(v, -0) ? '0' : JSON.stringify(v);
    case 'string':
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x, i) => write(x, `${at}[${i}]`)).join(',')}]`;
      const keys = Object.keys(v as object)
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .sort();
      const parts = keys.map((k) => `${JSON.stringify(k)}:${write((v as Record<string, unknown>)[k], `${at}.${k}`)}`);
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`cannot serialize a ${typeof v} at ${at}`);
  }
}
