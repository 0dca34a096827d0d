import assert from 'node:assert/strict';
import { Random } from '../../src/operators/random';

describe('Random', () => {
  const draws = (seed: number, n: number): number[] => {
    const r = new Random(seed);
    return Array.from({ length: n }, () => r.next());
  };

  it('gives the same stream for the same seed and different streams for different seeds', () => {
    assert.deepEqual(draws(7, 100), draws(7, 100));
    assert.notDeepEqual(draws(7, 100), draws(8, 100));
    // Seeds beyond 32 bits must still be distinct.
    assert.notDeepEqual(draws(2 ** 40, 100), draws(2 ** 40 + 2 ** 33, 100));
  });

  it('draws uniform floats in [0, 1) and standard normals', () => {
    const r = new Random(1);
    const n = 50_000;
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      assert.ok(u >= 0 && u < 1);
      sum += u;
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
    }
    assert.ok(Math.abs(sum / n - 0.5) < 0.01, `uniform mean ${sum / n}`);
    assert.ok(Math.abs(sumN / n) < 0.02, `normal mean ${sumN / n}`);
    assert.ok(Math.abs(sumN2 / n - 1) < 0.03, `normal variance ${sumN2 / n}`);
  });
});
