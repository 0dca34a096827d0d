import { strict as assert } from 'node:assert';
import { AccioError } from '../../../src/core/errors';
import { canonicalJson } from '../../../src/core/canonical';
import { derivedSeed } from '../../../src/core/prng';
import { Run } from '../../../src/core/run';
import { RunSpec } from '../../../src/core/run-spec';
import { validateRunSpec } from '../../../src/core/run-validate';
import { expandRun, ExpandRunOptions } from '../../../src/core/sweep';
import { aRunSpec, aWorkflow } from './run-fixtures';

const counter = (prefix = 'r') => {
  let n = 0;
  return () => `${prefix}${String(n++).padStart(4, '0')}`;
};

function expand(spec: RunSpec, options: Partial<ExpandRunOptions> = {}): Run[] {
  const workflow = aWorkflow();
  const out = validateRunSpec(spec, workflow);
  assert.deepEqual(out.errors, []);
  return expandRun(spec, workflow, out.params!, { seed: 42, newId: counter(), nowMs: 1_000, ...options });
}

const sweepSpec = (overrides: Partial<RunSpec> = {}) =>
  aRunSpec({
    name: 'epsilon sweep',
    notes: 'n',
    tags: ['nightly'],
    params: { epsilon: { kind: 'values', values: [0.01, 0.1] }, users: { kind: 'range', from: 1, to: 5, step: 2 } },
    ...overrides,
  });

