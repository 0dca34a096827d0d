import assert from 'node:assert/strict';
import { InvalidDefinitionError } from '../../../src/core/errors';
import { DEFAULT_RETRY_POLICY, compileRetryPolicy, retryDelayMs, shouldRetry } from '../../../src/core/retry-policy';
import { RetryPolicy } from '../../../src/core/run';

describe('retry policy', () => {
  describe('compileRetryPolicy', () => {
    it('returns the defaults when given nothing: 3 attempts, 1 s doubling up to 60 s, losses only', () => {
      assert.deepEqual(compileRetryPolicy(), {
        maxAttempts: 3, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 60000, retryOn: ['LOST'],
      });
      assert.deepEqual(compileRetryPolicy(), { ...DEFAULT_RETRY_POLICY, retryOn: [...DEFAULT_RETRY_POLICY.retryOn] });
    });

    it('keeps the fields given and fills the others, treating undefined as absent', () => {
      const p = compileRetryPolicy({ maxAttempts: 5, backoffMs: undefined, retryOn: ['FAILED', 'LOST'] });
      assert.equal(p.maxAttempts, 5);
      assert.equal(p.backoffMs, 1000);
      assert.deepEqual(p.retryOn, ['LOST', 'FAILED']);
    });

    it('removes duplicate outcomes from retryOn', () => {
      assert.deepEqual(compileRetryPolicy({ retryOn: ['LOST', 'LOST'] }).retryOn, ['LOST']);
    });

    it('accepts an empty retryOn, which retries nothing', () => {
      assert.deepEqual(compileRetryPolicy({ retryOn: [] }).retryOn, []);
    });

    it('returns a policy that does not share its retryOn list with the defaults', () => {
      const p = compileRetryPolicy();
      p.retryOn.push('FAILED');
      assert.deepEqual(DEFAULT_RETRY_POLICY.retryOn, ['LOST']);
    });

    it('reports every invalid field at once, each with its field name as path', () => {
      const bad = { maxAttempts: 0, backoffMs: -1, backoffFactor: 0.5, maxBackoffMs: Number.NaN, retryOn: ['BROKEN'] } as unknown as RetryPolicy;
      assert.throws(() => compileRetryPolicy(bad), (err: unknown) => {
        assert.ok(err instanceof InvalidDefinitionError);
        assert.deepEqual(err.errors.map((e) => e.path), [['maxAttempts'], ['backoffMs'], ['backoffFactor'], ['maxBackoffMs'], ['retryOn']]);
        return true;
      });
    });

    it('rejects a fractional maxAttempts', () => {
      assert.throws(() => compileRetryPolicy({ maxAttempts: 1.5 }), InvalidDefinitionError);
    });

    it('accepts a single attempt and a zero backoff', () => {
      const p = compileRetryPolicy({ maxAttempts: 1, backoffMs: 0 });
      assert.equal(p.maxAttempts, 1);
      assert.equal(p.backoffMs, 0);
    });
  });

  describe('retryDelayMs', () => {
    it('waits backoffMs after the first attempt and multiplies by backoffFactor after each further one', () => {
      const p = compileRetryPolicy({ backoffMs: 100, backoffFactor: 3, maxBackoffMs: 100000 });
      assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(p, n)), [100, 300, 900, 2700]);
    });

    it('caps the delay at maxBackoffMs', () => {
      const p = compileRetryPolicy();
      assert.equal(retryDelayMs(p, 6), 32000);
      assert.equal(retryDelayMs(p, 7), 60000);
      assert.equal(retryDelayMs(p, 5000), 60000, 'stays finite where the exponential overflows');
    });

    it('is zero before the first attempt', () => {
      assert.equal(retryDelayMs(compileRetryPolicy(), 0), 0);
    });
  });

  describe('shouldRetry', () => {
    it('retries a loss until maxAttempts attempts have run, by default', () => {
      const p = compileRetryPolicy();
      assert.deepEqual([1, 2, 3].map((n) => shouldRetry(p, 'LOST', n)), [true, true, false]);
    });

    it('does not retry an operator failure by default', () => {
      assert.equal(shouldRetry(compileRetryPolicy(), 'FAILED', 1), false);
    });

    it('retries an operator failure when retryOn includes FAILED', () => {
      const p = compileRetryPolicy({ retryOn: ['FAILED'] });
      assert.equal(shouldRetry(p, 'FAILED', 1), true);
      assert.equal(shouldRetry(p, 'LOST', 1), false);
    });

    it('never retries with a single attempt allowed', () => {
      const p = compileRetryPolicy({ maxAttempts: 1, retryOn: ['LOST', 'FAILED'] });
      assert.equal(shouldRetry(p, 'LOST', 1), false);
      assert.equal(shouldRetry(p, 'FAILED', 1), false);
    });
  });
});
