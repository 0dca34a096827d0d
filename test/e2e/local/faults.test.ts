import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { startTestAgent, TestAgent, waitForRun } from '../../support/local-agent';
import { waitFor } from '../../support/wait-for';
import { failingWorkflow, sleepWorkflow } from './fixtures';

async function pushAndSubmit(t: TestAgent, workflow: string, run: string) {
  const wf = await t.client.parseWorkflow(workflow);
  assert.deepEqual(wf.errors, []);
  await t.client.pushWorkflow(wf.spec!);
  const parsed = await t.client.parseRun(run, {});
  assert.deepEqual(parsed.errors, []);
  return (await t.client.createRun({ spec: parsed.spec! })).ids[0];
}

async function nodeStatus(t: TestAgent, runId: string, node: string) {
  return (await t.client.getRun(runId)).state.nodes.find((n) => n.name === node)!;
}

/** Pids of executor processes started for a task (the task id is on their command line). */
function executorPids(taskId: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', `task-id ${taskId}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe('e2e (local): failures, kills, lost executors, restarts, logs', function () {
  this.timeout(120_000);
  let t: TestAgent;
  afterEach(async () => {
    await t?.cleanup();
  });

  it('cancels every descendant of a failing operator and leaves unrelated nodes alone', async () => {
    t = await startTestAgent();
    const id = await pushAndSubmit(t, failingWorkflow('failing'), 'workflow: failing');
    const run = await waitForRun(t.client, id);
    assert.equal(run.state.status, 'FAILED');
    const status = Object.fromEntries(run.state.nodes.map((n) => [n.name, n.status]));
    assert.deepEqual(status, { Broken: 'FAILED', Child: 'CANCELLED', Grandchild: 'CANCELLED', Unrelated: 'SUCCESS' });
    const broken = run.state.nodes.find((n) => n.name === 'Broken')!;
    assert.match(broken.error!.classifier, /exit 3/);
    assert.equal(broken.attempts, 1, 'operator failures are not retried by default');
  });

  it('kills a running run: its executor stops, the running node is KILLED and the rest CANCELLED', async () => {
    t = await startTestAgent();
    const id = await pushAndSubmit(t, sleepWorkflow('killme', '60s'), 'workflow: killme');
    const first = await waitFor('First to run', async () => {
      const n = await nodeStatus(t, id, 'First');
      return n.status === 'RUNNING' ? n : undefined;
    });
    assert.ok(first.taskId);
    assert.equal(executorPids(first.taskId!).length, 1);
    const killed = await t.client.killRun(id);
    assert.equal(killed.state.status, 'KILLED');
    assert.deepEqual(killed.state.nodes.map((n) => n.status), ['KILLED', 'CANCELLED']);
    await waitFor('the executor to exit', () => (executorPids(first.taskId!).length === 0 ? true : undefined));
    const again = await t.client.killRun(id);
    assert.equal(again.state.status, 'KILLED', 'killing a finished run changes nothing');
  });

  it('detects an executor killed with SIGKILL as lost and retries the node', async () => {
    t = await startTestAgent({ config: 'engine:\n  retryBackoffMs: 200\n' });
    const id = await pushAndSubmit(t, sleepWorkflow('lost', '3s'), 'workflow: lost');
    const first = await waitFor('First to run', async () => {
      const n = await nodeStatus(t, id, 'First');
      return n.status === 'RUNNING' ? n : undefined;
    });
    const pids = executorPids(first.taskId!);
    assert.equal(pids.length, 1);
    process.kill(pids[0], 'SIGKILL');
    const run = await waitForRun(t.client, id);
    assert.equal(run.state.status, 'SUCCESS');
    const node = run.state.nodes.find((n) => n.name === 'First')!;
    assert.equal(node.attempts, 2, 'one lost attempt, one that succeeded');
  });

  it('finishes a run after the agent is restarted mid-run', async () => {
    const config = 'engine:\n  heartbeatIntervalMs: 200\n  heartbeatTimeoutMs: 1500\n  lostCheckIntervalMs: 200\n  retryBackoffMs: 100\n';
    t = await startTestAgent({ config });
    const port = Number(t.agent.addr.split(':')[1]);
    const id = await pushAndSubmit(t, sleepWorkflow('restart', '2s'), 'workflow: restart');
    await waitFor('First to run', async () => ((await nodeStatus(t, id, 'First')).status === 'RUNNING' ? true : undefined));
    await t.stop();
    t = await startTestAgent({ dataDir: t.dataDir, port, config });
    const run = await waitForRun(t.client, id);
    assert.equal(run.state.status, 'SUCCESS');
  });

  it('serves the logs of a running node as they arrive', async () => {
    t = await startTestAgent({ config: 'engine:\n  heartbeatIntervalMs: 200\n' });
    const id = await pushAndSubmit(t, sleepWorkflow('chatty', '4s'), 'workflow: chatty');
    const lines = await waitFor('two log lines while First runs', async () => {
      const got = await t.client.listLogs({ runId: id, node: 'First' });
      return got.length >= 2 ? got : undefined;
    });
    assert.equal((await nodeStatus(t, id, 'First')).status, 'RUNNING', 'the node is still running');
    const since = lines[lines.length - 1].atMs;
    const later = await waitFor('a newer line', async () => {
      const got = await t.client.listLogs({ runId: id, node: 'First', sinceMs: since });
      return got.length > 0 ? got : undefined;
    });
    assert.ok(later.every((l) => l.atMs > since));
    await t.client.killRun(id);
  });
});
