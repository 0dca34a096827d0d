/**
 * A real crash: `accio agent` as its own process, killed with SIGKILL in the middle of a run. The
 * executor it started (a detached child, in its own process group) survives as an orphan and
 * keeps retrying its calls with backoff; a new agent on the same port and data directory picks
 * the run up from storage, and the orphan reconnects and reports its result.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InspectResult } from '../../../src/cli/commands/inspect';
import type { LogsResult } from '../../../src/cli/commands/logs';
import type { SubmitResult } from '../../../src/cli/commands/submit';
import { isTerminalRun, NodeState, Run } from '../../../src/core/run';
import {
  CliProcess, describeResult, freePort, jsonResult, runAccio, startAgentProcess, stopAccio, stopAccioProcesses,
} from '../../support/accio-cli';
import { waitFor } from '../../support/wait-for';
import { sleepWorkflow } from '../local/fixtures';

/** Pids of the executor processes that call the agent at `addr` (their command line names it). */
function executorPids(addr: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', '--', `--addr ${addr} --task-id`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Whether a process runs; an orphan that exited may stay a zombie when nothing reaps it (PID 1 of a container). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state follows the parenthesised command name: `pid (comm) S ...`.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust the signal
  }
}

/** SIGKILLs an executor and whatever it started (it leads its own process group). */
function killExecutor(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

describe('e2e (cli): an agent process killed with SIGKILL mid-run', function () {
  this.timeout(180_000);
  let dir: string;
  let addr: string;
  const agents: CliProcess[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accio-cli-crash-'));
    addr = `127.0.0.1:${await freePort()}`;
  });

  afterEach(async () => {
    // Agents first (a stopping agent kills its own executors), then the orphans no agent owns.
    for (const a of agents.splice(0)) await stopAccio(a);
    await stopAccioProcesses();
    for (const pid of executorPids(addr)) killExecutor(pid);
    await waitFor(`the executors of ${addr} to be gone`, () => (executorPids(addr).length === 0 ? true : undefined), 10_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the run after a new agent starts on the same port and data directory, the orphaned executor reporting its node', async () => {
    const port = Number(addr.split(':')[1]);
    const dataDir = path.join(dir, 'data');
    const accio = (args: string[]) => runAccio(args, { addr, cwd: dir });
    const inspect = async (id: string): Promise<Run> => jsonResult<InspectResult>(await accio(['inspect', id, '--json'])).run;
    const node = (run: Run, name: string): NodeState => run.state.nodes.find((n) => n.name === name)!;

    agents.push(await startAgentProcess(port, dataDir));
    const wf = path.join(dir, 'chain.yaml');
    fs.writeFileSync(wf, sleepWorkflow('chain', '6s').replace('duration: 100ms', 'duration: 2s'));
    jsonResult(await accio(['push', wf, '--json']));
    const id = jsonResult<SubmitResult>(await accio(['submit', 'chain', '--json'])).ids[0];

    // Given First is running in an executor of the first agent,
    const first = await waitFor('First to be RUNNING', async () => {
      const n = node(await inspect(id), 'First');
      return n.status === 'RUNNING' ? n : undefined;
    }, 60_000, 100);
    const taskId = first.taskId!;
    const [executor, ...others] = executorPids(addr);
    assert.ok(executor !== undefined && others.length === 0, `one executor runs: ${executorPids(addr).join(', ')}`);
    assert.ok(execFileSync('ps', ['-o', 'args=', '-p', String(executor)], { encoding: 'utf8' }).includes(`--task-id ${taskId}`));

    // when the agent dies without any chance to clean up,
    const crashed = agents.shift()!;
    crashed.child.kill('SIGKILL');
    const end = await crashed.exited;
    assert.equal(end.signal, 'SIGKILL');
    // An executor exits only once it reported its outcome, so a live one means First is unreported.
    assert.ok(isAlive(executor), 'the executor outlives its agent');
    const down = await accio(['ps']);
    assert.equal(down.code, 4, `no agent answers meanwhile\n${describeResult(down)}`);

    // and a new agent starts on the same port and data directory,
    agents.push(await startAgentProcess(port, dataDir));

    // then the run completes, First having run once: its executor reconnected and reported.
    const run = await waitFor(`run ${id} to finish`, async () => {
      const r = await inspect(id);
      return isTerminalRun(r.state.status) ? r : undefined;
    }, 120_000, 250);
    assert.equal(run.state.status, 'SUCCESS', JSON.stringify(run.state.nodes));
    assert.deepEqual(run.state.nodes.map((n) => [n.name, n.status, n.cacheHit]), [['First', 'SUCCESS', false], ['Second', 'SUCCESS', false]]);
    assert.equal(node(run, 'First').attempts, 1, 'First was not retried: the orphaned executor reported it');
    await waitFor('the orphaned executor to exit once it reported', () => (isAlive(executor) ? undefined : true), 20_000);

    const logs = jsonResult<LogsResult>(await accio(['logs', id, 'First', '--stream', 'stdout', '--json']));
    assert.deepEqual(logs.lines.map((l) => l.message), [1, 2, 3, 4, 5, 6].map((n) => `slept ${n}s of 6s`), 'no line the operator logged was lost in the crash');
  });
});
