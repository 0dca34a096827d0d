/**
 * Retrying calls to the agent and to the artifact store. Retryability belongs to the error
 * (isRetryable): a transport hiccup is retried, a refusal is not. Delays grow exponentially with
 * jitter, so many executors that lost the same agent do not come back in lockstep.
 */
import { isRetryable } from '../core/errors';

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. @default 250 */
  initialMs: number;
  /** Cap on one delay. @default 10000 */
  maxMs: number;
  /** Give up (rethrow the last error) rather than wait past this long since the first try. @default 120000 */
  maxElapsedMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({ initialMs: 250, maxMs: 10_000, maxElapsedMs: 120_000 });

export interface RetryContext {
  backoff: BackoffOptions;
  now: () => number;
  /** Floats in [0, 1), for jitter. */
  random: () => number;
  /** Stops waiting between tries; the last error is then rethrown. */
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log the error. */
  onRetry?: (err: unknown, delayMs: number, attempt: number) => void;
}

/**
 * The delay before retry number `attempt` (from 1): `initialMs·2^(attempt−1)` capped at `maxMs`,
 * then drawn in its upper half, so it is never close to zero (no tight loop) yet spread out.
 */
export function backoffDelayMs(backoff: BackoffOptions, attempt: number, random: () => number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt - 1, 30));
  return base / 2 + (random() * base) / 2;
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Calls `fn` until it succeeds, fails with a non-retryable error, or the deadline or signal stops it. */
export async function withRetry<T>(fn: () => Promise<T>, ctx: RetryContext): Promise<T> {
  const startMs = ctx.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err)) throw err;
      const delayMs = backoffDelayMs(ctx.backoff, attempt, ctx.random);
      if (ctx.now() - startMs + delayMs > ctx.backoff.maxElapsedMs) throw err;
      ctx.onRetry?.(err, delayMs, attempt);
      if (!(await wait(delayMs, ctx.signal))) throw err;
    }
  }
}
