import { strict as assert } from 'node:assert';
import { formatPath, ValidationIssue } from '../../../src/core/errors';
import { applyOverrides, parseRunObject, parseRunText } from '../../../src/core/run-parse';
import { aRunSpec } from './run-fixtures';

const paths = (issues: ValidationIssue[]) => issues.map((i) => formatPath(i.path)).sort();
const errorPaths = (doc: unknown) => paths(parseRunObject(doc).errors);

const EXAMPLE = `
workflow: geo-i            # "id" or "id:version"  (required)
name: epsilon sweep
notes: free text
tags: [nightly, geo]
owner: Jane Doe <jane@example.org>
seed: 42
repeat: 3
params:
  users: 20
  window: {value: 10m}
  epsilon: {values: [0.001, 0.01, 0.1]}
  k: {from: 1, to: 9, step: 2}
  eps2: {from: 0.0001, to: 1, step: 1, log: 10}
  since: {from: 2026-01-01, to: 2026-01-03, step: 1d}
`;

describe('parseRunText', () => {
  it('parses the documented example', () => {
    const out = parseRunText(EXAMPLE);
    assert.deepEqual(out.errors, []);
    assert.deepEqual(out.warnings, []);
    assert.deepEqual(out.spec, {
      workflow: { id: 'geo-i' },
      name: 'epsilon sweep',
      notes: 'free text',
      tags: ['nightly', 'geo'],
      owner: 'Jane Doe <jane@example.org>',
      seed: 42,
      repeat: 3,
      params: {
        users: { kind: 'single', value: 20 },
        window: { kind: 'single', value: '10m' },
        epsilon: { kind: 'values', values: [0.001, 0.01, 0.1] },
        k: { kind: 'range', from: 1, to: 9, step: 2 },
        eps2: { kind: 'range', from: 0.0001, to: 1, step: 1, log: 10 },
        since: { kind: 'range', from: '2026-01-01', to: '2026-01-03', step: '1d' },
      },
    });
  });

  it('parses JSON, and fills defaults for what is left out', () => {
    const out = parseRunText('{"workflow": "geo-i:abc123", "params": {"eps": {"from": 1, "to": 8, "step": 1, "log": "e"}}}', { filename: 'run.json' });
    assert.deepEqual(out.spec, {
      workflow: { id: 'geo-i', version: 'abc123' },
      tags: [],
      repeat: 1,
      params: { eps: { kind: 'range', from: 1, to: 8, step: 1, log: 'e' } },
    });
  });

  it('reports a syntax error with the file name, line and column', () => {
    const out = parseRunText('workflow: geo-i\nparams:\n  k: [1, 2\n', { filename: 'run.yaml' });
    assert.equal(out.spec, undefined);
    assert.equal(out.errors.length, 1);
    assert.deepEqual(out.errors[0].path, []);
    assert.match(out.errors[0].message, /^run\.yaml:\d+:\d+: /);
  });

  it('reports duplicate keys and several documents as errors', () => {
    assert.match(parseRunText('workflow: a\nworkflow: b\n').errors[0].message, /^line 2, column 1: .*unique/);
    assert.match(parseRunText('workflow: a\n---\nworkflow: b\n').errors[0].message, /multiple documents/);
  });

  it('reports an unresolved alias instead of throwing', () => {
    const out = parseRunText('workflow: *nowhere\n', { filename: 'r.yaml' });
    assert.equal(out.errors.length, 1);
    assert.match(out.errors[0].message, /^r\.yaml/);
  });

  it('reports a document that is not a mapping', () => {
    assert.deepEqual(paths(parseRunText('').errors), ['']);
    assert.deepEqual(paths(parseRunText('- a\n- b\n').errors), ['']);
  });
});

