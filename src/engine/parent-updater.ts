/**
 * Keeps sweep parents' state in step with their children. Children change often (every node of
 * every child), so recomputing a parent is debounced: at most once per `delayMs` per parent, and no
 * more than a fifth of the time for a sweep so large that one recomputation is slow; always from
 * what storage holds at that moment, so the last change is never missed.
 */
import { deriveParentState } from '../core/run-status';
import { StateManager, withLock } from '../plugins/statemgr/statemgr';
import { Storage } from '../plugins/storage/storage';
import { lockKey } from './run-coordinator';

export class ParentUpdater {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** How long each parent's last recomputation took: a huge sweep is recomputed less often. */
  private readonly costMs = new Map<string, number>();
  private readonly inProgress = new Set<Promise<void>>();

  constructor(
    private readonly storage: Storage,
    private readonly stateManager: StateManager,
    private readonly delayMs: number,
    private readonly now: () => number,
    private readonly log: (message: string, err?: unknown) => void,
  ) {}

  /** Asks for the parent to be recomputed soon. */
  touch(parentId: string): void {
    if (this.timers.has(parentId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(parentId);
      const p = this.update(parentId).catch((err) => this.log(`updating sweep parent ${parentId}`, err));
      this.inProgress.add(p);
      void p.finally(() => this.inProgress.delete(p));
    }, Math.max(this.delayMs, 4 * (this.costMs.get(parentId) ?? 0)));
    timer.unref();
    this.timers.set(parentId, timer);
  }

  /** Recomputes a parent's state from its children now. */
  async update(parentId: string): Promise<void> {
    const startedAt = performance.now();
    await withLock(this.stateManager, lockKey(parentId), async () => {
      const parent = await this.storage.getRun(parentId);
      if (!parent || parent.children.length === 0) return;
      const page = await this.storage.listRuns({ parent: parentId, limit: parent.children.length + 1 });
      const children = page.results.map((c) => ({ status: c.state.status, progress: c.state.progress }));
      const state = deriveParentState(parent.state, children, this.now());
      if (JSON.stringify(state) === JSON.stringify(parent.state)) return;
      await this.storage.saveRun({ ...parent, state });
    }, { timeoutMs: 60_000, leaseMs: 60_000 });
    this.costMs.set(parentId, performance.now() - startedAt);
  }

  /** Waits for pending recomputations (tests, shutdown). */
  async flush(): Promise<void> {
    const pending = [...this.timers.keys()];
    for (const id of pending) {
      clearTimeout(this.timers.get(id));
      this.timers.delete(id);
      await this.update(id);
    }
    await Promise.all(this.inProgress);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
