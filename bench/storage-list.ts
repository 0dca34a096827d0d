/**
 * SQLite storage listing latency: fills a database with a realistic mix of runs (sweep parents
 * with their children, single runs; various owners, statuses, tags; five nodes with results each),
 * then times the queries behind `accio ps`, printing median and p99 latency, insert throughput and
 * the database size.
 *
 *   npx tsx bench/storage-list.ts [totalRuns] [iterations] [dbFile]
 *
 * Without dbFile the database goes to a temporary directory, removed at the end.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Sqlite from 'better-sqlite3';
import { NodeState, Run, RunStatus } from '../src/core/run';
import { RunQuery } from '../src/plugins/storage';
import { SqliteStorage } from '../src/plugins/storage/sqlite';

const [totalArg = '100000', iterationsArg = '200', fileArg] = process.argv.slice(2);
const TOTAL_RUNS = Number(totalArg);
const ITERATIONS = Number(iterationsArg);
const WARMUP = 10;
const CHILDREN_PER_SWEEP = 99;
/** About 90% of runs belong to sweeps, as in a lab that mostly explores parameters. */
const SWEEPS = Math.floor((TOTAL_RUNS * 0.9) / (CHILDREN_PER_SWEEP + 1));
const SINGLES = TOTAL_RUNS - SWEEPS * (CHILDREN_PER_SWEEP + 1);
const NODES = ['Source', 'Split', 'Train', 'Evaluate', 'Report'];
const OWNERS = Array.from({ length: 20 }, (_, i) => `user${i}`);
const WORKFLOWS = Array.from({ length: 30 }, (_, i) => `experiment_${i}`);
const TAGS = Array.from({ length: 50 }, (_, i) => `tag${i}`);
const START_MS = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 86_400_000;

