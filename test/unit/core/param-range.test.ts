import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { LogBase, rangeCount, rangeReachesTo, rangeValues, roundSignificant } from '../../../src/core/param-range';

describe('param ranges', () => {
  it('rounds to 12 significant digits and never gives -0', () => {
    assert.equal(roundSignificant(0.1 + 0.2), 0.3);
    assert.equal(roundSignificant(123456789.123456789), 123456789.123);
    assert.ok(Object.is(roundSignificant(-0), 0));
  });

  it('counts an integer range like enumerating it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 50 }), (from, span, step) => {
        const expected: number[] = [];
        for (let x = from; x <= from + span; x += step) expected.push(x);
        const r = { kind: 'integer' as const, from, to: from + span, step };
        assert.equal(rangeCount(r), expected.length);
        assert.deepEqual(rangeValues(r), expected);
        assert.equal(rangeReachesTo(r), span % step === 0);
      }),
    );
  });

  it('reaches to after n float steps, whatever the float error of from + n * step', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        (step, fromInSteps, n) => {
          const from = fromInSteps * step;
          const to = from + n * step;
          const r = { kind: 'float' as const, from, to, step };
          assert.equal(rangeCount(r), n + 1);
          assert.ok(rangeReachesTo(r));
          const values = rangeValues(r) as number[];
          assert.equal(values[n], roundSignificant(to));
        },
      ),
    );
  });

  it('reaches to after n log steps in every base', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.constantFrom<LogBase>(10, 2, 'e'),
        fc.constantFrom(0.25, 0.5, 1, 2),
        fc.integer({ min: 0, max: 30 }),
        (from, base, step, n) => {
          const b = base === 'e' ? Math.E : base;
          const to = from * Math.pow(b, n * step);
          const r = { kind: 'float' as const, from, to, step, log: base };
          assert.equal(rangeCount(r), n + 1);
          const values = rangeValues(r) as number[];
          assert.ok(values.every((v, i) => i === 0 || v > values[i - 1]));
          assert.ok(Math.abs(values[n] - to) <= 1e-9 * to);
        },
      ),
    );
  });

  it('counts a range too large to enumerate without enumerating it', () => {
    assert.equal(rangeCount({ kind: 'integer', from: 0, to: 2 ** 53 - 1, step: 1 }), 2 ** 53);
    assert.equal(rangeCount({ kind: 'float', from: -1e308, to: 1e308, step: 1e-308 }), Infinity);
  });
});
