/**
 * Cooperative cancellation for operators: what an aborted operator throws, and a delay that
 * stops early when the signal fires.
 */
import { OperatorFailure } from './operator';

/** The error of an operator stopped by its signal; classifier `aborted`, cause the signal's reason. */
export function abortedError(signal: AbortSignal): OperatorFailure {
  return new OperatorFailure('aborted', 'the operator was aborted', { cause: signal.reason });
}

/** Throws abortedError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortedError(signal);
}

/** Resolves after `ms`, or rejects with abortedError as soon as the signal fires. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortedError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
