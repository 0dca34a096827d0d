/**
 * The engine over real local plugins (memory storage, local state manager) and a recording
 * scheduler that starts nothing: each test plays the executor's part through the engine's API.
 */
import { strict as assert } from 'node:assert';
import { InvalidDefinitionError, InvalidTaskError } from '../../../src/core/errors';
import { Task } from '../../../src/core/run';
import { AgentHandler, Engine } from '../../../src/engine';
import { builtinRegistry } from '../../../src/operators';
import { ExecutorExit, ExecutorJob, Scheduler } from '../../../src/plugins/scheduler/scheduler';
import { LocalStateManager } from '../../../src/plugins/statemgr/local';
import { MemoryStorage } from '../../../src/plugins/storage/memory';
import { waitFor } from '../../support/wait-for';

class RecordingScheduler implements Scheduler {
  readonly submitted: ExecutorJob[] = [];
  readonly killed: string[] = [];
  private listeners: ((e: ExecutorExit) => void)[] = [];
  async submit(job: ExecutorJob) {
    this.submitted.push(job);
  }
  async kill(taskId: string) {
    this.killed.push(taskId);
  }
  onExit(l: (e: ExecutorExit) => void) {
    this.listeners.push(l);
  }
  exit(e: ExecutorExit) {
    this.listeners.forEach((l) => l(e));
  }
  stats() {
    return { queued: 0, running: this.submitted.length };
  }
  async close() {}
}

const WORKFLOW = `
id: chain
params:
  - {name: v, type: integer}
graph:
  - op: NoOp
    name: A
    inputs: {value: {param: v}}
  - op: Sleep
    name: B
    inputs: {duration: 1ms, value: {reference: A/value}}
`;

