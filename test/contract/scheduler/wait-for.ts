/** Polls a condition until it holds or a deadline passes; the alternative to sleeping a fixed time. */
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitForOptions {
  /** @default 10_000 */
  timeoutMs?: number;
  /** @default 10 */
  intervalMs?: number;
  /** Said in the error when the deadline passes. */
  what?: string;
}

/** Resolves with the first truthy value `probe` returns; rejects once `timeoutMs` has passed. */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}`);
    await delay(options.intervalMs ?? 10);
  }
}