describe('parseRunObject', () => {
  it('requires a workflow given as id or id:version', () => {
    assert.deepEqual(errorPaths({}), ['workflow']);
    assert.deepEqual(errorPaths({ workflow: 3 }), ['workflow']);
    assert.deepEqual(errorPaths({ workflow: '9lives' }), ['workflow']);
    assert.deepEqual(errorPaths({ workflow: 'geo-i:' }), ['workflow']);
    assert.deepEqual(errorPaths({ workflow: 'geo-i' }), []);
  });

  it('reports unknown top-level fields and lists the known ones', () => {
    const out = parseRunObject({ workflow: 'w', parms: {} });
    assert.deepEqual(paths(out.errors), ['parms']);
    assert.match(out.errors[0].message, /params/);
  });

  it('requires repeat to be a whole number of at least 1', () => {
    for (const repeat of [0, -1, 1.5, '2']) assert.deepEqual(errorPaths({ workflow: 'w', repeat }), ['repeat']);
    assert.equal(parseRunObject({ workflow: 'w', repeat: 4 }).spec!.repeat, 4);
  });

  it('requires the seed to be a safe non-negative integer', () => {
    for (const seed of [-1, 0.5, 2 ** 53, '7']) assert.deepEqual(errorPaths({ workflow: 'w', seed }), ['seed']);
    assert.equal(parseRunObject({ workflow: 'w', seed: 0 }).spec!.seed, 0);
  });

  it('requires text for name, notes and owner, and a list of text for tags', () => {
    assert.deepEqual(errorPaths({ workflow: 'w', name: 1, notes: [], owner: {} }), ['name', 'notes', 'owner']);
    assert.deepEqual(errorPaths({ workflow: 'w', tags: 'nightly' }), ['tags']);
    assert.deepEqual(errorPaths({ workflow: 'w', tags: ['a', 2, ''] }), ['tags.1', 'tags.2']);
  });

  it('keeps a repeated tag once, with a warning', () => {
    const out = parseRunObject({ workflow: 'w', tags: ['a', 'b', 'a'] });
    assert.deepEqual(out.spec!.tags, ['a', 'b']);
    assert.deepEqual(paths(out.warnings), ['tags.2']);
  });

  describe('params', () => {
    const paramErrors = (params: unknown) => errorPaths({ workflow: 'w', params });

    it('reads bare values, {value}, {values} and ranges', () => {
      const spec = parseRunObject({
        workflow: 'w',
        params: { a: 'x', b: { value: { k: 1 } }, c: { value: [1, 2] }, d: { values: [1] }, e: { from: '1s', to: '1m', step: '10s' }, f: { from: 1, to: 4, step: 1, log: '2' } },
      }).spec!;
      assert.deepEqual(spec.params, {
        a: { kind: 'single', value: 'x' },
        b: { kind: 'single', value: { k: 1 } },
        c: { kind: 'single', value: [1, 2] },
        d: { kind: 'values', values: [1] },
        e: { kind: 'range', from: '1s', to: '1m', step: '10s' },
        f: { kind: 'range', from: 1, to: 4, step: 1, log: 2 },
      });
    });

    it('requires params to be a mapping with param names as keys', () => {
      assert.deepEqual(paramErrors([1]), ['params']);
      assert.deepEqual(paramErrors({ Epsilon: 1, 'a-b': 2 }), ['params.Epsilon', 'params.a-b']);
    });

    it('refuses a param with no value', () => {
      assert.deepEqual(paramErrors({ k: null }), ['params.k']);
      assert.deepEqual(paramErrors({ k: { value: null } }), ['params.k.value']);
    });

    it('refuses a bare list as ambiguous and says how to write either meaning', () => {
      const out = parseRunObject({ workflow: 'w', params: { k: [1, 2] } });
      assert.deepEqual(paths(out.errors), ['params.k']);
      assert.match(out.errors[0].message, /\{values: \[\.\.\.\]\}.*\{value: \[\.\.\.\]\}/);
    });

    it('refuses a mapping that is none of the forms, or several at once', () => {
      assert.deepEqual(paramErrors({ k: { a: 1 } }), ['params.k']);
      assert.deepEqual(paramErrors({ k: { value: 1, values: [1] } }), ['params.k']);
      assert.deepEqual(paramErrors({ k: { values: [1], from: 1 } }), ['params.k']);
    });

    it('reports unknown fields next to value, values and range fields', () => {
      assert.deepEqual(paramErrors({ k: { value: 1, typo: 2 } }), ['params.k.typo']);
      assert.deepEqual(paramErrors({ k: { values: [1], typo: 2 } }), ['params.k.typo']);
      assert.deepEqual(paramErrors({ k: { from: 1, to: 2, step: 1, by: 1 } }), ['params.k.by']);
    });

    it('requires values to be a non-empty list', () => {
      assert.deepEqual(paramErrors({ k: { values: [] } }), ['params.k.values']);
      assert.deepEqual(paramErrors({ k: { values: 3 } }), ['params.k.values']);
    });

    it('requires from, to and step in a range, as numbers or text', () => {
      assert.deepEqual(paramErrors({ k: { from: 1, to: 9 } }), ['params.k.step']);
      assert.deepEqual(paramErrors({ k: { step: 1 } }), ['params.k.from', 'params.k.to']);
      assert.deepEqual(paramErrors({ k: { from: [1], to: 9, step: { a: 1 } } }), ['params.k.from', 'params.k.step']);
    });

    it('accepts log bases 10, 2 and e only', () => {
      assert.deepEqual(paramErrors({ k: { from: 1, to: 9, step: 1, log: 3 } }), ['params.k.log']);
      assert.deepEqual(paramErrors({ k: { from: 1, to: 9, step: 1, log: 'ln' } }), ['params.k.log']);
      assert.deepEqual(parseRunObject({ workflow: 'w', params: { k: { from: 1, to: 9, step: 1, log: 10 } } }).errors, []);
    });
  });

  it('reports every structural error at once, each at its path', () => {
    const out = parseRunText(`
repeat: 0
seed: -4
color: red
params:
  k: {from: 1, to: 9}
  eps: {from: 1, to: 9, step: 1, log: 3}
  list: [1, 2]
`);
    assert.equal(out.spec, undefined);
    assert.deepEqual(paths(out.errors), ['color', 'params.eps.log', 'params.k.step', 'params.list', 'repeat', 'seed', 'workflow']);
  });
});

describe('applyOverrides', () => {
  it('replaces each overridden param with one value kept as text, leaving the spec untouched', () => {
    const spec = aRunSpec({ params: { epsilon: { kind: 'values', values: [0.1, 0.2] }, users: { kind: 'single', value: 3 } } });
    const out = applyOverrides(spec, { epsilon: '0.5', window: '10s' });
    assert.deepEqual(out.params, {
      epsilon: { kind: 'single', value: '0.5', text: true },
      users: { kind: 'single', value: 3 },
      window: { kind: 'single', value: '10s', text: true },
    });
    assert.deepEqual(spec.params.epsilon, { kind: 'values', values: [0.1, 0.2] });
  });
});
