/**
 * Values: JSON-friendly and typed by a DataType. Representation by kind:
 *   boolean  -> boolean            integer -> safe integer      float -> finite number
 *   string   -> string             duration -> integer milliseconds
 *   timestamp -> ISO-8601 UTC string with milliseconds (`2026-01-02T03:04:05.000Z`)
 *   dataset  -> { uri, digest? }   (digest `sha256:<hex>` of the content, when known)
 *   list(T)  -> array              map(string, T) -> object
 * `coerceValue` accepts what a definition file may hold (numbers or text forms); `parseValueText`
 * accepts what a person types on a command line. Both return the canonical representation.
 */
import { DataType, formatType } from './types';

export interface DatasetRef {
  uri: string;
  /** `sha256:<hex>` of the content, when known; cache keys use it instead of the URI. */
  digest?: string;
}

export type Value = boolean | number | string | DatasetRef | Value[] | { [key: string]: Value };

export type Coerced = { ok: true; value: Value } | { ok: false; message: string };

const ok = (value: Value): Coerced => ({ ok: true, value });
const bad = (message: string): Coerced => ({ ok: false, message });
const show = (raw: unknown): string => {
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
};

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000,
};

/** `250ms`, `10s`, `4h`, `1.5h`, `1h30m`, `2d` -> milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!/^(\d+(\.\d+)?(ms|sec|min|s|m|h|d|w))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|sec|min|s|m|h|d|w)/g)) total += Number(m[1]) * DURATION_UNITS_MS[m[2]];
  return Math.round(total);
}

/** Milliseconds -> the shortest exact text form: 14400000 -> `4h`, 90000 -> `1m30s`, 250 -> `250ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return sign + parts.join('');
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO-8601 text -> canonical UTC form; undefined when not a valid timestamp. */
export function parseTimestamp(text: string): string | undefined {
  const s = text.trim();
  if (!ISO_8601.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function timestampToMs(value: string): number {
  return Date.parse(value);
}

export function msToTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function datasetFromUri(text: string): Coerced {
  const s = text.trim();
  if (s.startsWith('/')) return ok({ uri: `file://${s}` });
  return URI.test(s) ? ok({ uri: s }) : bad(`expected a dataset URI (such as file:///data/traces or s3://bucket/key), got ${show(text)}`);
}

function isPlainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

/** Checks and normalises a value read from a definition (YAML/JSON) against its type. */
export function coerceValue(type: DataType, raw: unknown): Coerced {
  const expected = () => bad(`expected ${formatType(type)}, got ${show(raw)}`);
  switch (type.kind) {
    case 'boolean':
      return typeof raw === 'boolean' ? ok(raw) : expected();
    case 'integer':
      return typeof raw === 'number' && Number.isSafeInteger(raw) ? ok(raw === 0 ? 0 : raw) : expected();
    case 'float':
      return typeof raw === 'number' && Number.isFinite(raw) ? ok(raw === 0 ? 0 : raw) : expected();
    case 'string':
      return typeof raw === 'string' ? ok(raw) : expected();
    case 'duration': {
      if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return ok(raw);
      const ms = typeof raw === 'string' ? parseDuration(raw) : undefined;
      return ms === undefined ? bad(`expected a duration such as 250ms, 10s or 4h, got ${show(raw)}`) : ok(ms);
    }
    case 'timestamp': {
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return ok(msToTimestamp(raw));
      if (raw instanceof Date && !Number.isNaN(raw.getTime())) return ok(raw.toISOString());
      const ts = typeof raw === 'string' ? parseTimestamp(raw) : undefined;
      return ts === undefined ? bad(`expected an ISO-8601 timestamp such as 2026-01-31T12:00:00Z, got ${show(raw)}`) : ok(ts);
    }
    case 'dataset': {
      if (typeof raw === 'string') return datasetFromUri(raw);
      if (isPlainObject(raw) && typeof raw.uri === 'string') {
        const base = datasetFromUri(raw.uri);
        if (!base.ok) return base;
        if (raw.digest === undefined) return base;
        if (typeof raw.digest !== 'string' || !DIGEST.test(raw.digest)) return bad(`dataset digest must be sha256:<64 hex digits>, got ${show(raw.digest)}`);
        return ok({ ...(base.value as DatasetRef), digest: raw.digest });
      }
      return expected();
    }
    case 'list': {
      if (!Array.isArray(raw)) return expected();
      const out: Value[] = [];
      for (let i = 0; i < raw.length; i++) {
        const c = coerceValue(type.of, raw[i]);
        if (!c.ok) return bad(`[${i}]: ${c.message}`);
        out.push(c.value);
      }
      return ok(out);
    }
    case 'map': {
      if (!isPlainObject(raw)) return expected();
      const out: Record<string, Value> = {};
      for (const [k, v] of Object.entries(raw)) {
        const c = coerceValue(type.of, v);
        if (!c.ok) return bad(`[${JSON.stringify(k)}]: ${c.message}`);
        out[k] = c.value;
      }
      return ok(out);
    }
  }
}

/** Parses what a person types on a command line (`epsilon=0.1`, `window=10s`, `ks=[1,2]`). */
export function parseValueText(type: DataType, text: string): Coerced {
  const s = text.trim();
  switch (type.kind) {
    case 'boolean':
      if (s === 'true' || s === 'false') return ok(s === 'true');
      return bad(`expected true or false, got ${show(text)}`);
    case 'integer':
    case 'float': {
      const n = s === '' ? NaN : Number(s);
      return Number.isNaN(n) ? bad(`expected ${type.kind === 'integer' ? 'an integer' : 'a number'}, got ${show(text)}`) : coerceValue(type, n);
    }
    case 'string':
      return ok(text);
    case 'duration':
    case 'timestamp':
    case 'dataset':
      return coerceValue(type, /^\d+$/.test(s) ? Number(s) : s);
    case 'list':
    case 'map': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        return bad(`expected JSON for ${formatType(type)}, got ${show(text)}`);
      }
      return coerceValue(type, parsed);
    }
  }
}

/** A short text form for tables and child names: durations as `10s`, datasets by URI. */
export function formatValue(type: DataType, value: Value): string {
  switch (type.kind) {
    case 'duration':
      return formatDuration(value as number);
    case 'dataset':
      return (value as DatasetRef).uri;
    case 'string':
      return value as string;
    case 'list':
      return `[${(value as Value[]).map((v) => formatValue(type.of, v)).join(',')}]`;
    case 'map':
      return `{${Object.entries(value as Record<string, Value>).map(([k, v]) => `${k}:${formatValue(type.of, v)}`).join(',')}}`;
    default:
      return String(value);
  }
}
