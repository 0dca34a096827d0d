/**
 * The agent's resident memory with 10,000 finished runs stored, against an empty store. The
 * database is filled directly (SqliteStorage.saveRuns with test/support/builders.ts's aRun, 90% in
 * sweeps of 1 + 99; every run SUCCESS, FAILED or KILLED, so the agent resumes nothing), then each
 * store is served by two kinds of agent process, one after the other:
 * - `node bin/run.js agent --data-dir <dir> --port 0`, as users start it (oclif and all): RSS
 *   from /proc once it is idle (no GC can be forced from outside);
 * - the same agent (dist's startAgent) in `node --expose-gc`, which reports process.memoryUsage()
 *   after two forced GCs: RSS, V8 heap used, and memory outside the heap.
 * Each is measured after start-up (idle, then a 2 s settle) and again after a burst of client
 * calls (`ps --all` pages, a free-text search that scans every run, getRun of 100 runs), which
 * fill SQLite's page cache (64 MiB at most per connection by default).
 *
 *   npm run build && npx tsx bench/agent-memory.ts [runs=10000]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connectAgent } from '../src/api/thrift-client';
import { psRequest } from '../src/cli/commands/ps';
import {
  machine, mib, onExit, processMemory, REPO_ROOT, requireBuild, runBench, sleep, spawnAgentProcess, tempDir, waitForQuietMachine, waitProcessIdle,
} from './support/bench-kit';
import { fillRuns, FINISHED_MIX } from './support/fill';

const [total = 10_000] = process.argv.slice(2).map(Number);
const SETTLE_MS = 2000;
const DEADLINE_MS = 10 * 60_000;

interface Sample {
  rss: number;
  heapUsed?: number;
  outsideHeap?: number;
}

interface GcAgent {
  addr: string;
  pid: number;
  measure(): Promise<Sample>;
  stop(): Promise<void>;
}

/** The agent of dist in `node --expose-gc`, answering "measure" over IPC after forced GCs. */
async function startGcAgent(dataDir: string): Promise<GcAgent> {
  const script = `
    const { startAgent } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'src', 'agent', 'index.js'))});
    startAgent({ dataDir: process.argv[1], port: 0, host: '127.0.0.1', env: {}, log: () => undefined }).then((agent) => {
      process.on('message', (m) => {
        if (m === 'stop') return void agent.stop().then(() => process.exit(0));
        global.gc(); global.gc();
        const u = process.memoryUsage();
        process.send({ rss: u.rss, heapUsed: u.heapUsed, outsideHeap: u.external + u.arrayBuffers });
      });
      process.send({ addr: agent.addr });
    });`;
  const child = spawn(process.execPath, ['--expose-gc', '-e', script, dataDir], {
    cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: dataDir }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send('stop');
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  onExit(stop);
  const addr = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { addr: string }) => resolve(m.addr));
    void exited.then(() => reject(new Error('the --expose-gc agent exited at start')));
  });
  return {
    addr,
    pid: child.pid!,
    stop,
    measure: () => new Promise<Sample>((resolve) => {
      child.once('message', (m: Sample) => resolve(m));
      child.send('measure');
    }),
  };
}

/** What a user does for a while: pages of `ps --all`, a search over every run, a few runs inspected. */
async function clientBurst(addr: string): Promise<void> {
  const client = connectAgent(addr, { timeoutMs: 120_000 });
  try {
    const ids: string[] = [];
    for (let page = 0; page < 20; page++) {
      const p = await client.listRuns({ ...psRequest({ all: true }), offset: page * 25 });
      ids.push(...p.results.map((r) => r.id));
    }
    for (let i = 0; i < 5; i++) await client.listRuns({ q: 'no-such-text', limit: 25 });
    for (const id of ids.slice(0, 100)) await client.getRun(id);
  } finally {
    client.close();
  }
}

const cell = (s: Sample | undefined, key: keyof Sample) => (s?.[key] === undefined ? 'n/a' : mib(s[key]!)).padStart(10);

async function measureStore(label: string, dataDir: string): Promise<string[]> {
  const rows: string[] = [];
  const cli = await spawnAgentProcess(dataDir);
  await waitProcessIdle(cli.pid);
  await sleep(SETTLE_MS);
  const cliStart = processMemory(cli.pid);
  await clientBurst(cli.addr);
  await sleep(SETTLE_MS);
  const cliAfter = processMemory(cli.pid);
  await cli.stop();
  rows.push(`  ${label.padEnd(22)} bin/run.js agent        ${cell(cliStart, 'rss')} ${cell(cliAfter, 'rss')}   ${'n/a'.padStart(10)} ${'n/a'.padStart(10)}   (peak ${mib(cliAfter.hwm)})`);

  const gcAgent = await startGcAgent(dataDir);
  await waitProcessIdle(gcAgent.pid);
  await sleep(SETTLE_MS);
  const gcStart = await gcAgent.measure();
  await clientBurst(gcAgent.addr);
  await sleep(SETTLE_MS);
  const gcAfter = await gcAgent.measure();
  const hwm = processMemory(gcAgent.pid).hwm;
  await gcAgent.stop();
  rows.push(
    `  ${label.padEnd(22)} startAgent, after GC    ${cell(gcStart, 'rss')} ${cell(gcAfter, 'rss')}   ${cell(gcAfter, 'heapUsed')} ${cell(gcAfter, 'outsideHeap')}   (peak ${mib(hwm)})`,
  );
  return rows;
}

async function main(): Promise<void> {
  requireBuild();
  console.log(`agent memory: ${total.toLocaleString('en')} finished runs in SQLite against an empty store`);
  console.log(`machine: ${machine()}`);
  console.log(`date: ${new Date().toISOString()}`);
  const empty = tempDir('accio-bench-mem-empty-');
  const full = tempDir('accio-bench-mem-full-');
  const dbPath = path.join(full, 'accio.db');
  const fill = await fillRuns(dbPath, { total, statuses: FINISHED_MIX });
  const dbBytes = fs.statSync(dbPath).size + (fs.existsSync(`${dbPath}-wal`) ? fs.statSync(`${dbPath}-wal`).size : 0);
  console.log(`filled in ${fill.seconds.toFixed(1)} s: ${fill.sweeps} sweeps of 1 + 99, ${fill.singles} single runs; database ${mib(dbBytes)}`);
  console.log(await waitForQuietMachine());
  console.log(`  ${'store'.padEnd(22)} ${'process'.padEnd(23)} ${'RSS start'.padStart(10)} ${'RSS after'.padStart(10)}   ${'heap used'.padStart(10)} ${'off-heap'.padStart(10)}`);
  console.log('  (start: idle after start-up + 2 s; after: a burst of ps --all pages, a full-text search over every run and 100 getRun, + 2 s; heap figures after the burst)');
  for (const line of await measureStore('empty', empty)) console.log(line);
  for (const line of await measureStore(`${total.toLocaleString('en')} finished runs`, full)) console.log(line);
}

runBench('agent-memory', DEADLINE_MS, main);
