import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { cacheKey } from '../../../src/core/cache-key';
import { DEFAULT_RESOURCES, OperatorDef, PortDef } from '../../../src/core/operator';
import { DataType, T } from '../../../src/core/types';

// Operators are defined here rather than taken from test/support so the golden keys below change
// only when the key format does.
const port = (name: string, type: DataType, extra: Partial<PortDef> = {}): PortDef => ({ name, type, optional: false, ...extra });
const op = (def: Partial<OperatorDef> = {}): OperatorDef => ({
  name: 'Transform',
  version: '1',
  category: 'test',
  help: 'test',
  inputs: [port('data', T.dataset), port('factor', T.float, { default: 1 }), port('label', T.string, { optional: true })],
  outputs: [port('data', T.dataset)],
  resources: DEFAULT_RESOURCES,
  unstable: false,
  ...def,
});
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('cacheKey', () => {
  it('hashes the documented canonical form: version, op, inputs in declaration order, no seed for stable ops', () => {
    const key = cacheKey({ op: op(), inputs: { factor: 2, data: { uri: 's3://b/k' } }, seed: 7 });
    assert.equal(key, sha256('{"inputs":[["data",{"uri":"s3://b/k"}],["factor",2],["label",null]],"op":"Transform","v":1,"version":"1"}'));
  });

  it('keeps golden keys stable across machines and releases', () => {
    assert.equal(
      cacheKey({ op: op(), inputs: { data: { uri: 'file:///data/traces' } }, seed: 1 }),
      'a2e0908f29d837dca22dec99423afe726ba5c5b1a2263b9f3e49fb05ec24e35a',
    );
    assert.equal(
      cacheKey({ op: op({ name: 'Noisy', unstable: true }), inputs: { data: { uri: 'file:///x', digest: DIGEST }, factor: 0.5, label: 'a' }, seed: 42 }),
      '0cf02ea3938797ee18aca1e8221b0d01e2c1e4d72074d27c37fbc0f7dabc223f',
    );
  });

  it('returns 64 lower-case hex characters', () => {
    assert.match(cacheKey({ op: op(), inputs: {}, seed: 0 }), /^[0-9a-f]{64}$/);
  });

  it('ignores the seed of a stable operator', () => {
    const inputs = { data: { uri: 'file:///x' } };
    assert.equal(cacheKey({ op: op(), inputs, seed: 1 }), cacheKey({ op: op(), inputs, seed: 2 }));
  });

  it('keys an unstable operator by its seed', () => {
    const unstable = op({ unstable: true });
    const inputs = { data: { uri: 'file:///x' } };
    assert.notEqual(cacheKey({ op: unstable, inputs, seed: 1 }), cacheKey({ op: unstable, inputs, seed: 2 }));
    assert.equal(cacheKey({ op: unstable, inputs, seed: 1 }), cacheKey({ op: unstable, inputs, seed: 1 }));
  });

  it('ignores inputs the operator does not declare', () => {
    const data = { uri: 'file:///x' };
    assert.equal(cacheKey({ op: op(), inputs: { data, extra: 3 }, seed: 0 }), cacheKey({ op: op(), inputs: { data }, seed: 0 }));
  });

  it('treats an input left to its default like the same value given explicitly', () => {
    const data = { uri: 'file:///x' };
    assert.equal(cacheKey({ op: op(), inputs: { data }, seed: 0 }), cacheKey({ op: op(), inputs: { data, factor: 1 }, seed: 0 }));
    assert.notEqual(cacheKey({ op: op(), inputs: { data }, seed: 0 }), cacheKey({ op: op(), inputs: { data, factor: 2 }, seed: 0 }));
  });

  it('keys a dataset with a digest by its digest, whatever its URI', () => {
    const a = cacheKey({ op: op(), inputs: { data: { uri: 'file:///a', digest: DIGEST } }, seed: 0 });
    const b = cacheKey({ op: op(), inputs: { data: { uri: 's3://bucket/b', digest: DIGEST } }, seed: 0 });
    assert.equal(a, b);
    assert.notEqual(a, cacheKey({ op: op(), inputs: { data: { uri: 'file:///a' } }, seed: 0 }));
  });

  it('keys a dataset without a digest by its URI', () => {
    assert.notEqual(
      cacheKey({ op: op(), inputs: { data: { uri: 'file:///a' } }, seed: 0 }),
      cacheKey({ op: op(), inputs: { data: { uri: 'file:///b' } }, seed: 0 }),
    );
  });

  it('keys datasets inside lists and maps by digest too', () => {
    const lists = op({ inputs: [port('parts', T.list(T.dataset)), port('named', T.map(T.dataset))] });
    const key = (uri: string) => cacheKey({ op: lists, inputs: { parts: [{ uri, digest: DIGEST }], named: { a: { uri, digest: DIGEST } } }, seed: 0 });
    assert.equal(key('file:///one'), key('s3://b/two'));
  });

  it('changes with the operator name and version', () => {
    const inputs = { data: { uri: 'file:///x' } };
    const base = cacheKey({ op: op(), inputs, seed: 0 });
    assert.notEqual(base, cacheKey({ op: op({ version: '2' }), inputs, seed: 0 }));
    assert.notEqual(base, cacheKey({ op: op({ name: 'Other' }), inputs, seed: 0 }));
  });

  it('does not depend on the order in which inputs are given', () => {
    const data = { uri: 'file:///x' };
    assert.equal(cacheKey({ op: op(), inputs: { data, factor: 3, label: 'l' }, seed: 0 }), cacheKey({ op: op(), inputs: { label: 'l', factor: 3, data }, seed: 0 }));
  });
});
