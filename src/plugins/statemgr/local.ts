/**
 * In-process state manager for a single agent (laptop, tests). Locks and keys live in this
 * process only: two agents need a shared state manager (etcd).
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, UnavailableError } from '../../core/errors';
import { Lock, StateManager, StateManagerCapabilities } from './statemgr';

export interface LocalStateManagerOptions {
  /** How long `lock` waits when the call gives no `timeoutMs`. @default 30_000 */
  lockTimeoutMs?: number;
  /** How long a lock is held at most when the call gives no `leaseMs`. @default 30_000 */
  leaseMs?: number;
  /** Monotonic clock for key TTLs, in ms. @default performance.now */
  nowMs?: () => number;
}

export interface CompiledLocalStateManagerOptions {
  lockTimeoutMs: number;
  leaseMs: number;
  nowMs: () => number;
}

export function compileLocalStateManagerOptions(options: LocalStateManagerOptions = {}): CompiledLocalStateManagerOptions {
  return {
    lockTimeoutMs: options.lockTimeoutMs ?? 30_000,
    leaseMs: options.leaseMs ?? 30_000,
    nowMs: options.nowMs ?? (() => performance.now()),
  };
}

interface Waiter {
  leaseMs: number;
  grant: (lock: Lock) => void;
  fail: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface KeyLock {
  /** Identifies the current holding, so a stale `release` (after lease expiry) is a no-op. */
  holding: string;
  leaseTimer: NodeJS.Timeout;
  waiters: Waiter[];
}

interface Entry {
  value: string;
  /** Absolute time on `nowMs`'s clock; undefined: never expires. */
  expiresAtMs?: number;
}

export class LocalStateManager implements StateManager {
  readonly capabilities: StateManagerCapabilities = { leaseGranularity: 'ms' };
  private readonly options: CompiledLocalStateManagerOptions;
  private readonly locks = new Map<string, KeyLock>();
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(options: LocalStateManagerOptions = {}) {
    this.options = compileLocalStateManagerOptions(options);
  }

  async lock(key: string, options: { timeoutMs?: number; leaseMs?: number } = {}): Promise<Lock> {
    this.checkOpen();
    const leaseMs = options.leaseMs ?? this.options.leaseMs;
    const timeoutMs = options.timeoutMs ?? this.options.lockTimeoutMs;
    const held = this.locks.get(key);
    if (!held) return this.acquire(key, leaseMs, []);
    return new Promise<Lock>((resolve, reject) => {
      const waiter: Waiter = {
        leaseMs,
        grant: (lock) => {
          clearTimeout(waiter.timer);
          resolve(lock);
        },
        fail: (err) => {
          clearTimeout(waiter.timer);
          reject(err);
        },
        timer: setTimeout(() => {
          const current = this.locks.get(key);
          if (current) current.waiters = current.waiters.filter((w) => w !== waiter);
          reject(new ConflictError(`lock ${JSON.stringify(key)} still held after waiting ${timeoutMs} ms`, {
            actions: ['Retry later; if the holder crashed, its lease frees the lock.'],
          }));
        }, timeoutMs),
      };
      waiter.timer.unref();
      held.waiters.push(waiter);
    });
  }

  async tryLock(key: string, options: { leaseMs?: number } = {}): Promise<Lock | undefined> {
    this.checkOpen();
    if (this.locks.has(key)) return undefined;
    return this.acquire(key, options.leaseMs ?? this.options.leaseMs, []);
  }

  async set(key: string, value: string, options: { ttlMs?: number } = {}): Promise<void> {
    this.checkOpen();
    const expiresAtMs = options.ttlMs === undefined ? undefined : this.options.nowMs() + options.ttlMs;
    this.entries.set(key, { value, expiresAtMs });
  }

  async get(key: string): Promise<string | undefined> {
    this.checkOpen();
    return this.live(key)?.value;
  }

  async delete(key: string): Promise<void> {
    this.checkOpen();
    this.entries.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    this.checkOpen();
    const keys: string[] = [];
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix) && this.live(key)) keys.push(key);
    }
    // Code-unit order, as etcd sorts keys by bytes for ASCII keys; localeCompare would not.
    return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Frees every lock and key; pending `lock` calls reject with UnavailableError. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const held of this.locks.values()) {
      clearTimeout(held.leaseTimer);
      for (const w of held.waiters) w.fail(new UnavailableError('state manager closed while waiting for a lock'));
    }
    this.locks.clear();
    this.entries.clear();
  }

  private acquire(key: string, leaseMs: number, waiters: Waiter[]): Lock {
    const holding = randomUUID();
    const leaseTimer = setTimeout(() => this.handOver(key, holding), leaseMs);
    // A lease is a safety net, not work: it must not keep the process alive.
    leaseTimer.unref();
    this.locks.set(key, { holding, leaseTimer, waiters });
    let released = false;
    return {
      key,
      release: async () => {
        if (released) return;
        released = true;
        this.handOver(key, holding);
      },
    };
  }

  /** Ends `holding` (released or expired) and gives the key to the first waiter, if any. */
  private handOver(key: string, holding: string): void {
    const held = this.locks.get(key);
    if (!held || held.holding !== holding) return;
    clearTimeout(held.leaseTimer);
    this.locks.delete(key);
    const next = held.waiters.shift();
    if (next) next.grant(this.acquire(key, next.leaseMs, held.waiters));
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs !== undefined && this.options.nowMs() >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private checkOpen(): void {
    if (this.closed) throw new UnavailableError('state manager is closed');
  }
}
