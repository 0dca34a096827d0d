/**
 * Fills a SQLite storage file directly (SqliteStorage.saveRuns, no agent) with runs built by
 * test/support/builders.ts's aRun: 90% of them in sweeps of one parent and 99 children, the rest
 * single runs, oldest first over a year, from 20 owners, 30 workflows and 50 tags.
 */
import { performance } from 'node:perf_hooks';
import { Run, RunStatus } from '../../src/core/run';
import { SqliteStorage } from '../../src/plugins/storage/sqlite';
import { aRun, randomHex64, randomId } from '../../test/support/builders';

export const CHILDREN_PER_SWEEP = 99;

export interface FillOptions {
  /** Runs in all, parents and children included. */
  total: number;
  /** Statuses drawn with these weights. */
  statuses: Partial<Record<RunStatus, number>>;
}

export interface FillResult {
  sweeps: number;
  singles: number;
  /** A sweep parent's id, for listings of children. */
  someParent: string;
  seconds: number;
}

/** ACTIVE_MIX: as bench/storage-list.ts, 10% of runs SCHEDULED or RUNNING. FINISHED_MIX: none. */
export const ACTIVE_MIX: Partial<Record<RunStatus, number>> = { SUCCESS: 0.7, FAILED: 0.15, KILLED: 0.05, RUNNING: 0.07, SCHEDULED: 0.03 };
export const FINISHED_MIX: Partial<Record<RunStatus, number>> = { SUCCESS: 0.8, FAILED: 0.15, KILLED: 0.05 };

let seed = 11;
/** mulberry32 from a fixed seed: every invocation draws the same mix. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

export async function fillRuns(dbPath: string, options: FillOptions): Promise<FillResult> {
  const t0 = performance.now();
  const owners = Array.from({ length: 20 }, (_, i) => `user${i}`);
  const workflows = Array.from({ length: 30 }, (_, i) => ({ id: `experiment_${i}`, version: randomHex64() }));
  const tags = Array.from({ length: 50 }, (_, i) => `tag${i}`);
  const weighted = Object.entries(options.statuses) as [RunStatus, number][];
  const status = (): RunStatus => {
    let r = random() * weighted.reduce((s, [, w]) => s + w, 0);
    for (const [s, w] of weighted) if ((r -= w) < 0) return s;
    return weighted[0][0];
  };
  const sweeps = Math.floor((options.total * 0.9) / (CHILDREN_PER_SWEEP + 1));
  const singles = options.total - sweeps * (CHILDREN_PER_SWEEP + 1);
  const slots = [...Array.from({ length: sweeps }, () => true), ...Array.from({ length: singles }, () => false)].sort(() => random() - 0.5);
  const start = Date.UTC(2025, 0, 1);
  const stepMs = (365 * 86_400_000) / Math.max(1, slots.length);
  const storage = new SqliteStorage({ path: dbPath });
  let someParent = '';
  let batch: Run[] = [];
  const flush = async () => {
    if (batch.length) await storage.saveRuns(batch);
    batch = [];
  };
  try {
    for (let i = 0; i < slots.length; i++) {
      const createdAtMs = Math.floor(start + i * stepMs);
      const owner = pick(owners);
      const workflow = pick(workflows);
      const runTags = [...new Set(Array.from({ length: Math.floor(random() * 4) }, () => pick(tags)))];
      if (!slots[i]) {
        const s = status();
        batch.push(aRun({ createdAtMs, owner, workflow, tags: runTags, name: `run ${i}`, state: { status: s, progress: s === 'SUCCESS' ? 1 : 0.5 } }));
      } else {
        const parentId = randomId();
        const children = Array.from({ length: CHILDREN_PER_SWEEP }, (_, c) => {
          const s = status();
          return aRun({ createdAtMs: createdAtMs + c, parent: parentId, owner, workflow, tags: runTags, name: `lr=${(c / 100).toFixed(2)}`, state: { status: s, progress: s === 'SUCCESS' ? 1 : 0.5 } });
        });
        const counts: Partial<Record<RunStatus, number>> = {};
        for (const c of children) counts[c.state.status] = (counts[c.state.status] ?? 0) + 1;
        const active = (counts.RUNNING ?? 0) + (counts.SCHEDULED ?? 0);
        const parent = aRun({
          id: parentId, createdAtMs, owner, workflow, tags: runTags, name: `sweep ${i}`, params: {}, children: children.map((c) => c.id),
          state: { status: active ? 'RUNNING' : (counts.FAILED ? 'FAILED' : 'SUCCESS'), progress: 1 - active / CHILDREN_PER_SWEEP, nodes: [], childCounts: counts },
        });
        someParent = parent.id;
        batch.push(parent, ...children);
      }
      if (batch.length >= 1000) await flush();
    }
    await flush();
  } finally {
    await storage.close();
  }
  return { sweeps, singles, someParent, seconds: (performance.now() - t0) / 1000 };
}
