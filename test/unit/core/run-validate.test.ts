import { strict as assert } from 'node:assert';
import { ValidationIssue, formatPath } from '../../../src/core/errors';
import { Exploration } from '../../../src/core/run-spec';
import { validateRunSpec } from '../../../src/core/run-validate';
import { applyOverrides } from '../../../src/core/run-parse';
import { aRunSpec, aWorkflow } from './run-fixtures';

const range = (from: unknown, to: unknown, step: unknown, log?: 10 | 2 | 'e'): Exploration => ({ kind: 'range', from, to, step, ...(log ? { log } : {}) });
const values = (...vs: unknown[]): Exploration => ({ kind: 'values', values: vs });
const single = (value: unknown): Exploration => ({ kind: 'single', value });

/** Validates `params` (epsilon defaults to a single 0.1) and returns the resolved values. */
function resolve(params: Record<string, Exploration>, repeat = 1) {
  return validateRunSpec(aRunSpec({ params: { epsilon: single(0.1), ...params }, repeat }), aWorkflow());
}
function valuesOf(name: string, e: Exploration) {
  const out = resolve({ [name]: e });
  assert.deepEqual(out.errors, []);
  return out.params![name];
}
const paths = (issues: ValidationIssue[]) => issues.map((i) => formatPath(i.path)).sort();