let seed = 7;
/** mulberry32 from a fixed seed, so every invocation builds the same database. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');

function status(): RunStatus {
  const r = random();
  return r < 0.7 ? 'SUCCESS' : r < 0.85 ? 'FAILED' : r < 0.9 ? 'KILLED' : r < 0.97 ? 'RUNNING' : 'SCHEDULED';
}

function nodes(runStatus: RunStatus, createdAtMs: number): NodeState[] {
  return NODES.map((name, i) => {
    const done = runStatus === 'SUCCESS' || i < 2;
    return {
      name,
      status: done ? 'SUCCESS' : runStatus === 'FAILED' && i === 2 ? 'FAILED' : runStatus === 'RUNNING' && i === 2 ? 'RUNNING' : 'WAITING',
      attempts: done ? 1 : 0,
      cacheHit: random() < 0.2,
      cacheKey: hex(64),
      ...(done
        ? {
            startedAtMs: createdAtMs + i * 60_000,
            completedAtMs: createdAtMs + i * 60_000 + 55_000,
            result: {
              outputs: { data: { uri: `s3://accio-artifacts/${hex(32)}/${name.toLowerCase()}`, digest: `sha256:${hex(64)}` }, rows: Math.floor(random() * 1e6), score: random() },
              metrics: { wall_time_ms: Math.floor(random() * 60_000), cpu_time_ms: Math.floor(random() * 60_000), peak_memory_bytes: Math.floor(random() * 2 ** 32) },
            },
          }
        : {}),
    };
  });
}

function run(overrides: Partial<Run> & { createdAtMs: number }): Run {
  const runStatus = status();
  const tags = [...new Set(Array.from({ length: Math.floor(random() * 4) }, () => pick(TAGS)))];
  return {
    id: hex(32),
    workflow: { id: pick(WORKFLOWS), version: hex(64) },
    owner: pick(OWNERS),
    name: `run ${hex(6)}`,
    ...(random() < 0.2 ? { notes: `tried a ${pick(['smaller', 'larger', 'noisier', 'cleaner'])} dataset after review ${hex(4)}` } : {}),
    tags,
    seed: Math.floor(random() * 2 ** 31),
    params: { learning_rate: random(), epochs: 1 + Math.floor(random() * 100), dataset: { uri: `s3://datasets/${hex(8)}` } },
    children: [],
    state: { status: runStatus, progress: runStatus === 'SUCCESS' ? 1 : 0.4, startedAtMs: overrides.createdAtMs + 1000, nodes: nodes(runStatus, overrides.createdAtMs) },
    ...overrides,
  };
}

function sweep(createdAtMs: number): Run[] {
  const parent = run({ createdAtMs, params: {} });
  const children = Array.from({ length: CHILDREN_PER_SWEEP }, (_, i) =>
    run({ createdAtMs: createdAtMs + i, parent: parent.id, owner: parent.owner, workflow: parent.workflow, tags: parent.tags, name: `lr=${(i / 100).toFixed(2)} epochs=${i % 10}` }),
  );
  const counts: Partial<Record<RunStatus, number>> = {};
  for (const c of children) counts[c.state.status] = (counts[c.state.status] ?? 0) + 1;
  parent.children = children.map((c) => c.id);
  parent.name = `sweep ${hex(6)}`;
  parent.state = { status: parent.state.status, progress: 0.8, nodes: [], childCounts: counts };
  return [parent, ...children];
}

function stats(samplesMs: number[]): { medianMs: number; p99Ms: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { medianMs: at(0.5), p99Ms: at(0.99) };
}

async function main(): Promise<void> {
  const dir = fileArg ? undefined : mkdtempSync(path.join(tmpdir(), 'accio-bench-'));
  const file = fileArg ?? path.join(dir as string, 'accio.db');
  const storage = new SqliteStorage({ path: file });

  // Time slots spread over a year, sweeps and singles interleaved, saved oldest first as an agent would.
  const slots = [...Array.from({ length: SWEEPS }, () => 'sweep'), ...Array.from({ length: SINGLES }, () => 'single')].sort(() => random() - 0.5);
  const stepMs = YEAR_MS / slots.length;
  let sweepMs = 0;
  let singleMs = 0;
  let docBytes = 0;
  for (let i = 0; i < slots.length; i++) {
    const createdAtMs = Math.floor(START_MS + i * stepMs);
    const runs = slots[i] === 'sweep' ? sweep(createdAtMs) : [run({ createdAtMs })];
    if (i % 50 === 0) docBytes += JSON.stringify(runs[runs.length - 1]).length;
    const t0 = performance.now();
    if (runs.length > 1) await storage.saveRuns(runs);
    else await storage.saveRun(runs[0]);
    if (runs.length > 1) sweepMs += performance.now() - t0;
    else singleMs += performance.now() - t0;
  }
  const checkpoint = new Sqlite(file);
  checkpoint.pragma('wal_checkpoint(TRUNCATE)');
  checkpoint.close();
  const sizeBytes = statSync(file).size;

  const someParent = (await storage.listRuns({ q: 'sweep', limit: 1 })).results[0];
  const queries: [string, RunQuery][] = [
    ['top-level, newest first, limit 25', {}],
    ['status FAILED', { status: ['FAILED'] }],
    ['status RUNNING or SCHEDULED', { status: ['RUNNING', 'SCHEDULED'] }],
    ['owner user3', { owner: 'user3' }],
    ['tags tag7 and tag8', { tags: ['tag7', 'tag8'] }],
    ['q "review" (notes, ~20% match)', { q: 'review' }],
    ['q with no match (full scan)', { q: 'no-such-text' }],
    ['page 100 (offset 2475)', { offset: 99 * 25 }],
    ['children of a sweep', { parent: someParent.id }],
  ];

  console.log(`SQLite storage, ${TOTAL_RUNS.toLocaleString('en')} runs: ${SWEEPS} sweeps of 1 + ${CHILDREN_PER_SWEEP} runs, ${SINGLES} single runs, ${NODES.length} nodes each`);
  console.log(`insert: sweeps ${((SWEEPS * (CHILDREN_PER_SWEEP + 1)) / (sweepMs / 1000)).toFixed(0)} runs/s (saveRuns of ${CHILDREN_PER_SWEEP + 1}), singles ${(SINGLES / (singleMs / 1000)).toFixed(0)} runs/s (saveRun each), overall ${(TOTAL_RUNS / ((sweepMs + singleMs) / 1000)).toFixed(0)} runs/s`);
  console.log(`database: ${(sizeBytes / 2 ** 20).toFixed(1)} MiB (${(sizeBytes / TOTAL_RUNS).toFixed(0)} bytes/run; a child run's document is ~${(docBytes / Math.ceil(slots.length / 50)).toFixed(0)} bytes of JSON)`);
  console.log(`listRuns latency over ${ITERATIONS} iterations (after ${WARMUP} warm-up), ms:`);
  console.log(`  ${'query'.padEnd(36)} ${'total'.padStart(7)} ${'median'.padStart(8)} ${'p99'.padStart(8)}`);
  for (const [label, query] of queries) {
    const samples: number[] = [];
    let total = 0;
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const t0 = performance.now();
      const page = await storage.listRuns(query);
      if (i >= WARMUP) samples.push(performance.now() - t0);
      total = page.total;
    }
    const { medianMs, p99Ms } = stats(samples);
    console.log(`  ${label.padEnd(36)} ${String(total).padStart(7)} ${medianMs.toFixed(2).padStart(8)} ${p99Ms.toFixed(2).padStart(8)}`);
  }
  await storage.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
