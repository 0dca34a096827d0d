/**
 * Parsing of run definitions (YAML or JSON, see docs/run-definitions.md) into a RunSpec. This
 * checks structure only; values are checked against the workflow's param types by
 * `validateRunSpec`, since types are known only once the workflow is.
 */
import { LineCounter, parseDocument } from 'yaml';
import { ValidationIssue } from './errors';
import { LOG_BASES, LogBase } from './param-range';
import { ParseOutcome } from './parse-outcome';
import { isValidSeed } from './prng';
import { Exploration, RunSpec } from './run-spec';
import { PARAM_NAME, WORKFLOW_ID } from './workflow';

export interface ParseRunOptions {
  /** Shown in syntax errors (`run.yaml:3:7: ...`). */
  filename?: string;
}

const TOP_LEVEL_FIELDS = ['workflow', 'name', 'notes', 'tags', 'owner', 'seed', 'repeat', 'params'];
const RANGE_FIELDS = ['from', 'to', 'step', 'log'];

type Issues = { errors: ValidationIssue[]; warnings: ValidationIssue[] };

/** Parses a run definition from YAML or JSON text (JSON is read as the YAML it also is). */
export function parseRunText(text: string, options: ParseRunOptions = {}): ParseOutcome<RunSpec> {
  const where = (line?: number, col?: number): string => {
    if (options.filename !== undefined) return [options.filename, line, col].filter((x) => x !== undefined).join(':');
    return line === undefined ? '' : `line ${line}, column ${col}`;
  };
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      const prefix = where(pos.line, pos.col);
      return { path: [], message: `${prefix ? `${prefix}: ` : ''}${e.message}` };
    });
    return { errors, warnings: [] };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const prefix = where();
    return { errors: [{ path: [], message: `${prefix ? `${prefix}: ` : ''}${(e as Error).message}` }], warnings: [] };
  }
  return parseRunObject(raw);
}

/** Parses a run definition already read into plain data (a Run resource's spec, a JSON body). */
export function parseRunObject(doc: unknown): ParseOutcome<RunSpec> {
  const issues: Issues = { errors: [], warnings: [] };
  const error = (path: string[], message: string) => issues.errors.push({ path, message });
  if (!isPlainObject(doc)) {
    error([], 'a run definition is a mapping with at least `workflow: <id>` (see docs/run-definitions.md)');
    return issues;
  }
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_FIELDS.includes(key)) error([key], `unknown field "${key}"; a run definition has ${TOP_LEVEL_FIELDS.join(', ')}`);
  }

  const workflow = parseWorkflowRef(doc.workflow, issues);
  const text = (field: 'name' | 'notes' | 'owner'): string | undefined => {
    const v = doc[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    error([field], `${field} must be text, got ${show(v)}`);
    return undefined;
  };
  const name = text('name');
  const notes = text('notes');
  const owner = text('owner');
  const tags = parseTags(doc.tags, issues);

  let seed: number | undefined;
  if (doc.seed !== undefined && doc.seed !== null) {
    if (isValidSeed(doc.seed)) seed = doc.seed;
    else error(['seed'], `seed must be a whole number from 0 to 2^53 - 1, got ${show(doc.seed)}; leave it out to draw one`);
  }
  let repeat = 1;
  if (doc.repeat !== undefined && doc.repeat !== null) {
    if (typeof doc.repeat === 'number' && Number.isSafeInteger(doc.repeat) && doc.repeat >= 1) repeat = doc.repeat;
    else error(['repeat'], `repeat must be a whole number of at least 1, got ${show(doc.repeat)}`);
  }

  const params: Record<string, Exploration> = {};
  if (doc.params !== undefined && doc.params !== null) {
    if (!isPlainObject(doc.params)) {
      error(['params'], `params must be a mapping from param name to value, got ${show(doc.params)}`);
    } else {
      for (const [key, value] of Object.entries(doc.params)) {
        if (!PARAM_NAME.test(key)) {
          error(['params', key], `"${key}" is not a param name: names start with a lower-case letter, then letters, digits or _`);
          continue;
        }
        const e = parseExploration(['params', key], value, issues);
        if (e) params[key] = e;
      }
    }
  }

  if (!workflow) return issues;
  const spec: RunSpec = {
    workflow,
    ...(name !== undefined ? { name } : {}),
    ...(notes !== undefined ? { notes } : {}),
    tags,
    ...(owner !== undefined ? { owner } : {}),
    ...(seed !== undefined ? { seed } : {}),
    repeat,
    params,
  };
  return issues.errors.length > 0 ? { partial: spec, ...issues } : { spec, ...issues };
}

/**
 * Returns a copy of `spec` in which each `key=value` given on a command line replaces that param
 * with one value. Values stay text until validation parses them for the param's type.
 */