describe('validateRunSpec', () => {
  describe('resolution', () => {
    it('resolves every workflow param in declaration order, using defaults for params not given', () => {
      const out = resolve({});
      assert.deepEqual(out.errors, []);
      assert.deepEqual(Object.keys(out.params!), ['epsilon', 'users', 'window', 'since', 'label', 'ks', 'traces']);
      assert.deepEqual(out.params!.users, [20]);
      assert.deepEqual(out.params!.epsilon, [0.1]);
    });

    it('coerces single values and lists of values to the param types', () => {
      const out = resolve({ window: single('10s'), since: single('2026-03-01T12:00:00+01:00'), epsilon: values(0.01, 1), traces: single('/data/x') });
      assert.deepEqual(out.errors, []);
      assert.deepEqual(out.params!.window, [10_000]);
      assert.deepEqual(out.params!.since, ['2026-03-01T11:00:00.000Z']);
      assert.deepEqual(out.params!.epsilon, [0.01, 1]);
      assert.deepEqual(out.params!.traces, [{ uri: 'file:///data/x' }]);
    });

    it('parses command-line overrides as text for the param type', () => {
      const spec = applyOverrides(aRunSpec(), { ks: '[1, 2]', window: '90s', users: '7', label: '42' });
      const out = validateRunSpec(spec, aWorkflow());
      assert.deepEqual(out.errors, []);
      assert.deepEqual(out.params!.ks, [[1, 2]]);
      assert.deepEqual(out.params!.window, [90_000]);
      assert.deepEqual(out.params!.users, [7]);
      assert.deepEqual(out.params!.label, ['42']);
    });

    it('reports an override that does not parse for its type at the param path', () => {
      const out = validateRunSpec(applyOverrides(aRunSpec(), { users: 'many' }), aWorkflow());
      assert.deepEqual(paths(out.errors), ['params.users']);
    });

    it('keeps duplicated values once, with a warning at the duplicate', () => {
      const out = resolve({ epsilon: values(0.1, 0.2, 0.1) });
      assert.deepEqual(out.params!.epsilon, [0.1, 0.2]);
      assert.deepEqual(paths(out.warnings), ['params.epsilon.values.2']);
      assert.match(out.warnings[0].message, /values\[0\]/);
    });

    it('treats values equal after coercion as duplicates', () => {
      const out = resolve({ window: values('1m', '60s', 60_000) });
      assert.deepEqual(out.params!.window, [60_000]);
      assert.equal(out.warnings.length, 2);
    });
  });

  describe('linear ranges', () => {
    it('expands an integer range inclusively, stopping before to when steps do not reach it', () => {
      assert.deepEqual(valuesOf('users', range(1, 9, 2)), [1, 3, 5, 7, 9]);
      const out = resolve({ users: range(1, 10, 2) });
      assert.deepEqual(out.params!.users, [1, 3, 5, 7, 9]);
      assert.deepEqual(paths(out.warnings), ['params.users.to']);
    });

    it('gives a one-value range when from equals to', () => {
      assert.deepEqual(valuesOf('users', range(5, 5, 1)), [5]);
    });

    it('computes float ranges without accumulating error and includes to', () => {
      assert.deepEqual(valuesOf('epsilon', range(0, 1, 0.1)), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
      const many = valuesOf('epsilon', range(0, 100, 0.01));
      assert.equal(many.length, 10_001);
      assert.equal(many[7], 0.07);
      assert.equal(many[10_000], 100);
    });

    it('includes to when float steps land within a billionth of a step of it', () => {
      assert.deepEqual(valuesOf('epsilon', range(0.1, 0.7, 0.2)), [0.1, 0.3, 0.5, 0.7]);
      assert.deepEqual(valuesOf('epsilon', range(-1, 0, 0.25)), [-1, -0.75, -0.5, -0.25, 0]);
    });

    it('expands duration ranges written as text, in whole ms', () => {
      assert.deepEqual(valuesOf('window', range('10s', '1m', '10s')), [10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    });

    it('expands timestamp ranges with a duration step', () => {
      assert.deepEqual(valuesOf('since', range('2026-01-01T00:00:00Z', '2026-01-01T03:00:00Z', '1h')), [
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T01:00:00.000Z',
        '2026-01-01T02:00:00.000Z',
        '2026-01-01T03:00:00.000Z',
      ]);
      assert.deepEqual(valuesOf('since', range('2026-01-30', '2026-02-02', '1d')).length, 4);
    });
  });

  describe('log ranges', () => {
    it('steps in powers of 10', () => {
      assert.deepEqual(valuesOf('epsilon', range(0.001, 1, 1, 10)), [0.001, 0.01, 0.1, 1]);
      assert.deepEqual(valuesOf('epsilon', range(0.0001, 1, 2, 10)), [0.0001, 0.01, 1]);
    });

    it('steps in powers of 2, also by half steps, rounded to 12 significant digits', () => {
      assert.deepEqual(valuesOf('epsilon', range(1, 16, 1, 2)), [1, 2, 4, 8, 16]);
      assert.deepEqual(valuesOf('epsilon', range(1, 4, 0.5, 2)), [1, 1.41421356237, 2, 2.82842712475, 4]);
    });

    it('steps in powers of e', () => {
      assert.deepEqual(valuesOf('epsilon', range(1, Math.exp(2), 1, 'e')), [1, 2.71828182846, 7.38905609893]);
    });

    it('rounds duration log ranges to whole milliseconds', () => {
      assert.deepEqual(valuesOf('window', range('1s', '8s', 1, 2)), [1000, 2000, 4000, 8000]);
      assert.deepEqual(valuesOf('window', range('1s', '10s', 0.5, 10)), [1000, 3162, 10_000]);
    });

    it('keeps values that repeat after rounding to ms once, with a warning', () => {
      const out = resolve({ window: range(1, 2, 0.01, 10) });
      assert.deepEqual(out.errors, []);
      assert.deepEqual(out.params!.window, [1, 2]);
      assert.deepEqual(paths(out.warnings), ['params.window', 'params.window.to']);
    });
  });

  describe('errors', () => {
    const errorPaths = (params: Record<string, Exploration>) => paths(resolve(params).errors);

    it('reports an unknown param at its path and names the declared ones', () => {
      const out = resolve({ foo: single(1) });
      assert.deepEqual(paths(out.errors), ['params.foo']);
      assert.match(out.errors[0].message, /epsilon, users/);
      assert.equal(out.params, undefined);
    });

    it('reports a required param that is not given', () => {
      const out = validateRunSpec(aRunSpec({ params: {} }), aWorkflow());
      assert.deepEqual(paths(out.errors), ['params.epsilon']);
      assert.match(out.errors[0].message, /required.*float/);
    });

    it('reports values of the wrong type at the value path', () => {
      assert.deepEqual(errorPaths({ users: single('many') }), ['params.users']);
      assert.deepEqual(errorPaths({ users: single(1.5) }), ['params.users']);
      assert.deepEqual(errorPaths({ epsilon: values(0.1, 'x', 0.3, true) }), ['params.epsilon.values.1', 'params.epsilon.values.3']);
      assert.deepEqual(errorPaths({ users: range('a', 3.5, 1) }), ['params.users.from', 'params.users.to']);
      assert.deepEqual(errorPaths({ users: range(1, 5, 0.5) }), ['params.users.step']);
      assert.deepEqual(errorPaths({ since: range('2026-01-01', '2026-01-02', 'daily') }), ['params.since.step']);
    });

    it('reports an empty values list', () => {
      assert.deepEqual(errorPaths({ epsilon: values() }), ['params.epsilon.values']);
    });

    it('reports inverted ranges at to', () => {
      const out = resolve({ users: range(9, 1, 1) });
      assert.deepEqual(paths(out.errors), ['params.users.to']);
      assert.match(out.errors[0].message, /swap/);
      assert.deepEqual(errorPaths({ epsilon: range(1, 0.001, 1, 10) }), ['params.epsilon.to']);
    });

    it('reports a step that is zero or negative', () => {
      assert.deepEqual(errorPaths({ users: range(1, 9, 0) }), ['params.users.step']);
      assert.deepEqual(errorPaths({ epsilon: range(0, 1, -0.1) }), ['params.epsilon.step']);
      assert.deepEqual(errorPaths({ window: range('1s', '10s', '0s') }), ['params.window.step']);
      assert.deepEqual(errorPaths({ epsilon: range(0.1, 1, 0, 10) }), ['params.epsilon.step']);
    });

    it('explains that a log range steps in log units, not in the param type', () => {
      const out = resolve({ window: range('1s', '8s', '1s', 2) });
      assert.deepEqual(paths(out.errors), ['params.window.step']);
      assert.match(out.errors[0].message, /powers of 2/);
    });

    it('reports log on a type other than float and duration', () => {
      const out = resolve({ users: range(1, 100, 1, 10) });
      assert.deepEqual(paths(out.errors), ['params.users.log']);
      assert.deepEqual(errorPaths({ since: range('2026-01-01', '2026-01-02', 1, 2) }), ['params.since.log']);
    });

    it('reports a log range that does not start and end above 0', () => {
      assert.deepEqual(errorPaths({ epsilon: range(0, 1, 1, 10) }), ['params.epsilon.from']);
      assert.deepEqual(errorPaths({ epsilon: range(-1, -0.1, 1, 10) }), ['params.epsilon.from', 'params.epsilon.to']);
      assert.deepEqual(errorPaths({ window: range(0, '1s', 1, 2) }), ['params.window.from']);
    });

    it('reports a range on a type that cannot range', () => {
      for (const name of ['label', 'ks', 'traces']) {
        const out = resolve({ [name]: range(1, 2, 1) });
        assert.deepEqual(paths(out.errors), [`params.${name}`]);
        assert.match(out.errors[0].message, /\{values: \[\.\.\.\]\}/);
      }
    });

    it('reports repeat below 1, a bad seed and another workflow', () => {
      const spec = aRunSpec({ repeat: 0, seed: -3, workflow: { id: 'other' } });
      assert.deepEqual(paths(validateRunSpec(spec, aWorkflow()).errors), ['repeat', 'seed', 'workflow']);
      const pinned = aRunSpec({ workflow: { id: 'geo-i', version: 'v0' } });
      assert.deepEqual(paths(validateRunSpec(pinned, aWorkflow()).errors), ['workflow']);
    });

    it('reports every error at once', () => {
      const spec = aRunSpec({
        repeat: 0,
        params: { foo: single(1), users: range(9, 1, 1), window: range('1s', '2s', '1s', 10), label: range(1, 2, 1), ks: single('x') },
      });
      assert.deepEqual(paths(validateRunSpec(spec, aWorkflow()).errors), [
        'params.epsilon', 'params.foo', 'params.ks', 'params.label', 'params.users.to', 'params.window.step', 'repeat',
      ].sort());
    });
  });

  describe('sweep size', () => {
    it('accepts a sweep of exactly the limit, counting repeats', () => {
      const spec = aRunSpec({ repeat: 2, params: { epsilon: values(0.1, 0.2), users: range(1, 5, 1) } });
      assert.deepEqual(validateRunSpec(spec, aWorkflow(), { maxChildren: 20 }).errors, []);
      const out = validateRunSpec(spec, aWorkflow(), { maxChildren: 19 });
      assert.deepEqual(paths(out.errors), ['params']);
      assert.match(out.errors[0].message, /20 runs \(epsilon: 2 values × users: 5 values × 2 repeats\), more than the limit of 19/);
      assert.match(out.errors[0].message, /fewer values/);
    });

    it('refuses a huge sweep from its counts, without materialising its values', () => {
      const started = process.hrtime.bigint();
      const out = resolve({ users: range(0, 1e15, 1), epsilon: range(0, 1e6, 1e-9) });
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      assert.deepEqual(paths(out.errors), ['params']);
      assert.match(out.errors[0].message, /about 1\.00e\+30 runs/);
      assert.ok(elapsedMs < 500, `took ${elapsedMs} ms`);
    });

    it('applies the default limit of 100,000 children', () => {
      assert.deepEqual(resolve({ users: range(1, 100_000, 1) }).errors, []);
      assert.deepEqual(paths(resolve({ users: range(1, 100_001, 1) }).errors), ['params']);
    });
  });
});
