/**
 * End-to-end task throughput: one run of N independent NoOp nodes (distinct values, so N cache
 * keys and N tasks) submitted to a real agent (SQLite storage, local scheduler, one executor
 * process per task, started from dist). Prints tasks per second from createRun to the run's
 * SUCCESS, the time split, then where the time goes:
 * - a timeline per task (submitted to the scheduler, spawned, startTask received, completeTask
 *   received, executor exited), from in-process hooks on the agent (measurement only);
 * - executor slots: how many ran at once, and the throughput that bound allows;
 * - CPU: the agent's own (this process) and the executors' (reaped children), per task;
 * - storage: calls and time per method;
 * - executor start-up: a bare `node`, the executor's whole module graph, and its heaviest modules,
 *   each in a fresh process.
 * With --profile the agent is CPU-profiled over the run and its top functions printed; with
 * --executor-profile every executor runs under `node --cpu-prof` and their profiles are summed.
 * With --reuse-executors the agent runs with `scheduler.reuseExecutors: true` (long-lived executor
 * workers, src/executor/worker.ts, started on demand).
 *
 * Why independent roots: NoOp is stable (the seed is not in its key) and has one input, so 500
 * nodes all reading the root's `value` would share one cache key: one task would run and 499 nodes
 * would wait for it and complete from the cache.
 *
 *   npm run build && npx tsx bench/e2e-throughput.ts [nodes=500] [--total-cpu N] [--profile] [--executor-profile] [--reuse-executors]
 */
import { spawnSync } from 'node:child_process';
import type * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Run } from '../src/core/run';
import {
  cpuSeconds, EXECUTOR_MAIN, machine, liveChildrenCpuSeconds, machineCpuSeconds, waitForQuietMachine, onExit, mean, median, pushWorkflowText, quantile, REPO_ROOT, requireBuild, runBench, sleep, startBenchAgent, submitRun, waitTerminalCheap,
} from './support/bench-kit';
import { categorise, CpuProfile, startInspectorProfile, summariseProfiles } from './support/profile';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const NODES = Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')) ?? 500);
const TOTAL_CPU = flag('--total-cpu');
const PROFILE = args.includes('--profile');
const EXECUTOR_PROFILE = args.includes('--executor-profile');
const REUSE = args.includes('--reuse-executors');
const TARGET_PER_S = 50;
const DEADLINE_MS = 15 * 60_000;

function workflowText(n: number): string {
  const lines = ['id: bench_fanout', 'name: e2e throughput benchmark', 'graph:'];
  for (let i = 0; i < n; i++) lines.push(`  - {op: NoOp, name: N${i}, inputs: {value: ${i}}}`);
  return lines.join('\n');
}

interface Timeline {
  submitted?: number;
  spawned?: number;
  started?: number;
  completed?: number;
  exited?: number;
}

/** Statistics of one phase over every task that has both ends. */
function phase(timelines: Timeline[], from: keyof Timeline, to: keyof Timeline): string {
  const d = timelines.filter((t) => t[from] !== undefined && t[to] !== undefined).map((t) => t[to]! - t[from]!);
  return `median ${median(d).toFixed(0).padStart(5)} ms  mean ${mean(d).toFixed(0).padStart(5)} ms  p95 ${quantile(d, 0.95).toFixed(0).padStart(5)} ms`;
}

/** Wall and CPU of a short command, as the median over `times` runs. */
function measureCommand(argv: string[], times: number): { wallMs: number; cpuMs: number; stdout: string } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let stdout = '';
  for (let i = 0; i < times; i++) {
    const cpu0 = cpuSeconds().children;
    const t0 = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { cwd: REPO_ROOT, encoding: 'utf8', env: {} });
    walls.push(performance.now() - t0);
    cpus.push((cpuSeconds().children - cpu0) * 1000);
    stdout = r.stdout;
  }
  return { wallMs: median(walls), cpuMs: median(cpus), stdout };
}

