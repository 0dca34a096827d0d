import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AgentApi } from '../../src/api/service';
import { AgentServer, serveAgentApi } from '../../src/api/thrift-server';
import { DatasetRef } from '../../src/core/values';
import { parseExecutorArgs, parseExecutorEnv } from '../../src/executor/main';
import { readTraces } from '../../src/operators/geo/traces';
import { SMALL_RESOURCES } from '../../src/operators/ports';
import { FakeExecutorApi } from './fake-executor-api';

const MAIN = resolve(__dirname, '../../src/executor/main.ts');
// By path: the executor runs in a temporary directory, from which the bare name would not resolve.
const TSX = pathToFileURL(require.resolve('tsx')).href;

describe('executor main: command line and environment', () => {
  it('reads --addr and --task-id, in both flag forms', () => {
    assert.deepEqual(parseExecutorArgs(['--addr', '127.0.0.1:9090', '--task-id=t1']), { addr: '127.0.0.1:9090', taskId: 't1' });
    assert.throws(() => parseExecutorArgs(['--addr', 'h:1']), /--addr and --task-id are required/);
    assert.throws(() => parseExecutorArgs(['--addr']), /--addr needs a value/);
    assert.throws(() => parseExecutorArgs(['t1']), /unexpected argument "t1"/);
  });

  it('reads the token, the uploader configuration and the sandbox base from the environment', () => {
    const env = { ACCIO_TASK_TOKEN: 'tok', ACCIO_UPLOADER: '{"type":"local","path":"/tmp/a"}', ACCIO_WORK_DIR: 'work' };
    assert.deepEqual(parseExecutorEnv(env, '/home/u'), { token: 'tok', uploader: { type: 'local', path: '/tmp/a' }, workBase: '/home/u/work', keepSandbox: false });
    assert.equal(parseExecutorEnv({ ...env, ACCIO_WORK_DIR: undefined }, '/home/u').workBase, '/home/u');
    assert.throws(() => parseExecutorEnv({ ...env, ACCIO_TASK_TOKEN: '' }, '/'), /ACCIO_TASK_TOKEN is not set/);
    assert.throws(() => parseExecutorEnv({ ...env, ACCIO_UPLOADER: 'local' }, '/'), /ACCIO_UPLOADER must hold the uploader configuration as JSON/);
  });
});

describe('executor main: process against a Thrift agent', function () {
  // Each test starts a Node process under tsx.
  this.timeout(30_000);
  let root: string;
  let server: AgentServer | undefined;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'accio-executor-main-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(root, { recursive: true, force: true });
  });

  async function serve(fake: FakeExecutorApi): Promise<number> {
    const impl = {
      startTask: fake.startTask.bind(fake),
      heartbeat: fake.heartbeat.bind(fake),
      streamLogs: fake.streamLogs.bind(fake),
      completeTask: fake.completeTask.bind(fake),
    } as unknown as AgentApi;
    server = await serveAgentApi(impl, { port: 0, logger: () => undefined });
    return server.port;
  }

  function startExecutor(port: number, taskId: string, token: string) {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, '--addr', `127.0.0.1:${port}`, '--task-id', taskId], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ACCIO_TASK_TOKEN: token, ACCIO_UPLOADER: JSON.stringify({ type: 'local', path: join(root, 'store') }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<{ code: number | null; stderr: string }>((done) => child.on('close', (code) => done({ code, stderr })));
    return { child, exited };
  }

  it('runs a task end to end: outputs uploaded, success reported, exit 0, sandbox removed', async () => {
    const payload = { op: 'GenerateTraces', opVersion: '1', seed: 3, inputs: { users: 2, days: 1, sampling: 600_000 }, cacheKey: 'a'.repeat(64), resources: SMALL_RESOURCES };
    const fake = new FakeExecutorApi(payload, 1000);
    const { exited } = startExecutor(await serve(fake), fake.taskId, fake.token);
    const { code, stderr } = await exited;
    assert.equal(code, 0, stderr);
    assert.equal(fake.outcomes.length, 1);
    const outcome = fake.outcomes[0];
    assert.equal(outcome.kind, 'success', JSON.stringify(outcome));
    if (outcome.kind !== 'success') return;
    const data = outcome.result.outputs.data as DatasetRef;
    assert.equal(fileURLToPath(data.uri), join(root, 'store', 'a'.repeat(64), 'data'));
    assert.equal((await readTraces(fileURLToPath(data.uri))).size, 2);
    assert.deepEqual(fake.lines.map((l) => l.message), ['generated 288 events for 2 users']);
    assert.deepEqual((await readdir(root)).sort(), ['store']);
  });

  it('stops the operator on SIGTERM and exits 0 without reporting', async () => {
    const payload = { op: 'Sleep', opVersion: '1', seed: 0, inputs: { duration: 60_000, value: 0 }, cacheKey: 'b'.repeat(64), resources: SMALL_RESOURCES };
    const fake = new FakeExecutorApi(payload, 100);
    const { child, exited } = startExecutor(await serve(fake), fake.taskId, fake.token);
    while (fake.count('heartbeat') === 0) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    child.kill('SIGTERM');
    const { code, stderr } = await exited;
    assert.equal(code, 0, stderr);
    assert.ok(Date.now() - t0 < 3000);
    assert.equal(fake.count('completeTask'), 0);
  });

  it('keeps retrying an agent it cannot reach, and still ends promptly on SIGTERM', async () => {
    const fake = new FakeExecutorApi({ op: 'NoOp', opVersion: '1', seed: 0, inputs: {}, cacheKey: 'c'.repeat(64), resources: SMALL_RESOURCES });
    const port = await serve(fake);
    await server!.close();
    server = undefined;
    const { child, exited } = startExecutor(port, fake.taskId, fake.token);
    // The default retry deadline is minutes; a SIGTERM during the retries still ends the process.
    setTimeout(() => child.kill('SIGTERM'), 1500);
    const t0 = Date.now();
    const { code, stderr } = await exited;
    assert.ok(Date.now() - t0 >= 1000, 'the executor gave up before the retry deadline');
    assert.equal(code, 0, stderr);
    assert.equal(fake.count('startTask'), 0);
    assert.deepEqual(await readdir(root), [], 'the sandbox was not removed');
  });
});
