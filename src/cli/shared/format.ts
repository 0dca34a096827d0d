/**
 * Text forms for people: relative times, durations, progress bars, value previews and status
 * colours. Pure: the caller passes the clock reading and whether colour is wanted (only when the
 * stream is a terminal, so that piped output never carries escape codes).
 */
import { NodeStatus, RunStatus } from '../../core/run';
import { Value } from '../../core/values';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** `just now`, `45s ago`, `3m ago`, `5h ago`, `12d ago`; older than 60 days: the date `2026-01-31`. */
export function relativeTime(atMs: number, nowMs: number): string {
  const ago = nowMs - atMs;
  // A clock a little ahead of ours (a remote agent) must not print "in 2s".
  if (ago < 5 * SECOND_MS) return 'just now';
  if (ago < MINUTE_MS) return `${Math.floor(ago / SECOND_MS)}s ago`;
  if (ago < HOUR_MS) return `${Math.floor(ago / MINUTE_MS)}m ago`;
  if (ago < DAY_MS) return `${Math.floor(ago / HOUR_MS)}h ago`;
  if (ago < 60 * DAY_MS) return `${Math.floor(ago / DAY_MS)}d ago`;
  return new Date(atMs).toISOString().slice(0, 10);
}

/**
 * A duration rounded to its two largest units: `850ms`, `12s`, `3m05s`, `1h02m`, `2d03h`.
 * Tables need a short, fixed-shape form; `formatDuration` of src/core is the exact one.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < SECOND_MS) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / SECOND_MS);
  if (s < 60) return `${s}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${pad(Math.floor((s % 86400) / 3600))}h`;
}

/** How long something ran: until completion, or until now while it still runs; `-` before it started. */
export function elapsed(startedAtMs: number | undefined, completedAtMs: number | undefined, nowMs: number): string {
  if (startedAtMs === undefined) return '-';
  return humanDuration((completedAtMs ?? nowMs) - startedAtMs);
}

/** `42%`; a fraction outside 0..1 is clamped. */
export function percent(fraction: number): string {
  return `${Math.round(clamp01(fraction) * 100)}%`;
}

/** `[########------------]`, `width` characters between the brackets. */
export function progressBar(fraction: number, width = 20): string {
  const filled = Math.round(clamp01(fraction) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function clamp01(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Math.min(1, Math.max(0, x));
}

/** The first `length` characters of an id; the full id when `length` is undefined (`--no-trunc`). */
export function shortId(id: string, length: number | undefined): string {
  return length === undefined ? id : id.slice(0, length);
}

const ANSI = { red: 31, green: 32, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof ANSI;

/** Wraps text in an ANSI colour when `enabled`; returns it unchanged otherwise. */
export function colour(text: string, c: Colour, enabled: boolean): string {
  return enabled ? `\u001b[${ANSI[c]}m${text}\u001b[0m` : text;
}

/** Removes ANSI escape codes: widths are measured on what is visible. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

const STATUS_COLOURS: Partial<Record<RunStatus | NodeStatus, Colour>> = {
  SUCCESS: 'green',
  FAILED: 'red',
  LOST: 'red',
  KILLED: 'yellow',
  CANCELLED: 'yellow',
  RUNNING: 'cyan',
  SCHEDULED: 'dim',
  WAITING: 'dim',
};

/** A run or node status, coloured by outcome when `enabled`. */
export function statusText(status: RunStatus | NodeStatus, enabled: boolean): string {
  const c = STATUS_COLOURS[status];
  return c ? colour(status, c, enabled) : status;
}

function isDatasetRef(v: Value): v is { uri: string; digest?: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { uri?: unknown }).uri === 'string'
    && Object.keys(v).every((k) => k === 'uri' || k === 'digest');
}

/**
 * The text of a value in a cell or a CSV field: scalars as they are, a dataset by its URI, lists
 * and maps as JSON. Values carry no type here (runs store them untyped), so a map that happens to
 * have the keys of a dataset reference reads as a dataset: harmless for display.
 */
export function valueText(v: Value | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isDatasetRef(v)) return v.uri;
  return JSON.stringify(v);
}

/**
 * A preview for `inspect`: like valueText, but a long list shows its first items and its length,
 * so one output cannot flood the terminal.
 */
export function valuePreview(v: Value, maxItems = 10): string {
  if (Array.isArray(v) && v.length > maxItems) {
    const head = v.slice(0, maxItems).map((x) => valueText(x)).join(', ');
    return `[${head}, … (${v.length} items)]`;
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !isDatasetRef(v)) {
    const entries = Object.entries(v);
    if (entries.length > maxItems) {
      const head = entries.slice(0, maxItems).map(([k, x]) => `${k}: ${valueText(x)}`).join(', ');
      return `{${head}, … (${entries.length} keys)}`;
    }
  }
  return valueText(v);
}

/** Counts by status, in the given order, leaving out zeros: `2 SUCCESS, 1 RUNNING`. */
export function countsText<S extends string>(counts: Partial<Record<S, number>>, order: readonly S[], enabled: boolean): string {
  return order
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${statusText(s as unknown as RunStatus, enabled)}`)
    .join(', ');
}