/** Executor start-up, measured before the agent starts so nothing else competes. */
function startupBreakdown(): string[] {
  const out: string[] = [];
  const times = 7;
  const bare = measureCommand([process.execPath, '-e', '0'], times);
  // Without arguments the executor loads its whole module graph, then exits 2 on the missing flags.
  const full = measureCommand([process.execPath, EXECUTOR_MAIN], times);
  out.push(`  node -e 0 (bare Node start)                 wall ${bare.wallMs.toFixed(0).padStart(4)} ms  cpu ${bare.cpuMs.toFixed(0).padStart(4)} ms`);
  out.push(`  node dist/src/executor/main.js (load, exit)  wall ${full.wallMs.toFixed(0).padStart(4)} ms  cpu ${full.cpuMs.toFixed(0).padStart(4)} ms`);
  // Experiment: the same executor bundled into one file (esbuild, already installed as tsx's dependency).
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accio-bench-bundle-'));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as { buildSync(o: object): unknown };
    const outfile = path.join(bundleDir, 'executor.js');
    esbuild.buildSync({ entryPoints: [EXECUTOR_MAIN], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'silent' });
    const bundled = measureCommand([process.execPath, outfile], times);
    out.push(`  same, bundled into one file (esbuild, test)  wall ${bundled.wallMs.toFixed(0).padStart(4)} ms  cpu ${bundled.cpuMs.toFixed(0).padStart(4)} ms  (${(fs.statSync(outfile).size / 2 ** 20).toFixed(1)} MiB)`);
  } catch (err) {
    out.push(`  (bundling experiment skipped: ${(err as Error).message.split('\n')[0]})`);
  } finally {
    fs.rmSync(bundleDir, { recursive: true, force: true });
  }
  const modules: [string, string][] = [
    ['executor/main.js (whole graph)', './dist/src/executor/main.js'],
    ['api/thrift-client.js', './dist/src/api/thrift-client.js'],
    ['  thrift (package index)', 'thrift'],
    ['    thrift/.../connection', 'thrift/lib/nodejs/lib/thrift/connection'],
    ['    uuid (ESM, via compact_protocol)', 'uuid'],
    ['    ws (via ws_connection)', 'ws'],
    ['operators/index.js', './dist/src/operators/index.js'],
    ['plugins/downloader (tar)', './dist/src/plugins/downloader/index.js'],
    ['plugins/uploader/registry.js', './dist/src/plugins/uploader/registry.js'],
  ];
  out.push('  require() time, each in a fresh process (median of 7, in-process hrtime):');
  for (const [label, id] of modules) {
    const probe = `const t=process.hrtime.bigint();require(${JSON.stringify(id)});process.stdout.write(JSON.stringify({ms:Number(process.hrtime.bigint()-t)/1e6,n:Object.keys(require.cache).length}))`;
    const samples: { ms: number; n: number }[] = [];
    for (let i = 0; i < times; i++) {
      const r = spawnSync(process.execPath, ['-e', probe], { cwd: REPO_ROOT, encoding: 'utf8' });
      samples.push(JSON.parse(r.stdout) as { ms: number; n: number });
    }
    const ms = median(samples.map((s) => s.ms));
    out.push(`    ${label.padEnd(36)} ${ms.toFixed(1).padStart(6)} ms  (${samples[0].n} CommonJS modules)`);
  }
  return out;
}

/** Records when each executor process is spawned, by the --task-id on its command line, and how long spawn() blocked. */
function hookSpawn(onSpawn: (taskId: string, blockedMs: number) => void): () => void {
  // The module object itself (an `import *` would be a copy): the local scheduler reads `spawn` from it at each call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cp = require('node:child_process') as { spawn: typeof childProcess.spawn };
  const original = cp.spawn;
  cp.spawn = ((command: string, argv: readonly string[], options: childProcess.SpawnOptions) => {
    const i = argv?.indexOf('--task-id') ?? -1;
    const t0 = performance.now();
    const child = original(command, argv, options);
    if (i >= 0) onSpawn(argv[i + 1], performance.now() - t0);
    return child;
  }) as typeof childProcess.spawn;
  return () => {
    cp.spawn = original;
  };
}

/** The Storage interface's methods (not the implementation's private helpers). */
const STORAGE_METHODS = [
  'saveWorkflow', 'getWorkflow', 'listWorkflowVersions', 'listWorkflows', 'saveRun', 'saveRuns', 'getRun', 'getRuns', 'deleteRun', 'listRuns',
  'listActiveRunIds', 'saveTask', 'getTask', 'deleteTask', 'listTasks', 'appendLogs', 'listLogs', 'saveCacheEntry', 'getCacheEntry',
];