export function applyOverrides(spec: RunSpec, overrides: Record<string, string>): RunSpec {
  const params: Record<string, Exploration> = { ...spec.params };
  for (const [key, value] of Object.entries(overrides)) params[key] = { kind: 'single', value, text: true };
  return { ...spec, params };
}

function parseWorkflowRef(raw: unknown, issues: Issues): RunSpec['workflow'] | undefined {
  const fail = (message: string) => void issues.errors.push({ path: ['workflow'], message });
  if (raw === undefined || raw === null) return fail('name the workflow to run: `workflow: <id>` or `workflow: <id>:<version>`');
  if (typeof raw !== 'string') return fail(`workflow must be text such as geo-i or geo-i:<version>, got ${show(raw)}`);
  const colon = raw.indexOf(':');
  const id = (colon < 0 ? raw : raw.slice(0, colon)).trim();
  const version = colon < 0 ? undefined : raw.slice(colon + 1).trim();
  if (!WORKFLOW_ID.test(id)) return fail(`"${id}" is not a workflow id: ids start with a letter, then letters, digits, _, . or -`);
  if (version !== undefined && !/^\S+$/.test(version)) return fail(`the version after ":" in "${raw}" is empty or has spaces; write <id> for the active version`);
  return version === undefined ? { id } : { id, version };
}

function parseTags(raw: unknown, issues: Issues): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    issues.errors.push({ path: ['tags'], message: `tags must be a list of text, such as [nightly, geo], got ${show(raw)}` });
    return [];
  }
  const tags: string[] = [];
  raw.forEach((t, i) => {
    if (typeof t !== 'string' || t.trim() === '') {
      issues.errors.push({ path: ['tags', String(i)], message: `a tag is non-empty text, got ${show(t)}` });
    } else if (tags.includes(t)) {
      issues.warnings.push({ path: ['tags', String(i)], message: `tag "${t}" is listed twice; it is kept once` });
    } else {
      tags.push(t);
    }
  });
  return tags;
}

function parseExploration(at: string[], raw: unknown, issues: Issues): Exploration | undefined {
  const error = (path: string[], message: string) => void issues.errors.push({ path, message });
  if (raw === undefined || raw === null) {
    return error(at, 'no value given: write a value, {values: [...]} or a range {from, to, step}; leave the param out to use its default');
  }
  if (Array.isArray(raw)) {
    return error(at, 'a bare list is ambiguous: write {values: [...]} to sweep over these values, or {value: [...]} for one list value');
  }
  if (!isPlainObject(raw)) return { kind: 'single', value: raw };

  const keys = Object.keys(raw);
  const forms = [keys.includes('value'), keys.includes('values'), keys.some((k) => RANGE_FIELDS.includes(k))].filter(Boolean).length;
  if (forms === 0) {
    return error(at, 'expected {value: ...}, {values: [...]} or a range {from, to, step}; to give a map as the value write {value: {...}}');
  }
  if (forms > 1) return error(at, 'give exactly one of value, values, or a range (from, to, step), not several');

  if (keys.includes('value')) {
    keys.filter((k) => k !== 'value').forEach((k) => error([...at, k], `unknown field "${k}" next to value`));
    if (raw.value === undefined || raw.value === null) return error([...at, 'value'], 'no value given');
    return keys.length === 1 ? { kind: 'single', value: raw.value } : undefined;
  }
  if (keys.includes('values')) {
    keys.filter((k) => k !== 'values').forEach((k) => error([...at, k], `unknown field "${k}" next to values`));
    if (!Array.isArray(raw.values) || raw.values.length === 0) {
      return error([...at, 'values'], `values must be a non-empty list, such as [0.01, 0.1], got ${show(raw.values)}`);
    }
    return keys.length === 1 ? { kind: 'values', values: raw.values } : undefined;
  }

  let ok = true;
  for (const k of keys) {
    if (RANGE_FIELDS.includes(k)) continue;
    error([...at, k], `unknown field "${k}" in a range; a range has from, to, step and optionally log`);
    ok = false;
  }
  for (const k of ['from', 'to', 'step'] as const) {
    const v = raw[k];
    if (v === undefined || v === null) {
      error([...at, k], `a range needs ${k}: write {from: <first>, to: <last>, step: <increment>}`);
      ok = false;
    } else if (typeof v !== 'number' && typeof v !== 'string') {
      error([...at, k], `${k} must be a number, a duration or a timestamp, got ${show(v)}`);
      ok = false;
    }
  }
  let log: LogBase | undefined;
  if (raw.log !== undefined && raw.log !== null) {
    log = LOG_BASES.find((b) => b === raw.log || String(b) === raw.log);
    if (log === undefined) {
      error([...at, 'log'], `log must be 10, 2 or e, got ${show(raw.log)}`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  return { kind: 'range', from: raw.from, to: raw.to, step: raw.step, ...(log !== undefined ? { log } : {}) };
}

function isPlainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !(raw instanceof Date);
}

function show(raw: unknown): string {
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}
