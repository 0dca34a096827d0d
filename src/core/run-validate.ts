/**
 * Validation of a run definition against the workflow it names: every param resolved to the list
 * of values it takes in the sweep, or every problem found, each at its path (`params.k.step`).
 * Sweep sizes are computed from counts first, so an oversized sweep is refused before any of its
 * values exist.
 */
import { canonicalJson } from './canonical';
import { ValidationIssue } from './errors';
import { LOG_BASES, NumericRange, RangeKind, rangeCount, rangeReachesTo, rangeValues } from './param-range';
import { isValidSeed } from './prng';
import { Exploration, RunSpec } from './run-spec';
import { DataType, formatType, T } from './types';
import { coerceValue, Coerced, formatValue, parseValueText, timestampToMs, Value } from './values';
import { ParamSpec, Workflow } from './workflow';

/** The largest sweep accepted by default, in child runs (combinations × repeats). */
export const DEFAULT_MAX_CHILDREN = 100_000;

export interface ValidateRunOptions {
  /** Refuse sweeps with more child runs than this (combinations × repeats). @default 100_000 */
  maxChildren?: number;
}

/** What validating a run found; `params` is present only when there are no errors. */
export interface RunValidation {
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** Every workflow param (in declaration order) with the values it takes, duplicates removed. */
  params?: Record<string, Value[]>;
}

/** A param after the first pass: its count is known; range values are not materialised yet. */
type Resolved =
  | { param: ParamSpec; count: number; values: Value[] }
  | { param: ParamSpec; count: number; range: NumericRange };

const RANGE_KINDS: readonly string[] = ['integer', 'float', 'duration', 'timestamp'];