/** Wraps the named methods of `target` to count their calls and the time until their promise settles. */
function timeMethods(target: object, names: readonly string[], table: Map<string, { calls: number; ms: number }>): void {
  for (const name of names) {
    const fn = (target as Record<string, unknown>)[name];
    if (typeof fn !== 'function') continue;
    (target as Record<string, unknown>)[name] = async (...a: unknown[]) => {
      const t0 = performance.now();
      try {
        return await (fn as (...x: unknown[]) => Promise<unknown>).apply(target, a);
      } finally {
        const e = table.get(name) ?? { calls: 0, ms: 0 };
        e.calls++;
        e.ms += performance.now() - t0;
        table.set(name, e);
      }
    };
  }
}

async function main(): Promise<void> {
  requireBuild();
  console.log(`e2e throughput: one run of ${NODES} independent NoOp nodes, SQLite storage, local scheduler, executors from dist`);
  console.log(`machine: ${machine()}`);
  console.log(`date: ${new Date().toISOString()}`);
  console.log('executor start-up (before the agent starts):');
  for (const line of startupBreakdown()) console.log(line);

  const schedulerKeys = [...(TOTAL_CPU ? [`  totalCpu: ${TOTAL_CPU}`] : []), ...(REUSE ? ['  reuseExecutors: true'] : [])];
  const config = schedulerKeys.length ? ['scheduler:', '  type: local', ...schedulerKeys, ''].join('\n') : undefined;
  let executorProfDir: string | undefined;
  if (EXECUTOR_PROFILE) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accio-bench-prof-'));
    executorProfDir = dir;
    onExit(() => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const t = await startBenchAgent({
    config,
    executorNodeFlags: executorProfDir ? ['--cpu-prof', '--cpu-prof-dir', executorProfDir, '--cpu-prof-interval', '250'] : [],
  });
  if (REUSE) console.log('scheduler.reuseExecutors: true (long-lived executor workers, started on demand)');
  const { engine } = t.agent;
  const totalCpu = TOTAL_CPU ? Number(TOTAL_CPU) : os.availableParallelism();
  const noOp = engine.plugins.operators.get('NoOp')!;
  console.log(`scheduler: totalCpu ${totalCpu}; NoOp declares cpu ${noOp.resources.cpu}, memoryMb ${noOp.resources.memoryMb} -> at most ${Math.floor(totalCpu / noOp.resources.cpu + 1e-9)} executors at once`);

  // Measurement hooks, on this agent's objects only.
  const timelines = new Map<string, Timeline>();
  const at = (taskId: string, key: keyof Timeline) => {
    const tl = timelines.get(taskId) ?? {};
    tl[key] ??= performance.now();
    timelines.set(taskId, tl);
  };
  const scheduler = engine.plugins.scheduler;
  const submit = scheduler.submit.bind(scheduler);
  scheduler.submit = (job) => {
    at(job.taskId, 'submitted');
    return submit(job);
  };
  scheduler.onExit((exit) => at(exit.taskId, 'exited'));
  const spawnBlockedMs: number[] = [];
  const unhookSpawn = hookSpawn((taskId, blockedMs) => {
    at(taskId, 'spawned');
    spawnBlockedMs.push(blockedMs);
  });
  const coordinator = engine.coordinator;
  const startTask = coordinator.startTask.bind(coordinator);
  coordinator.startTask = (taskId, token) => {
    at(taskId, 'started');
    return startTask(taskId, token);
  };
  const completeTask = coordinator.completeTask.bind(coordinator);
  coordinator.completeTask = (taskId, token, outcome) => {
    at(taskId, 'completed');
    return completeTask(taskId, token, outcome);
  };
  const lostReasons = new Map<string, number>();
  const taskLost = coordinator.taskLost.bind(coordinator);
  coordinator.taskLost = (task, reason) => {
    lostReasons.set(reason, (lostReasons.get(reason) ?? 0) + 1);
    return taskLost(task, reason);
  };
  const storageTimes = new Map<string, { calls: number; ms: number }>();
  timeMethods(engine.plugins.storage, STORAGE_METHODS, storageTimes);

  await pushWorkflowText(t.client, workflowText(NODES));
  console.log(await waitForQuietMachine());

  let maxRunning = 0;
  let runningSamples = 0;
  let runningSum = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { running } = scheduler.stats();
      maxRunning = Math.max(maxRunning, running);
      runningSum += running;
      runningSamples++;
      await sleep(5);
    }
  })();

  const stopProfile = PROFILE ? await startInspectorProfile() : undefined;

  // Executors' CPU: reaped ones through cutime/cstime, live ones (long-lived workers) from /proc.
  const workerCpu = liveChildrenCpuSeconds;
  const cpu0 = cpuSeconds();
  const machine0 = machineCpuSeconds();
  const worker0 = workerCpu();
  const wall0 = Date.now();
  const t0 = performance.now();
  const [runId] = await submitRun(t.client, 'workflow: bench_fanout\nname: e2e throughput\n');
  const createdMs = performance.now() - t0;
  const totalMs = (await waitTerminalCheap(t.client, runId, 50, DEADLINE_MS - 60_000)) - t0;
  const cpu1 = cpuSeconds();
  const machine1 = machineCpuSeconds();
  const worker1 = workerCpu();
  sampling = false;
  await sampler;

  const profileLines = stopProfile ? summariseProfiles([await stopProfile()], 25) : [];

  const getRunMs: number[] = [];
  let run: Run | undefined;
  for (let i = 0; i < 20; i++) {
    const g0 = performance.now();
    run = await t.client.getRun(runId);
    getRunMs.push(performance.now() - g0);
  }
  if (!run) throw new Error('no run');
  // Wait for the last executors to exit, so every timeline is complete.
  const exitDeadline = Date.now() + 10_000;
  while (scheduler.stats().running > 0 && Date.now() < exitDeadline) await sleep(20);
  unhookSpawn();

  if (run.state.status !== 'SUCCESS') throw new Error(`the run ended ${run.state.status}`);
  const nodes = run.state.nodes;
  const hits = nodes.filter((n) => n.cacheHit).length;
  const started = nodes.map((n) => n.startedAtMs!).filter((x) => x !== undefined);
  const completed = nodes.map((n) => n.completedAtMs!).filter((x) => x !== undefined);
  const rate = (NODES / totalMs) * 1000;
  const tasks = [...timelines.values()];

  console.log('');
  console.log(`result: ${run.state.status}, ${NODES} nodes, ${tasks.length} tasks, ${hits} cache hits`);
  const retried = nodes.filter((n) => n.attempts > 1);
  if (retried.length > 0 || lostReasons.size > 0) {
    console.log(`WARNING: ${retried.length} nodes needed more than one attempt; tasks declared lost, by reason:`);
    for (const [reason, n] of lostReasons) console.log(`  ${n} x ${reason}`);
  }
  console.log(`THROUGHPUT: ${rate.toFixed(1)} tasks/s end to end (${(totalMs / 1000).toFixed(2)} s from createRun to SUCCESS seen); target >= ${TARGET_PER_S}/s: ${rate >= TARGET_PER_S ? 'met' : 'NOT met'}`);
  console.log('time split (from the createRun call):');
  console.log(`  createRun returned              ${createdMs.toFixed(0).padStart(6)} ms`);
  console.log(`  first task started              ${(Math.min(...started) - wall0).toFixed(0).padStart(6)} ms`);
  console.log(`  last task started               ${(Math.max(...started) - wall0).toFixed(0).padStart(6)} ms`);
  console.log(`  last task finished              ${(Math.max(...completed) - wall0).toFixed(0).padStart(6)} ms`);
  console.log(`  SUCCESS seen by the client      ${totalMs.toFixed(0).padStart(6)} ms (polling listRuns every 50 ms)`);
  console.log('per task (agent-side timestamps):');
  const noSpawnPerTask = REUSE;
  if (noSpawnPerTask) {
    console.log(`  queued + dispatch  submit -> startTask ${phase(tasks, 'submitted', 'started')}`);
  } else {
    console.log(`  queued   submit -> spawn               ${phase(tasks, 'submitted', 'spawned')}`);
    console.log(`  start-up spawn -> startTask received   ${phase(tasks, 'spawned', 'started')}`);
  }
  console.log(`  run      startTask -> completeTask     ${phase(tasks, 'started', 'completed')}`);
  console.log(`  exit     completeTask -> exit seen     ${phase(tasks, 'completed', 'exited')}`);
  const slotStart: keyof Timeline = noSpawnPerTask ? 'started' : 'spawned';
  console.log(`  lifetime ${slotStart === 'started' ? 'startTask -> done seen ' : 'spawn -> exit seen     '}       ${phase(tasks, slotStart, 'exited')}`);
  if (!noSpawnPerTask) {
    console.log(`  spawn() itself blocks the agent: median ${median(spawnBlockedMs).toFixed(1)} ms, p95 ${quantile(spawnBlockedMs, 0.95).toFixed(1)} ms per executor (agent RSS now ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB)`);
  }
  const lifetimeMs = mean(tasks.filter((x) => x[slotStart] && x.exited).map((x) => x.exited! - x[slotStart]!));
  const avgRunning = runningSum / runningSamples;
  console.log(`executor slots: max ${maxRunning} at once, mean ${avgRunning.toFixed(2)}; bound = slots / mean lifetime = ${maxRunning} / ${(lifetimeMs / 1000).toFixed(3)} s = ${((maxRunning / lifetimeMs) * 1000).toFixed(1)} tasks/s`);
  const selfCpu = cpu1.self - cpu0.self;
  const childCpu = cpu1.children - cpu0.children + (worker1 - worker0);
  const wallS = totalMs / 1000;
  console.log(`CPU over the run (${wallS.toFixed(2)} s wall, ${os.availableParallelism()} cores = ${(wallS * os.availableParallelism()).toFixed(1)} core-s available):`);
  console.log(`  agent (this process, incl. client polling) ${selfCpu.toFixed(2)} s = ${((selfCpu / NODES) * 1000).toFixed(1)} ms per task, ${((selfCpu / wallS) * 100).toFixed(0)}% of one core`);
  console.log(`  executors (reaped and live children)        ${childCpu.toFixed(2)} s = ${((childCpu / NODES) * 1000).toFixed(1)} ms per task`);
  const machineBusy = (machine1.busy - machine0.busy) / (machine1.total - machine0.total);
  console.log(`  agent + executors ${(selfCpu + childCpu).toFixed(2)} s = ${(((selfCpu + childCpu) / NODES) * 1000).toFixed(1)} ms per task: CPU-bound ceiling at this cost ${((os.availableParallelism() / ((selfCpu + childCpu) / NODES))).toFixed(1)} tasks/s`);
  const machineBusyS = machine1.busy - machine0.busy;
  const otherS = Math.max(0, machineBusyS - selfCpu - childCpu);
  console.log(`  whole machine (/proc/stat): ${(machineBusy * 100).toFixed(0)}% busy over the run; other processes (not this benchmark) used about ${otherS.toFixed(1)} core-s`);
  if (otherS > 0.1 * wallS * os.availableParallelism()) {
    console.log(`WARNING: other work took ${((otherS / (wallS * os.availableParallelism())) * 100).toFixed(0)}% of the machine during the run: the throughput above is pessimistic; run again on a quiet machine`);
  }
  console.log('storage calls during the run (time until each promise settled):');
  const storageRows = [...storageTimes].sort((a, b) => b[1].ms - a[1].ms);
  const storageTotal = storageRows.reduce((s, [, v]) => s + v.ms, 0);
  for (const [name, v] of storageRows) {
    console.log(`  ${name.padEnd(16)} ${String(v.calls).padStart(6)} calls  ${v.ms.toFixed(0).padStart(6)} ms  ${((v.ms / v.calls) * 1000).toFixed(0).padStart(6)} µs/call`);
  }
  console.log(`  total ${storageTotal.toFixed(0)} ms = ${(storageTotal / NODES).toFixed(2)} ms per task`);
  console.log(`getRun of the finished ${NODES}-node run through Thrift: median ${median(getRunMs).toFixed(1)} ms (20 calls; what a client polling a large run costs)`);
  if (profileLines.length) {
    console.log('agent CPU profile over the run (inspector, 0.5 ms sampling):');
    for (const line of profileLines) console.log(line);
  }
  if (executorProfDir) {
    const files = fs.readdirSync(executorProfDir).filter((f) => f.endsWith('.cpuprofile'));
    const profiles = files.map((f) => JSON.parse(fs.readFileSync(path.join(executorProfDir, f), 'utf8')) as CpuProfile);
    console.log(`executor CPU profiles (node --cpu-prof, 0.25 ms sampling), mean per executor over ${profiles.length}:`);
    console.log(categorise(profiles, profiles.length));
    for (const line of summariseProfiles(profiles, 25, profiles.length)) console.log(line);
  }
}

runBench('e2e-throughput', DEADLINE_MS, main);
