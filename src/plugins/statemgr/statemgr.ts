/**
 * State manager: what is short-lived and shared between agents: per-key locks with a lease, and a
 * small key-value store with TTL. Implementations do not retry.
 */

export interface Lock {
  readonly key: string;
  /** Releases the lock; releasing twice is harmless. */
  release(): Promise<void>;
}

export interface StateManagerCapabilities {
  /** etcd leases count in seconds: TTLs are rounded up to whole seconds. */
  leaseGranularity: 'ms' | 's';
}

export interface StateManager {
  readonly capabilities: StateManagerCapabilities;
  /**
   * Waits until the lock on `key` is free, then holds it. Throws ConflictError after `timeoutMs`.
   * A holder that dies loses the lock after its lease (`leaseMs`) at the latest.
   * Not re-entrant: the same holder locking the same key twice waits for itself.
   */
  lock(key: string, options?: { timeoutMs?: number; leaseMs?: number }): Promise<Lock>;
  /** Takes the lock if it is free, else resolves undefined at once. */
  tryLock(key: string, options?: { leaseMs?: number }): Promise<Lock | undefined>;

  /** Stores a value; with `ttlMs` it vanishes after that time. */
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;

  close(): Promise<void>;
}

/** Runs `fn` while holding the lock on `key`. */
export async function withLock<T>(sm: StateManager, key: string, fn: () => Promise<T>, options?: { timeoutMs?: number; leaseMs?: number }): Promise<T> {
  const lock = await sm.lock(key, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