describe('expandRun', () => {
  describe('a single run', () => {
    it('gives one run with every param resolved, the given seed, and fresh node states in graph order', () => {
      const runs = expand(aRunSpec({ name: 'one', notes: 'why', tags: ['t'], owner: 'jane' }), { owner: 'submitter' });
      assert.equal(runs.length, 1);
      const [run] = runs;
      assert.equal(run.id, 'r0000');
      assert.deepEqual(run.workflow, { id: 'geo-i', version: 'v1' });
      assert.equal(run.seed, 42);
      assert.equal(run.owner, 'jane');
      assert.equal(run.name, 'one');
      assert.equal(run.notes, 'why');
      assert.deepEqual(run.tags, ['t']);
      assert.equal(run.parent, undefined);
      assert.deepEqual(run.children, []);
      assert.equal(run.createdAtMs, 1_000);
      assert.deepEqual(Object.keys(run.params), ['epsilon', 'users', 'window', 'since', 'label', 'ks', 'traces']);
      assert.equal(run.params.epsilon, 0.1);
      assert.deepEqual(run.state, {
        status: 'SCHEDULED',
        progress: 0,
        nodes: ['Generate', 'Noisy', 'Transform', 'Score', 'Source'].map((name) => ({ name, status: 'WAITING', attempts: 0, cacheHit: false })),
      });
    });

    it('uses the submitter as owner when the spec names none', () => {
      assert.equal(expand(aRunSpec(), { owner: 'submitter' })[0].owner, 'submitter');
      assert.equal(expand(aRunSpec())[0].owner, undefined);
    });
  });

  describe('a sweep', () => {
    it('puts the parent first, with no params or nodes, its children in order and their count', () => {
      const runs = expand(sweepSpec({ owner: 'jane' }));
      const [parent, ...children] = runs;
      assert.equal(children.length, 6);
      assert.deepEqual(parent.params, {});
      assert.deepEqual(parent.state, { status: 'SCHEDULED', progress: 0, nodes: [], childCounts: { SCHEDULED: 6 } });
      assert.deepEqual(parent.children, children.map((c) => c.id));
      assert.equal(parent.seed, 42);
      assert.equal(parent.name, 'epsilon sweep');
      assert.equal(parent.notes, 'n');
      assert.deepEqual(parent.tags, ['nightly']);
      assert.equal(parent.parent, undefined);
      assert.equal(new Set(runs.map((r) => r.id)).size, 7);
    });

    it('orders children as the cartesian product in declaration order, the last param varying fastest', () => {
      // users is given before epsilon here; the workflow declares epsilon first.
      const spec = sweepSpec({ params: { users: { kind: 'range', from: 1, to: 5, step: 2 }, epsilon: { kind: 'values', values: [0.01, 0.1] } } });
      const children = expand(spec).slice(1);
      assert.deepEqual(children.map((c) => [c.params.epsilon, c.params.users]), [[0.01, 1], [0.01, 3], [0.01, 5], [0.1, 1], [0.1, 3], [0.1, 5]]);
      assert.deepEqual(children.map((c) => c.name), [
        'epsilon=0.01 users=1', 'epsilon=0.01 users=3', 'epsilon=0.01 users=5',
        'epsilon=0.1 users=1', 'epsilon=0.1 users=3', 'epsilon=0.1 users=5',
      ]);
    });

    it('gives each child the parent id, the full param set, the owner, and no tags or notes', () => {
      const children = expand(sweepSpec({ owner: 'jane' })).slice(1);
      for (const c of children) {
        assert.equal(c.parent, 'r0000');
        assert.deepEqual(Object.keys(c.params), ['epsilon', 'users', 'window', 'since', 'label', 'ks', 'traces']);
        assert.equal(c.params.window, 600_000);
        assert.equal(c.owner, 'jane');
        assert.deepEqual(c.tags, []);
        assert.equal(c.notes, undefined);
        assert.deepEqual(c.children, []);
        assert.equal(c.state.status, 'SCHEDULED');
        assert.equal(c.state.nodes.length, 5);
        assert.equal(c.state.childCounts, undefined);
      }
    });

    it("derives each child's seed from the parent seed, the child's params and its repeat number", () => {
      const children = expand(sweepSpec(), { seed: 7 }).slice(1);
      assert.deepEqual(children.map((c) => c.seed), children.map((c) => derivedSeed(7, `${canonicalJson(c.params)}#1`)));
    });

    it('gives the children two overlapping sweeps share the same seeds, whatever their position', () => {
      const a = expand(sweepSpec({ params: { epsilon: { kind: 'values', values: [0.01, 0.1] } } }), { seed: 7 }).slice(1);
      const b = expand(sweepSpec({ params: { epsilon: { kind: 'values', values: [0.001, 0.1, 1] } } }), { seed: 7 }).slice(1);
      const seedOf = (runs: Run[], eps: number) => runs.find((r) => r.params.epsilon === eps)!.seed;
      assert.equal(seedOf(a, 0.1), seedOf(b, 0.1));
      assert.notEqual(seedOf(a, 0.01), seedOf(b, 0.001));
    });

    it('puts repeats innermost and numbers them from 1', () => {
      const spec = sweepSpec({ repeat: 2, params: { epsilon: { kind: 'values', values: [0.01, 0.1] } } });
      const children = expand(spec).slice(1);
      assert.deepEqual(children.map((c) => c.name), ['epsilon=0.01 #1', 'epsilon=0.01 #2', 'epsilon=0.1 #1', 'epsilon=0.1 #2']);
      assert.equal(new Set(children.map((c) => c.seed)).size, 4);
    });

    it('names repeats of a single combination by their number alone', () => {
      const children = expand(aRunSpec({ repeat: 3 })).slice(1);
      assert.deepEqual(children.map((c) => c.name), ['#1', '#2', '#3']);
    });

    it('formats varying values by type in names', () => {
      const spec = aRunSpec({ params: { epsilon: { kind: 'single', value: 0.1 }, window: { kind: 'values', values: ['10s', '1h30m'] } } });
      assert.deepEqual(expand(spec).slice(1).map((c) => c.name), ['window=10s', 'window=1h30m']);
    });

    it('gives every run its own node states', () => {
      const [, a, b] = expand(sweepSpec());
      a.state.nodes[0].status = 'RUNNING';
      assert.equal(b.state.nodes[0].status, 'WAITING');
    });
  });

  describe('reproducibility', () => {
    const summary = (runs: Run[]) => runs.map((r) => ({ name: r.name, seed: r.seed, params: r.params }));

    it('gives the same names, params and seeds for the same spec and seed, whatever the ids', () => {
      const a = expand(sweepSpec({ repeat: 2 }), { newId: counter('a') });
      const b = expand(sweepSpec({ repeat: 2 }), { newId: counter('b') });
      assert.notDeepEqual(a.map((r) => r.id), b.map((r) => r.id));
      assert.deepEqual(summary(a), summary(b));
    });

    it('gives different child seeds for a different parent seed', () => {
      const a = expand(sweepSpec(), { seed: 1 }).slice(1);
      const b = expand(sweepSpec(), { seed: 2 }).slice(1);
      assert.deepEqual(a.map((r) => r.name), b.map((r) => r.name));
      assert.ok(a.every((r, i) => r.seed !== b[i].seed));
    });
  });

  it('refuses params that were not resolved by validation', () => {
    assert.throws(
      () => expandRun(aRunSpec(), aWorkflow(), { epsilon: [0.1] }, { seed: 1, newId: counter(), nowMs: 0 }),
      (e: unknown) => e instanceof AccioError && /validateRunSpec/.test(e.message),
    );
  });

  it('expands 10,000 children quickly', () => {
    const spec = aRunSpec({
      repeat: 2,
      params: { epsilon: { kind: 'range', from: 0.01, to: 1, step: 0.01 }, users: { kind: 'range', from: 1, to: 50, step: 1 } },
    });
    const started = process.hrtime.bigint();
    const runs = expand(spec);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(runs.length, 10_001);
    assert.equal(runs[10_000].name, 'epsilon=1 users=50 #2');
    assert.ok(elapsedMs < 2_000, `took ${elapsedMs} ms`);
  });
});