interface Issues {
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

/** Resolves every workflow param of `spec` to its values, or reports every problem at once. */
export function validateRunSpec(spec: RunSpec, workflow: Workflow, options: ValidateRunOptions = {}): RunValidation {
  const maxChildren = options.maxChildren ?? DEFAULT_MAX_CHILDREN;
  const issues: Issues = { errors: [], warnings: [] };
  const error = (path: string[], message: string) => issues.errors.push({ path, message });

  if (spec.workflow.id !== workflow.id) {
    error(['workflow'], `this run names workflow "${spec.workflow.id}" but was checked against "${workflow.id}"`);
  } else if (spec.workflow.version !== undefined && spec.workflow.version !== workflow.version) {
    error(['workflow'], `this run names version ${spec.workflow.version} of "${workflow.id}" but was checked against version ${workflow.version}`);
  }
  const repeatOk = Number.isSafeInteger(spec.repeat) && spec.repeat >= 1;
  if (!repeatOk) error(['repeat'], `repeat must be a whole number of at least 1, got ${String(spec.repeat)}`);
  if (spec.seed !== undefined && !isValidSeed(spec.seed)) {
    error(['seed'], `seed must be a whole number from 0 to 2^53 - 1, got ${String(spec.seed)}; leave it out to draw one`);
  }

  const declared = new Map(workflow.params.map((p) => [p.name, p]));
  for (const name of Object.keys(spec.params)) {
    if (declared.has(name)) continue;
    const known = workflow.params.map((p) => p.name).join(', ') || 'none';
    error(['params', name], `unknown param "${name}": workflow "${workflow.id}" declares ${known}`);
  }

  const resolved: Resolved[] = [];
  for (const param of workflow.params) {
    const given = Object.prototype.hasOwnProperty.call(spec.params, param.name) ? spec.params[param.name] : undefined;
    if (given !== undefined) {
      const r = resolveExploration(param, given, issues);
      if (r) resolved.push(r);
    } else if (param.default !== undefined) {
      resolved.push({ param, count: 1, values: [param.default] });
    } else {
      error(['params', param.name], `required param "${param.name}" (${formatType(param.type)}) has no default: give it a value`);
    }
  }

  const repeat = repeatOk ? spec.repeat : 1;
  const total = resolved.reduce((n, r) => n * r.count, 1) * repeat;
  if (total > maxChildren) error(['params'], tooLargeMessage(resolved, repeat, total, maxChildren));
  if (issues.errors.length > 0) return issues;

  const params: Record<string, Value[]> = {};
  for (const r of resolved) {
    params[r.param.name] = 'range' in r ? materialise(r.param, r.range, issues) : r.values;
  }
  return { ...issues, params };
}

function tooLargeMessage(resolved: Resolved[], repeat: number, total: number, maxChildren: number): string {
  const factors = resolved.filter((r) => r.count > 1).map((r) => `${r.param.name}: ${showCount(r.count)} values`);
  if (repeat > 1) factors.push(`${repeat} repeats`);
  return (
    `this sweep would create ${showCount(total)} runs (${factors.join(' × ')}), more than the limit of ${maxChildren}; ` +
    'use fewer values, larger range steps or fewer repeats, or split it into several runs'
  );
}

const showCount = (n: number): string => (Number.isSafeInteger(n) ? String(n) : Number.isFinite(n) ? `about ${n.toExponential(2)}` : 'infinitely many');

function resolveExploration(param: ParamSpec, e: Exploration, issues: Issues): Resolved | undefined {
  const at = ['params', param.name];
  switch (e?.kind) {
    case 'single': {
      const c = e.text && typeof e.value === 'string' ? parseValueText(param.type, e.value) : coerceValue(param.type, e.value);
      if (!c.ok) return void issues.errors.push({ path: at, message: c.message });
      return { param, count: 1, values: [c.value] };
    }
    case 'values':
      return resolveValues(param, e.values, issues);
    case 'range':
      return resolveRange(param, e, issues);
    default:
      issues.errors.push({ path: at, message: 'expected a value, {values: [...]} or a range {from, to, step}' });
      return undefined;
  }
}

function resolveValues(param: ParamSpec, raw: unknown[], issues: Issues): Resolved | undefined {
  const at = ['params', param.name, 'values'];
  if (!Array.isArray(raw) || raw.length === 0) {
    return void issues.errors.push({ path: at, message: 'list at least one value, or leave the param out to use its default' });
  }
  const values: Value[] = [];
  const firstIndex = new Map<string, number>();
  let ok = true;
  raw.forEach((v, i) => {
    const c = coerceValue(param.type, v);
    if (!c.ok) {
      ok = false;
      return void issues.errors.push({ path: [...at, String(i)], message: c.message });
    }
    const key = canonicalJson(c.value);
    const first = firstIndex.get(key);
    if (first !== undefined) {
      const shown = formatValue(param.type, c.value);
      return void issues.warnings.push({ path: [...at, String(i)], message: `duplicate of values[${first}] (${shown}); it is kept once` });
    }
    firstIndex.set(key, i);
    values.push(c.value);
  });
  return ok ? { param, count: values.length, values } : undefined;
}

function resolveRange(param: ParamSpec, e: Extract<Exploration, { kind: 'range' }>, issues: Issues): Resolved | undefined {
  const at = ['params', param.name];
  const error = (field: string | undefined, message: string) => issues.errors.push({ path: field ? [...at, field] : at, message });
  const kind = param.type.kind;
  if (!RANGE_KINDS.includes(kind)) {
    error(undefined, `a ${formatType(param.type)} param cannot take a range (ranges run over integer, float, duration and timestamp params); list its values with {values: [...]}`);
    return undefined;
  }
  let ok = true;
  if (e.log !== undefined) {
    if (!LOG_BASES.includes(e.log)) {
      error('log', `log must be 10, 2 or e, got ${JSON.stringify(e.log)}`);
      ok = false;
    } else if (kind !== 'float' && kind !== 'duration') {
      error('log', `log ranges run over float and duration params only, not ${kind}: drop log for a linear range, or list the values`);
      ok = false;
    }
  }
  const toNumber = (field: 'from' | 'to' | 'step', type: DataType, raw: unknown): number | undefined => {
    if (field === 'step' && typeof raw === 'number' && raw <= 0) {
      error(field, `step must be greater than 0, got ${raw}`);
      return undefined;
    }
    const c: Coerced = coerceValue(type, raw);
    if (!c.ok) {
      const logStep = field === 'step' && e.log !== undefined;
      error(field, logStep ? `a log range steps in powers of ${e.log}: step is a number such as 1 or 0.5, got ${JSON.stringify(raw)}` : c.message);
      return undefined;
    }
    return type.kind === 'timestamp' ? timestampToMs(c.value as string) : (c.value as number);
  };
  const stepType = e.log !== undefined ? T.float : kind === 'timestamp' ? T.duration : param.type;
  const from = toNumber('from', param.type, e.from);
  const to = toNumber('to', param.type, e.to);
  const step = toNumber('step', stepType, e.step);
  if (step !== undefined && step <= 0) {
    error('step', `step must be greater than 0, got ${formatValue(stepType, step)}`);
    ok = false;
  }
  if (e.log !== undefined && ok) {
    if (from !== undefined && from <= 0) {
      error('from', `a log range must start above 0, got ${String(e.from)}`);
      ok = false;
    }
    if (to !== undefined && to <= 0) {
      error('to', `a log range must end above 0, got ${String(e.to)}`);
      ok = false;
    }
  }
  if (from === undefined || to === undefined || step === undefined || !ok) return undefined;
  if (to < from) {
    error('to', `the range is empty: to (${String(e.to)}) is below from (${String(e.from)}); swap them`);
    return undefined;
  }
  const range: NumericRange = { kind: kind as RangeKind, from, to, step, ...(e.log !== undefined ? { log: e.log } : {}) };
  if (!rangeReachesTo(range)) {
    issues.warnings.push({ path: [...at, 'to'], message: `to (${String(e.to)}) is not a whole number of steps from from (${String(e.from)}); the range stops before it` });
  }
  return { param, count: rangeCount(range), range };
}

/** Range values after rounding may repeat (a log range of durations in whole ms): keep each once. */
function materialise(param: ParamSpec, range: NumericRange, issues: Issues): Value[] {
  const values = rangeValues(range);
  const seen = new Set<Value>();
  const unique = values.filter((v) => !seen.has(v) && seen.add(v) !== undefined);
  if (unique.length < values.length) {
    issues.warnings.push({
      path: ['params', param.name],
      message: `the range gives ${values.length - unique.length} duplicate value(s) after rounding; each is kept once`,
    });
  }
  return unique;
}
