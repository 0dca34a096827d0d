/**
 * Per-node retry policies: defaults, validation, and the two questions the state machine asks
 * when an attempt ends badly (retry it? after how long?).
 */
import { InvalidDefinitionError, ValidationIssue } from './errors';
import { RetryPolicy } from './run';

/** Infrastructure loss is retried; an operator that failed is not, since it would likely fail again. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 3,
  backoffMs: 1000,
  backoffFactor: 2,
  maxBackoffMs: 60000,
  retryOn: Object.freeze(['LOST']) as RetryPolicy['retryOn'],
});

const OUTCOMES: readonly RetryPolicy['retryOn'][number][] = ['LOST', 'FAILED'];

/**
 * Fills a partial policy with the defaults of DEFAULT_RETRY_POLICY (a field set to `undefined`
 * counts as absent) and validates it.
 * @throws InvalidDefinitionError listing every invalid field, each with its field name as path.
 */
export function compileRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const d = DEFAULT_RETRY_POLICY;
  const policy: RetryPolicy = {
    maxAttempts: partial.maxAttempts ?? d.maxAttempts,
    backoffMs: partial.backoffMs ?? d.backoffMs,
    backoffFactor: partial.backoffFactor ?? d.backoffFactor,
    maxBackoffMs: partial.maxBackoffMs ?? d.maxBackoffMs,
    retryOn: [...(partial.retryOn ?? d.retryOn)],
  };
  const issues: ValidationIssue[] = [];
  const check = (ok: boolean, field: keyof RetryPolicy, message: string): void => {
    if (!ok) issues.push({ path: [field], message });
  };
  check(Number.isSafeInteger(policy.maxAttempts) && policy.maxAttempts >= 1, 'maxAttempts', `must be an integer >= 1, got ${policy.maxAttempts}`);
  check(Number.isFinite(policy.backoffMs) && policy.backoffMs >= 0, 'backoffMs', `must be a finite number >= 0, got ${policy.backoffMs}`);
  check(Number.isFinite(policy.backoffFactor) && policy.backoffFactor >= 1, 'backoffFactor', `must be a finite number >= 1, got ${policy.backoffFactor}`);
  check(Number.isFinite(policy.maxBackoffMs) && policy.maxBackoffMs >= 0, 'maxBackoffMs', `must be a finite number >= 0, got ${policy.maxBackoffMs}`);
  if (!Array.isArray(policy.retryOn)) {
    issues.push({ path: ['retryOn'], message: `must be a list of ${OUTCOMES.join(', ')}` });
  } else {
    for (const outcome of policy.retryOn) {
      check(OUTCOMES.includes(outcome), 'retryOn', `unknown outcome "${String(outcome)}" (expected ${OUTCOMES.join(' or ')})`);
    }
    policy.retryOn = OUTCOMES.filter((o) => policy.retryOn.includes(o));
  }
  if (issues.length) throw new InvalidDefinitionError('retry policy', issues);
  return policy;
}

/**
 * How long to wait before the next attempt, once `attemptsSoFar` attempts have run: `backoffMs`
 * after the first, multiplied by `backoffFactor` for each further one, capped at `maxBackoffMs`.
 * Zero before the first attempt.
 */
export function retryDelayMs(policy: RetryPolicy, attemptsSoFar: number): number {
  if (attemptsSoFar < 1) return 0;
  // Math.pow may reach Infinity for large attempt counts; the cap keeps the result finite.
  return Math.min(policy.maxBackoffMs, policy.backoffMs * Math.pow(policy.backoffFactor, attemptsSoFar - 1));
}

/** Whether an attempt that ended with `outcome` is followed by another one. */
export function shouldRetry(policy: RetryPolicy, outcome: 'LOST' | 'FAILED', attemptsSoFar: number): boolean {
  return policy.retryOn.includes(outcome) && attemptsSoFar < policy.maxAttempts;
}
