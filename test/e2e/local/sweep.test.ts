import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Run } from '../../../src/core/run';
import { REPO_ROOT, startTestAgent, TestAgent, waitForRun } from '../../support/local-agent';
import { noOpWorkflow } from './fixtures';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'geo-i');

async function pushText(t: TestAgent, text: string) {
  const parsed = await t.client.parseWorkflow(text);
  assert.deepEqual(parsed.errors, []);
  return (await t.client.pushWorkflow(parsed.spec!)).workflow;
}

async function submit(t: TestAgent, text: string, overrides: Record<string, string> = {}) {
  const parsed = await t.client.parseRun(text, overrides);
  assert.deepEqual(parsed.errors, []);
  return (await t.client.createRun({ spec: parsed.spec!, user: 'e2e' })).ids;
}

async function children(t: TestAgent, parent: string): Promise<Run[]> {
  const page = await t.client.listRuns({ parent, limit: 1000 });
  return Promise.all(page.results.map((r) => t.client.getRun(r.id)));
}

function executorLogCount(t: TestAgent): number {
  const dir = path.join(t.dataDir, 'executors', 'logs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
}

describe('e2e (local): sweeps and the cache', function () {
  this.timeout(180_000);
  let t: TestAgent;
  beforeEach(async () => {
    t = await startTestAgent();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('runs the geo-i example sweep to SUCCESS with reproducible seeds, then completes a resubmission from the cache without any executor', async () => {
    await pushText(t, fs.readFileSync(path.join(EXAMPLE, 'workflow.yaml'), 'utf8'));
    const sweep = `workflow: geo-i\nseed: 7\nrepeat: 2\nparams:\n  epsilon: {values: [0.005, 0.05]}\n  users: 3\n  days: 1\n`;
    const ids = await submit(t, sweep);
    assert.equal(ids.length, 5, 'a parent and 2 x 2 children');
    const parent = await waitForRun(t.client, ids[0], 150_000);
    assert.equal(parent.state.status, 'SUCCESS');
    const kids = await children(t, ids[0]);
    assert.equal(kids.length, 4);
    for (const kid of kids) {
      assert.equal(kid.state.status, 'SUCCESS', `${kid.name}: ${JSON.stringify(kid.state.nodes.map((n) => [n.name, n.status, n.error]))}`);
      const retrieval = kid.state.nodes.find((n) => n.name === 'Retrieval')!;
      const recall = retrieval.result!.outputs.recall as number;
      assert.ok(recall >= 0 && recall <= 1);
      const distortion = kid.state.nodes.find((n) => n.name === 'Distortion')!.result!.outputs.mean as number;
      assert.ok(distortion > 0, 'noise moved the points');
    }
    assert.equal(new Set(kids.map((k) => k.seed)).size, 4, 'every child has its own seed');
    const executorsAfterFirst = executorLogCount(t);
    assert.ok(executorsAfterFirst >= 4 * 7 - 7, 'executors ran for the first submission');

    const again = await submit(t, sweep);
    const parent2 = await waitForRun(t.client, again[0]);
    assert.equal(parent2.state.status, 'SUCCESS');
    const kids2 = await children(t, again[0]);
    assert.deepEqual(kids2.map((k) => k.seed).sort(), kids.map((k) => k.seed).sort(), 'same definition and seed, same child seeds');
    for (const kid of kids2) {
      for (const node of kid.state.nodes) assert.ok(node.cacheHit, `${kid.name} ${node.name} is a cache hit`);
    }
    assert.equal(executorLogCount(t), executorsAfterFirst, 'no executor started for the resubmission');
  });

  it('computes only the new combinations of an overlapping sweep', async () => {
    await pushText(t, noOpWorkflow('overlap'));
    const first = await submit(t, 'workflow: overlap\nseed: 1\nparams:\n  value: {values: [1, 2, 3]}\n');
    await waitForRun(t.client, first[0]);
    const second = await submit(t, 'workflow: overlap\nseed: 1\nparams:\n  value: {values: [2, 3, 4, 5]}\n');
    const parent = await waitForRun(t.client, second[0]);
    assert.equal(parent.state.status, 'SUCCESS');
    const kids = await children(t, second[0]);
    const computed = kids.filter((k) => !k.state.nodes[0].cacheHit).map((k) => k.params.value).sort();
    assert.deepEqual(computed, [4, 5]);
    for (const kid of kids) assert.equal(kid.state.nodes[0].result!.outputs.value, kid.params.value);
  });

  it('runs two identical keys in flight once: the second waits and completes from the cache', async () => {
    await pushText(t, noOpWorkflow('twins'));
    const ids = await submit(t, 'workflow: twins\nrepeat: 4\nparams:\n  value: 42\n');
    const parent = await waitForRun(t.client, ids[0]);
    assert.equal(parent.state.status, 'SUCCESS');
    const kids = await children(t, ids[0]);
    assert.equal(kids.filter((k) => !k.state.nodes[0].cacheHit).length, 1, 'one child computed, three reused');
  });
});
