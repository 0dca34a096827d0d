/**
 * Cached rerun: a run of N independent NoOp nodes (distinct values: N cache keys) on a real agent
 * (SQLite storage, local scheduler, executors from dist). The first run computes every node and
 * fills the cache (its time is printed too); then the same definition is submitted again, several
 * times: each rerun should be SUCCESS with every node a cache hit and no executor started.
 * Prints the seconds from createRun to SUCCESS seen by the client (target < 1 s) and checks that
 * every node of every rerun is a cache hit.
 *
 *   npm run build && npx tsx bench/cached-rerun.ts [nodes=1000] [reruns=3] [--total-cpu N] [--profile]
 *
 * --total-cpu only shortens the first run (more executors at once); reruns start none.
 * --profile prints the agent's CPU profile over the reruns.
 */
import { performance } from 'node:perf_hooks';
import {
  machine, median, pushWorkflowText, requireBuild, runBench, startBenchAgent, submitRun, waitForQuietMachine, waitTerminalCheap,
} from './support/bench-kit';
import { startInspectorProfile, summariseProfiles } from './support/profile';

const args = process.argv.slice(2);
const positional = args.filter((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--total-cpu'));
const NODES = Number(positional[0] ?? 1000);
const RERUNS = Number(positional[1] ?? 3);
const TOTAL_CPU = args.includes('--total-cpu') ? args[args.indexOf('--total-cpu') + 1] : undefined;
const PROFILE = args.includes('--profile');
const TARGET_S = 1;
const DEADLINE_MS = 20 * 60_000;
const RUN_TEXT = 'workflow: bench_cached\nname: cached rerun\n';

function workflowText(n: number): string {
  const lines = ['id: bench_cached', 'name: cached rerun benchmark', 'graph:'];
  for (let i = 0; i < n; i++) lines.push(`  - {op: NoOp, name: N${i}, inputs: {value: ${i}}}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  requireBuild();
  console.log(`cached rerun: a run of ${NODES} independent NoOp nodes, SQLite storage, local scheduler, executors from dist`);
  console.log(`machine: ${machine()}`);
  console.log(`date: ${new Date().toISOString()}`);
  const t = await startBenchAgent({ config: TOTAL_CPU ? `scheduler:\n  type: local\n  totalCpu: ${TOTAL_CPU}\n` : undefined });
  let submitted = 0;
  const scheduler = t.agent.engine.plugins.scheduler;
  const submit = scheduler.submit.bind(scheduler);
  scheduler.submit = (job) => {
    submitted++;
    return submit(job);
  };
  await pushWorkflowText(t.client, workflowText(NODES));
  console.log(await waitForQuietMachine());

  const f0 = performance.now();
  const [first] = await submitRun(t.client, RUN_TEXT);
  const firstS = ((await waitTerminalCheap(t.client, first, 200, DEADLINE_MS - 120_000)) - f0) / 1000;
  const firstRun = await t.client.getRun(first);
  if (firstRun.state.status !== 'SUCCESS') throw new Error(`the first run ended ${firstRun.state.status}`);
  console.log(`first run (fills the cache): ${firstS.toFixed(1)} s for ${NODES} tasks = ${(NODES / firstS).toFixed(1)} tasks/s, ${submitted} executors started`);
  // Let the last executors exit before timing the reruns.
  while (scheduler.stats().running > 0) await new Promise((r) => setTimeout(r, 50));

  const stopProfile = PROFILE ? await startInspectorProfile() : undefined;
  const seconds: number[] = [];
  let allHits = true;
  for (let i = 0; i < RERUNS; i++) {
    const before = submitted;
    const t0 = performance.now();
    const [id] = await submitRun(t.client, RUN_TEXT);
    const createdMs = performance.now() - t0;
    const s = ((await waitTerminalCheap(t.client, id, 5, 120_000)) - t0) / 1000;
    seconds.push(s);
    const run = await t.client.getRun(id);
    const hits = run.state.nodes.filter((n) => n.status === 'SUCCESS' && n.cacheHit).length;
    const ok = run.state.status === 'SUCCESS' && hits === NODES && submitted === before;
    allHits &&= ok;
    console.log(
      `rerun ${i + 1}: ${s.toFixed(3)} s from createRun to SUCCESS seen (createRun returned after ${createdMs.toFixed(0)} ms); ` +
        `${run.state.status}, ${hits}/${NODES} nodes cache hits, ${submitted - before} executors started`,
    );
  }
  const profile = stopProfile ? await stopProfile() : undefined;
  console.log(`CACHED RERUN: median ${median(seconds).toFixed(3)} s for ${NODES} nodes (${RERUNS} reruns); target < ${TARGET_S} s: ${median(seconds) < TARGET_S ? 'met' : 'NOT met'}`);
  console.log(`every node of every rerun a cache hit, no executor started: ${allHits ? 'yes' : 'NO'}`);
  if (profile) {
    console.log('agent CPU profile over the reruns (inspector, 0.5 ms sampling):');
    for (const line of summariseProfiles([profile], 20)) console.log(line);
  }
  if (!allHits) process.exitCode = 1;
}

runBench('cached-rerun', DEADLINE_MS, main);
