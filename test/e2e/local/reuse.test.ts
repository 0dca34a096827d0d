import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestAgent, TestAgent, waitForRun } from '../../support/local-agent';
import { waitFor } from '../../support/wait-for';
import { noOpWorkflow, sleepWorkflow } from './fixtures';

const REUSE = 'scheduler:\n  type: local\n  reuseExecutors: true\n';

async function pushAndSubmit(t: TestAgent, workflow: string, run: string) {
  await t.client.pushWorkflow((await t.client.parseWorkflow(workflow)).spec!);
  return (await t.client.createRun({ spec: (await t.client.parseRun(run, {})).spec! })).ids;
}

/** Pids of the reusable executors started under this agent's data directory. */
function workerPids(t: TestAgent): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', 'executor/worker'], { encoding: 'utf8' });
    return out.trim().split('\n').filter(Boolean).map(Number)
      .filter((pid) => fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(t.dataDir));
  } catch {
    return [];
  }
}

describe('e2e (local): reusable executors (scheduler.reuseExecutors)', function () {
  this.timeout(120_000);
  let t: TestAgent;
  afterEach(async () => {
    await t?.cleanup();
  });

  it('runs a sweep on fewer processes than tasks, with the same results', async () => {
    t = await startTestAgent({ config: REUSE });
    const ids = await pushAndSubmit(t, noOpWorkflow('reuse'), 'workflow: reuse\nparams:\n  value: {values: [1, 2, 3, 4, 5, 6, 7, 8]}\n');
    const parent = await waitForRun(t.client, ids[0]);
    assert.equal(parent.state.status, 'SUCCESS');
    for (const id of ids.slice(1)) {
      const run = await t.client.getRun(id);
      assert.equal(run.state.nodes[0].result!.outputs.value, run.params.value);
    }
    const logs = fs.readdirSync(path.join(t.dataDir, 'executors', 'logs'));
    assert.ok(logs.every((f) => f.startsWith('worker-')), 'no per-task executor was started');
    assert.ok(logs.length < 8, `${logs.length} workers for 8 tasks`);
  });

  it('replaces a worker after its last task without losing the next one', async () => {
    t = await startTestAgent({ config: `${REUSE}  maxTasksPerWorker: 1\n` });
    const ids = await pushAndSubmit(t, noOpWorkflow('retire'), 'workflow: retire\nparams:\n  value: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}\n');
    assert.equal((await waitForRun(t.client, ids[0])).state.status, 'SUCCESS');
    for (const id of ids.slice(1)) assert.equal((await t.client.getRun(id)).state.nodes[0].attempts, 1, 'no task was lost to a retiring worker');
  });

  it('kills a running task by ending its worker', async () => {
    t = await startTestAgent({ config: REUSE });
    const [id] = await pushAndSubmit(t, sleepWorkflow('reusekill', '60s'), 'workflow: reusekill');
    await waitFor('First to run', async () => ((await t.client.getRun(id)).state.nodes[0].status === 'RUNNING' ? true : undefined));
    assert.equal(workerPids(t).length, 1);
    const killed = await t.client.killRun(id);
    assert.deepEqual(killed.state.nodes.map((n) => n.status), ['KILLED', 'CANCELLED']);
    await waitFor('the worker to exit', () => (workerPids(t).length === 0 ? true : undefined));
  });

  it('declares the task of a worker killed with SIGKILL lost, and retries it on a new worker', async () => {
    t = await startTestAgent({ config: `${REUSE}engine:\n  retryBackoffMs: 100\n` });
    const [id] = await pushAndSubmit(t, sleepWorkflow('reuselost', '2s'), 'workflow: reuselost');
    await waitFor('First to run', async () => ((await t.client.getRun(id)).state.nodes[0].status === 'RUNNING' ? true : undefined));
    const [pid] = workerPids(t);
    process.kill(pid, 'SIGKILL');
    const run = await waitForRun(t.client, id);
    assert.equal(run.state.status, 'SUCCESS');
    assert.equal(run.state.nodes[0].attempts, 2);
  });
});
