/**
 * Runs async jobs keyed by id with bounded concurrency. A key queued twice runs once; a key added
 * while it runs runs again afterwards, so the last request is never lost.
 */
export class KeyedWorkQueue {
  private readonly queued: string[] = [];
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly work: (key: string) => Promise<void>,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  add(key: string): void {
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.queued.push(key);
    this.pump();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.queued.length > 0) {
      const key = this.queued.shift()!;
      this.pending.delete(key);
      this.running.add(key);
      // Each job starts on a later turn of the event loop: storage calls that complete at once
      // (SQLite is synchronous) would otherwise chain in microtasks and starve the API's sockets.
      void new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.work(key))
        .catch((err) => this.onError(key, err))
        .finally(() => {
          this.running.delete(key);
          if (this.again.delete(key)) this.add(key);
          this.pump();
          if (this.pending.size === 0 && this.running.size === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            waiters.forEach((w) => w());
          }
        });
    }
  }
}