describe('engine', () => {
  let storage: MemoryStorage;
  let scheduler: RecordingScheduler;
  let engine: Engine;
  let api: AgentHandler;
  let nowMs: number;

  beforeEach(async () => {
    storage = new MemoryStorage();
    scheduler = new RecordingScheduler();
    nowMs = 1_000_000;
    engine = new Engine(
      { storage, stateManager: new LocalStateManager(), scheduler, operators: builtinRegistry() },
      { agentAddr: '127.0.0.1:1', now: () => nowMs, heartbeatTimeoutMs: 10_000, retry: { backoffMs: 0 }, maxChildren: 10, log: () => undefined },
    );
    api = new AgentHandler(engine, { version: 'test', plugins: {} });
    await engine.start();
    const parsed = await api.parseWorkflow(WORKFLOW);
    await api.pushWorkflow(parsed.spec!);
  });
  afterEach(() => engine.stop());

  const submit = async (text: string) => (await api.createRun({ spec: (await api.parseRun(text, {})).spec! })).ids;
  const taskFor = async (node: string): Promise<Task> =>
    waitFor(`a task for ${node}`, async () => (await storage.listTasks()).find((t) => t.node === node));

  it('rejects an invalid workflow with every error and stores nothing', async () => {
    const spec = (await api.parseWorkflow(WORKFLOW)).spec!;
    const bad = { ...spec, id: 'broken', graph: [{ ...spec.graph[0], op: 'Nope' }, { ...spec.graph[1], inputs: { ...spec.graph[1].inputs, value: { kind: 'reference' as const, node: 'Z', port: 'x' } } }] };
    await assert.rejects(api.pushWorkflow(bad), (err: InvalidDefinitionError) => {
      assert.deepEqual(err.errors.map((e) => e.path.join('.')).sort(), ['graph.A.op', 'graph.B.inputs.value']);
      return true;
    });
    assert.equal(await storage.getWorkflow('broken'), undefined);
  });

  it('rejects a run of the wrong type, or a sweep over the limit, before storing anything', async () => {
    const spec = (await api.parseRun('workflow: chain\nparams:\n  v: 1\n', {})).spec!;
    await assert.rejects(api.createRun({ spec: { ...spec, params: { v: { kind: 'single', value: 'one' } } } }), InvalidDefinitionError);
    await assert.rejects(api.createRun({ spec: { ...spec, params: { v: { kind: 'range', from: 1, to: 11, step: 1 } } } }), /limit|larger|too/i);
    assert.equal((await storage.listRuns({})).total, 0);
  });

  it('runs a chain through start, heartbeat and completion, and refuses a wrong token without changing anything', async () => {
    const [id] = await submit('workflow: chain\nparams:\n  v: 5\n');
    const a = await taskFor('A');
    await assert.rejects(api.startTask(a.id, 'wrong'), InvalidTaskError);
    assert.equal((await storage.getRun(id))!.state.nodes[0].status, 'SCHEDULED');
    const started = await api.startTask(a.id, a.token);
    assert.deepEqual(started.payload.inputs, { value: 5 });
    await api.heartbeat(a.id, a.token);
    await api.completeTask(a.id, a.token, { kind: 'success', result: { outputs: { value: 5 }, metrics: {} } });
    const b = await taskFor('B');
    assert.deepEqual(b.payload.inputs, { duration: 1, value: 5 }, 'B gets A\'s output');
    await api.startTask(b.id, b.token);
    await api.completeTask(b.id, b.token, { kind: 'success', result: { outputs: { value: 5 }, metrics: {} } });
    assert.equal((await api.getRun(id)).state.status, 'SUCCESS');
    await assert.rejects(api.completeTask(b.id, b.token, { kind: 'success', result: { outputs: { value: 5 }, metrics: {} } }), InvalidTaskError, 'a duplicate completion is refused');
  });

  it('declares a RUNNING task silent past the heartbeat timeout lost, and retries its node with a new task', async () => {
    const [id] = await submit('workflow: chain\nparams:\n  v: 7\n');
    const a = await taskFor('A');
    await api.startTask(a.id, a.token);
    nowMs += 10_001;
    assert.equal(await engine.coordinator.detectLostTasks(), 1);
    assert.ok(scheduler.killed.includes(a.id), 'the silent executor is stopped');
    const retry = await waitFor('a second task for A', async () => (await storage.listTasks()).find((t) => t.node === 'A' && t.id !== a.id));
    assert.equal(retry.attempt, 2);
    await assert.rejects(api.heartbeat(a.id, a.token), InvalidTaskError, 'the lost task is gone');
    const node = (await storage.getRun(id))!.state.nodes[0];
    assert.equal(node.status, 'SCHEDULED');
    assert.equal(node.error?.classifier, 'lost');
  });

  it('treats an executor that exited without completing as lost', async () => {
    await submit('workflow: chain\nparams:\n  v: 8\n');
    const a = await taskFor('A');
    scheduler.exit({ taskId: a.id, exitCode: 1, killed: false });
    await waitFor('a retry', async () => (await storage.listTasks()).find((t) => t.node === 'A' && t.attempt === 2));
  });

  it('resubmits, after a restart, the tasks that had not started (the local queue was lost)', async () => {
    await submit('workflow: chain\nparams:\n  v: 9\n');
    const a = await taskFor('A');
    await engine.stop();
    const fresh = new RecordingScheduler();
    engine = new Engine({ storage, stateManager: new LocalStateManager(), scheduler: fresh, operators: builtinRegistry() }, { agentAddr: '127.0.0.1:1', log: () => undefined });
    await engine.start();
    assert.deepEqual(fresh.submitted.map((j) => j.taskId), [a.id]);
  });

  it('kills a sweep: every child KILLED or CANCELLED, its tasks stopped, the parent KILLED', async () => {
    const ids = await submit('workflow: chain\nparams:\n  v: {values: [1, 2, 3]}\n');
    await waitFor('three tasks', async () => ((await storage.listTasks()).length === 3 ? true : undefined));
    const parent = await api.killRun(ids[0]);
    assert.equal(parent.state.status, 'KILLED');
    for (const child of await storage.getRuns(ids.slice(1))) assert.equal(child.state.status, 'KILLED');
    assert.equal((await storage.listTasks()).length, 0);
    assert.equal(scheduler.killed.length, 3);
  });
});
