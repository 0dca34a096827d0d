/**
 * Submitting a large sweep: a 10,000-child sweep of a one-node workflow (a Sleep of one hour, so
 * no child finishes while we watch) sent through the Thrift client as `accio submit` does
 * (parseRun, then createRun) to a real agent process (`node bin/run.js agent`: SQLite storage,
 * local scheduler, executors from dist). Prints the seconds until createRun returns (every run
 * stored), checks the count with listRuns({parent}).total, then watches the agent while it
 * launches the children: latency of `info` and of the listRuns calls behind `accio ps`,
 * `accio ps --all` and `accio ps --parent`, and how fast children get their task (counted in the
 * database, read-only, outside the agent). Finally kills the sweep (timed) and stops the agent,
 * which kills the running executors.
 *
 *   npm run build && npx tsx bench/submit-sweep.ts [children=10000] [watchSeconds=30] [--profile]
 *
 * --profile runs the agent under `node --cpu-prof` and prints where its CPU went over its life.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import Sqlite from 'better-sqlite3';
import { connectAgent } from '../src/api/thrift-client';
import { ListRunsRequest } from '../src/api/service';
import { psRequest } from '../src/cli/commands/ps';
import {
  machine, median, mib, processMemory, pushWorkflowText, quantile, requireBuild, runBench, sleep, spawnAgentProcess, tempDir, waitForQuietMachine,
} from './support/bench-kit';
import { CpuProfile, summariseProfiles } from './support/profile';

const args = process.argv.slice(2);
const positional = args.filter((a) => /^\d+$/.test(a));
const CHILDREN = Number(positional[0] ?? 10_000);
const WATCH_S = Number(positional[1] ?? 30);
const PROFILE = args.includes('--profile');
const DEADLINE_MS = 15 * 60_000;

const WORKFLOW = `
id: bench_sleep
name: submit sweep benchmark
params:
  - {name: value, type: integer}
graph:
  - op: Sleep
    name: Wait
    inputs: {duration: 1h, value: {param: value}}
`;

const SWEEP = `workflow: bench_sleep\nname: bench sweep\ntags: [bench]\nparams:\n  value: {from: 1, to: ${CHILDREN}, step: 1}\n`;

const fmt = (xs: number[]) =>
  xs.length ? `median ${median(xs).toFixed(1).padStart(6)} ms  p99 ${quantile(xs, 0.99).toFixed(1).padStart(7)} ms  max ${Math.max(...xs).toFixed(1).padStart(7)} ms  (${xs.length} calls)` : 'no calls';

async function main(): Promise<void> {
  requireBuild();
  console.log(`submit sweep: ${CHILDREN.toLocaleString('en')} children of a one-node Sleep (1 h) workflow, through the Thrift client, to an agent process`);
  console.log(`machine: ${machine()}`);
  console.log(`date: ${new Date().toISOString()}`);
  const dataDir = tempDir('accio-bench-sweep-');
  const profDir = PROFILE ? tempDir('accio-bench-prof-') : undefined;
  const agent = await spawnAgentProcess(dataDir, { nodeFlags: profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [] });
  // A long timeout: killing thousands of children can take longer than the default 30 s per call.
  const client = connectAgent(agent.addr, { timeoutMs: 600_000 });
  await pushWorkflowText(client, WORKFLOW);
  const psActive = psRequest({});
  const psAll = psRequest({ all: true });
  for (let i = 0; i < 20; i++) await client.listRuns(psActive);
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await client.listRuns(psActive);
    idle.push(performance.now() - t0);
  }
  console.log(`ps (top-level, active, limit 25) on the idle agent: ${fmt(idle)}`);
  console.log(await waitForQuietMachine());

  const rss0 = processMemory(agent.pid).rss;
  const t0 = performance.now();
  const parsed = await client.parseRun(SWEEP, {});
  const parseMs = performance.now() - t0;
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.errors));
  const c0 = performance.now();
  const { ids } = await client.createRun({ spec: parsed.spec, user: 'bench' });
  const launchStart = performance.now();
  const createMs = launchStart - c0;
  const parent = ids[0];

  // Right after: the first calls a user would make, and their latency.
  const first: string[] = [];
  for (const [label, call] of [
    ['info', () => client.info()],
    ['ps', () => client.listRuns(psActive)],
    ['ps --parent', () => client.listRuns({ parent, limit: 25 })],
  ] as const) {
    const s0 = performance.now();
    await call();
    first.push(`${label} ${(performance.now() - s0).toFixed(0)} ms`);
  }
  const count = await client.listRuns({ parent, limit: 1 });
  console.log('');
  console.log(`SUBMIT: ${((parseMs + createMs) / 1000).toFixed(2)} s until createRun returned (parseRun ${parseMs.toFixed(0)} ms + createRun ${createMs.toFixed(0)} ms) for ${ids.length - 1} children`);
  console.log(`  stored: listRuns({parent}).total = ${count.total} ${count.total === CHILDREN ? '(all there)' : `(EXPECTED ${CHILDREN})`}`);
  console.log(`  first calls right after createRun returned, one after the other: ${first.join(', ')}`);

  // The launch, counted in the database (read-only, WAL: never blocks the agent).
  const db = new Sqlite(path.join(dataDir, 'accio.db'), { readonly: true, fileMustExist: true });
  const taskCount = () => (db.prepare('SELECT COUNT(*) AS n FROM tasks').get() as { n: number }).n;
  let launchedAt: number | undefined;
  const progress: string[] = [];
  let watching = true;
  const watcher = (async () => {
    let nextReport = 5;
    while (watching) {
      const n = taskCount();
      const elapsedS = (performance.now() - launchStart) / 1000;
      if (n >= CHILDREN && launchedAt === undefined) launchedAt = performance.now();
      if (elapsedS >= nextReport) {
        progress.push(`  t=${elapsedS.toFixed(0).padStart(3)} s: ${n} of ${CHILDREN} children have a task; agent RSS ${mib(processMemory(agent.pid).rss)}`);
        nextReport += 5;
      }
      await sleep(100);
    }
  })();
  const info: number[] = [];
  const active: number[] = [];
  const all: number[] = [];
  const children: number[] = [];
  const watchEnd = launchStart + WATCH_S * 1000;
  while (performance.now() < watchEnd) {
    for (const [samples, call] of [
      [info, () => client.info()],
      [active, () => client.listRuns(psActive)],
      [all, () => client.listRuns(psAll)],
      [children, () => client.listRuns({ parent, limit: 25 } as ListRunsRequest)],
    ] as const) {
      const s0 = performance.now();
      await call();
      samples.push(performance.now() - s0);
    }
    await sleep(100);
  }
  console.log(`launch, watched for ${WATCH_S} s after createRun returned:`);
  for (const line of progress) console.log(line);
  console.log(
    launchedAt !== undefined
      ? `  every child had its task ${((launchedAt - launchStart) / 1000).toFixed(1)} s after createRun returned`
      : `  launch NOT over after ${WATCH_S} s (${taskCount()} of ${CHILDREN})`,
  );
  console.log('  latency through Thrift while the sweep launches (one call at a time, every ~100 ms):');
  console.log(`    info                                   ${fmt(info)}`);
  console.log(`    ps           (top-level, active, 25)  ${fmt(active)}`);
  console.log(`    ps --all     (top-level, 25)          ${fmt(all)}`);
  console.log(`    ps --parent  (children, 25)           ${fmt(children)}`);
  console.log(`  agent RSS: ${mib(rss0)} before the submission, ${mib(processMemory(agent.pid).rss)} now (peak ${mib(processMemory(agent.pid).hwm)})`);

  const waitUntil = performance.now() + 180_000;
  while (launchedAt === undefined && performance.now() < waitUntil) await sleep(200);
  watching = false;
  await watcher;
  // A task is declared lost when its heartbeats stop reaching the agent for heartbeatTimeoutMs (30 s).
  const lost = (db.prepare(`SELECT COUNT(*) AS n FROM runs WHERE parent = ? AND instr(summary, '"classifier":"lost"') > 0`).get(parent) as { n: number }).n;
  console.log(`  children with a task declared lost so far (their executor's heartbeats not heard in time): ${lost}`);
  db.close();
  const k0 = performance.now();
  const killed = await client.killRun(parent);
  const killS = (performance.now() - k0) / 1000;
  const left = await client.listRuns({ parent, status: ['SCHEDULED', 'RUNNING'], limit: 1 });
  console.log(`KILL: killRun(parent) took ${killS.toFixed(1)} s; parent ${killed.state.status}, ${left.total} children still active`);
  // Once quiet: what a listing costs when it carries the sweep parent (its document lists every child id).
  await sleep(1000);
  const quiet = async (call: () => Promise<unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < 30; i++) {
      const q0 = performance.now();
      await call();
      xs.push(performance.now() - q0);
    }
    return fmt(xs);
  };
  const parentDoc = await client.getRun(parent);
  console.log(`after the kill, agent quiet (the parent's document holds ${parentDoc.children.length} child ids, ${(JSON.stringify(parentDoc).length / 1024).toFixed(0)} KiB of JSON):`);
  console.log(`    ps           (no active run left)     ${await quiet(() => client.listRuns(psActive))}`);
  console.log(`    ps --all     (lists the parent)       ${await quiet(() => client.listRuns(psAll))}`);
  console.log(`    getRun(parent)                         ${await quiet(() => client.getRun(parent))}`);
  client.close();
  const s0 = performance.now();
  await agent.stop();
  console.log(`agent stopped in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  if (profDir) {
    const files = fs.readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
    const profiles = files.map((f) => JSON.parse(fs.readFileSync(path.join(profDir, f), 'utf8')) as CpuProfile);
    console.log('agent CPU profile over its whole life (node --cpu-prof):');
    for (const line of summariseProfiles(profiles, 25)) console.log(line);
  }
}

runBench('submit-sweep', DEADLINE_MS, main);
