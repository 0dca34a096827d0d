/**
 * `accio ps` latency through the agent's Thrift API with 100,000 runs in SQLite. The database is
 * filled directly (SqliteStorage.saveRuns with test/support/builders.ts's aRun; the mix of
 * bench/storage-list.ts: 90% in sweeps of 1 + 99, 10% of runs SCHEDULED or RUNNING), then a real
 * agent process starts on it (`node bin/run.js agent`), and this process, a separate client like
 * the CLI, times the listRuns calls `accio ps` makes (src/cli/commands/ps.ts psRequest): active
 * top-level runs, `--all`, and `--parent <sweep>`, limit 25. Prints median and p99 over a few
 * hundred calls each, beside the same queries on the storage alone (the API's own share).
 *
 * The active runs reference workflows that are not stored (the builders' runs), so the agent's
 * resume at start fails fast for each of them (logged) instead of starting executors; the
 * benchmark waits until the agent is idle before it measures, and prints how long that took.
 *
 *   npm run build && npx tsx bench/ps-latency.ts [runs=100000] [calls=300] [--profile]
 *
 * --profile runs the agent under `node --cpu-prof` and prints where its CPU went (start-up included).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ListRunsRequest } from '../src/api/service';
import { connectAgent } from '../src/api/thrift-client';
import { psRequest } from '../src/cli/commands/ps';
import { SqliteStorage } from '../src/plugins/storage/sqlite';
import {
  cpuSeconds, machine, median, mib, processCpuSeconds, processMemory, quantile, requireBuild, runBench, spawnAgentProcess, tempDir, waitForQuietMachine, waitProcessIdle,
} from './support/bench-kit';
import { ACTIVE_MIX, CHILDREN_PER_SWEEP, fillRuns } from './support/fill';
import { CpuProfile, summariseProfiles } from './support/profile';

const PROFILE = process.argv.includes('--profile');
const [total = 100_000, calls = 300] = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
const WARMUP = 20;
const DEADLINE_MS = 20 * 60_000;

interface Stats {
  medianMs: number;
  p99Ms: number;
  total: number;
}

async function time(n: number, call: () => Promise<{ total: number }>): Promise<Stats> {
  const xs: number[] = [];
  let found = 0;
  for (let i = 0; i < WARMUP + n; i++) {
    const t0 = performance.now();
    found = (await call()).total;
    if (i >= WARMUP) xs.push(performance.now() - t0);
  }
  return { medianMs: median(xs), p99Ms: quantile(xs, 0.99), total: found };
}

async function main(): Promise<void> {
  requireBuild();
  console.log(`ps latency through the Thrift API, ${total.toLocaleString('en')} runs in SQLite`);
  console.log(`machine: ${machine()}`);
  console.log(`date: ${new Date().toISOString()}`);
  const dataDir = tempDir('accio-bench-ps-');
  const dbPath = path.join(dataDir, 'accio.db');
  const fill = await fillRuns(dbPath, { total, statuses: ACTIVE_MIX });
  console.log(
    `filled in ${fill.seconds.toFixed(1)} s: ${fill.sweeps} sweeps of 1 + ${CHILDREN_PER_SWEEP}, ${fill.singles} single runs; ` +
      `database ${mib(fs.statSync(dbPath).size + (fs.existsSync(`${dbPath}-wal`) ? fs.statSync(`${dbPath}-wal`).size : 0))}`,
  );

  const queries: [string, ListRunsRequest][] = [
    ['accio ps             (top-level, active)', psRequest({})],
    ['accio ps --all       (top-level)', psRequest({ all: true })],
    ['accio ps --parent P  (99 children)', psRequest({ parent: fill.someParent })],
  ];

  // The storage alone, before the agent opens the file.
  const storage = new SqliteStorage({ path: dbPath });
  const direct: Stats[] = [];
  for (const [, q] of queries) direct.push(await time(calls, () => storage.listRuns(q)));
  await storage.close();

  const startedAt = performance.now();
  const profDir = PROFILE ? tempDir('accio-bench-prof-') : undefined;
  const agent = await spawnAgentProcess(dataDir, { nodeFlags: profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [] });
  const listeningS = (performance.now() - startedAt) / 1000;
  const idleAfterMs = await waitProcessIdle(agent.pid);
  console.log(`agent listening after ${listeningS.toFixed(1)} s; idle (resume of the active runs done) ${(idleAfterMs / 1000).toFixed(0)} s later; RSS ${mib(processMemory(agent.pid).rss)}`);
  console.log(await waitForQuietMachine());
  const client = connectAgent(agent.addr);
  console.log(`listRuns, limit 25, ${calls} calls each after ${WARMUP} warm-up, one at a time (ms):`);
  console.log(`  ${'call'.padEnd(42)} ${'total'.padStart(7)} ${'median'.padStart(8)} ${'p99'.padStart(8)}  | storage alone: median    p99 | CPU per call: agent  client`);
  for (let i = 0; i < queries.length; i++) {
    const [label, q] = queries[i];
    const agent0 = processCpuSeconds(agent.pid);
    const client0 = cpuSeconds().self;
    const s = await time(calls, () => client.listRuns(q));
    const agentMs = ((processCpuSeconds(agent.pid) - agent0) / (calls + WARMUP)) * 1000;
    const clientMs = ((cpuSeconds().self - client0) / (calls + WARMUP)) * 1000;
    const d = direct[i];
    console.log(
      `  ${label.padEnd(42)} ${String(s.total).padStart(7)} ${s.medianMs.toFixed(2).padStart(8)} ${s.p99Ms.toFixed(2).padStart(8)}  |` +
        `                ${d.medianMs.toFixed(2).padStart(6)} ${d.p99Ms.toFixed(2).padStart(6)} |              ${agentMs.toFixed(2).padStart(5)} ${clientMs.toFixed(2).padStart(7)}`,
    );
  }
  console.log('  (CPU per call from /proc and process.cpuUsage, 10 ms clock ticks for the agent: approximate)');
  client.close();
  await agent.stop();
  if (profDir) {
    const files = fs.readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
    const profiles = files.map((f) => JSON.parse(fs.readFileSync(path.join(profDir, f), 'utf8')) as CpuProfile);
    console.log('agent CPU profile over its whole life (node --cpu-prof; start-up and resume included):');
    for (const line of summariseProfiles(profiles, 25)) console.log(line);
  }
}

runBench('ps-latency', DEADLINE_MS, main);
