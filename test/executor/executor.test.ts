import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TaskOutcome } from '../../src/api/service';
import { InvalidTaskError, UnavailableError } from '../../src/core/errors';
import { OpPayload } from '../../src/core/run';
import { T } from '../../src/core/types';
import { DatasetRef, Value } from '../../src/core/values';
import { ExecutorOptions, runTask } from '../../src/executor/executor';
import { findBuiltin } from '../../src/operators';
import { BuiltinOperator } from '../../src/operators/operator';
import { port, SMALL_RESOURCES } from '../../src/operators/ports';
import { createDownloader } from '../../src/plugins/downloader';
import { LocalUploader } from '../../src/plugins/uploader/local';
import { FakeExecutorApi } from './fake-executor-api';

const keyOf = (text: string): string => createHash('sha256').update(text).digest('hex');

function aPayload(overrides: Partial<OpPayload> & Pick<OpPayload, 'op'>): OpPayload {
  const op = findBuiltin(overrides.op);
  return {
    opVersion: op?.def.version ?? '1',
    seed: 7,
    inputs: {},
    cacheKey: keyOf(JSON.stringify(overrides)),
    resources: SMALL_RESOURCES,
    ...overrides,
  };
}

/** Copies its `data` input to a `data` output, appending a line; records what it was given. */
function copyOperator(seen: Record<string, Value>[]): BuiltinOperator {
  return {
    def: {
      name: 'Copy',
      version: '1',
      category: 'test',
      help: 'copies',
      inputs: [port('data', T.dataset)],
      outputs: [port('data', T.dataset)],
      resources: SMALL_RESOURCES,
      unstable: false,
    },
    async run(inputs, ctx) {
      seen.push(inputs);
      const text = await readFile(join(fileURLToPath((inputs.data as DatasetRef).uri), 'in.txt'), 'utf8');
      const out = join(ctx.workDir, 'copy');
      await mkdir(out);
      await writeFile(join(out, 'out.txt'), `${text}copied\n`);
      return { outputs: { data: { uri: pathToFileURL(out).href } }, metrics: { lines: 2 } };
    },
  };
}

describe('executor runTask', () => {
  let root: string;
  let store: string;
  let workDir: string;
  let diagnostics: string[];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'accio-executor-'));
    store = join(root, 'store');
    workDir = join(root, 'sandbox');
    await mkdir(workDir);
    diagnostics = [];
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  function options(api: FakeExecutorApi, extra: Partial<ExecutorOptions> = {}): ExecutorOptions {
    return {
      api,
      taskId: api.taskId,
      token: api.token,
      workDir,
      uploader: new LocalUploader({ path: store }),
      downloader: createDownloader(),
      operators: findBuiltin,
      logFlushIntervalMs: 20,
      retry: { initialMs: 20, maxMs: 100, maxElapsedMs: 2000 },
      captureOutput: false,
      onDiagnostic: (line) => diagnostics.push(line),
      ...extra,
    };
  }

  const only = (api: FakeExecutorApi): TaskOutcome => {
    assert.equal(api.outcomes.length, 1);
    return api.outcomes[0];
  };

  it('reports a successful operator with its outputs and the executor\'s metrics', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'NoOp', inputs: { value: 5 } }));
    assert.equal(await runTask(options(api)), 'completed');
    const outcome = only(api);
    assert.equal(outcome.kind, 'success');
    if (outcome.kind !== 'success') return;
    assert.deepEqual(outcome.result.outputs, { value: 5 });
    assert.deepEqual(Object.keys(outcome.result.metrics).sort(), ['cpu_time_ms', 'peak_memory_bytes', 'wall_time_ms']);
    assert.ok(outcome.result.metrics.peak_memory_bytes > 1_000_000);
    assert.ok(outcome.result.metrics.wall_time_ms >= 0 && outcome.result.metrics.cpu_time_ms >= 0);
    assert.deepEqual(api.calls.map((c) => c.method).filter((m) => m !== 'streamLogs'), ['startTask', 'completeTask']);
  });

  it('applies input defaults before running the operator', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'NoOp' }));
    await runTask(options(api));
    const outcome = only(api);
    assert.deepEqual(outcome.kind === 'success' && outcome.result.outputs, { value: 0 });
  });

  it('stages dataset inputs in and dataset outputs out, with content digests', async () => {
    const source = join(root, 'source');
    await mkdir(source);
    await writeFile(join(source, 'in.txt'), 'original\n');
    const upstream = await new LocalUploader({ path: store }).upload(source, 'upstream/data');
    const seen: Record<string, Value>[] = [];
    const payload = aPayload({ op: 'Copy', inputs: { data: { uri: upstream.uri, digest: upstream.digest } } });
    const api = new FakeExecutorApi(payload);
    const copy = copyOperator(seen);
    assert.equal(await runTask(options(api, { operators: (name) => (name === 'Copy' ? copy : undefined) })), 'completed');

    const staged = seen[0].data as DatasetRef;
    assert.equal(fileURLToPath(staged.uri), join(workDir, 'inputs', 'data'));
    assert.equal(staged.digest, upstream.digest);

    const outcome = only(api);
    assert.equal(outcome.kind, 'success');
    if (outcome.kind !== 'success') return;
    const out = outcome.result.outputs.data as DatasetRef;
    assert.equal(fileURLToPath(out.uri), join(store, payload.cacheKey, 'data'));
    assert.match(out.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(out.digest, upstream.digest);
    assert.equal(await readFile(join(fileURLToPath(out.uri), 'out.txt'), 'utf8'), 'original\ncopied\n');
    assert.equal(outcome.result.metrics.lines, 2);
  });

  it('uploads under a task-specific key when the cache key already holds other content', async () => {
    const payload = aPayload({ op: 'GenerateTraces', inputs: { users: 1, days: 1, sampling: 3_600_000 } });
    const other = join(root, 'other');
    await mkdir(other);
    await writeFile(join(other, 'x.csv'), 'something else\n');
    await new LocalUploader({ path: store }).upload(other, `${payload.cacheKey}/data`);
    const api = new FakeExecutorApi(payload);
    await runTask(options(api));
    const outcome = only(api);
    assert.equal(outcome.kind, 'success');
    const out = outcome.kind === 'success' ? (outcome.result.outputs.data as DatasetRef) : undefined;
    assert.equal(fileURLToPath(out!.uri), join(store, payload.cacheKey, api.taskId, 'data'));
  });

  it('reports an operator that throws as a failure with its classifier and message', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'Fail', inputs: { message: 'the model diverged' } }));
    assert.equal(await runTask(options(api)), 'completed');
    const outcome = only(api);
    assert.equal(outcome.kind, 'failure');
    if (outcome.kind !== 'failure') return;
    assert.equal(outcome.error.classifier, 'fail');
    assert.equal(outcome.error.message, 'the model diverged');
    assert.match(outcome.error.stack ?? '', /fail\.ts/);
    assert.ok('wall_time_ms' in outcome.metrics);
  });

  it('reports a failing command with classifier "exit <code>"', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'Command', inputs: { command: ['sh', '-c', 'echo oops >&2; exit 4'] } }));
    await runTask(options(api));
    const outcome = only(api);
    assert.equal(outcome.kind === 'failure' && outcome.error.classifier, 'exit 4');
    assert.deepEqual(api.lines.map((l) => [l.stream, l.message]), [['stderr', 'oops']]);
  });

  it('reports an unknown operator, a missing input and a wrong input type as failures', async () => {
    const cases: [OpPayload, string][] = [
      [aPayload({ op: 'Nope' }), 'unknown-operator'],
      [aPayload({ op: 'Sleep', inputs: {} }), 'missing-input'],
      [aPayload({ op: 'NoOp', inputs: { value: 'five' } }), 'invalid-input'],
      [aPayload({ op: 'NoOp', opVersion: '99' }), 'version-mismatch'],
    ];
    for (const [payload, classifier] of cases) {
      const api = new FakeExecutorApi(payload);
      assert.equal(await runTask(options(api)), 'completed');
      const outcome = only(api);
      assert.equal(outcome.kind === 'failure' && outcome.error.classifier, classifier, payload.op);
    }
  });

  it('reports a dataset input that cannot be downloaded as a stage-in failure', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'TemporalSampling', inputs: { data: { uri: pathToFileURL(join(root, 'missing')).href } } }));
    await runTask(options(api));
    const outcome = only(api);
    assert.equal(outcome.kind === 'failure' && outcome.error.classifier, 'stage-in');
  });

  it('heartbeats on the agent\'s interval while the operator runs', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'Sleep', inputs: { duration: 400 } }), 50);
    assert.equal(await runTask(options(api, { heartbeatIntervalMs: 10_000 })), 'completed');
    const beats = api.calls.filter((c) => c.method === 'heartbeat');
    assert.ok(beats.length >= 4 && beats.length <= 9, `${beats.length} heartbeats`);
    const completedAt = api.calls.find((c) => c.method === 'completeTask')!.atMs;
    assert.ok(beats.every((b) => b.atMs <= completedAt), 'no heartbeat after completeTask');
  });

  it('streams log lines in order, across several flushes, all before completeTask', async () => {
    const chatty: BuiltinOperator = {
      def: { ...findBuiltin('NoOp')!.def, name: 'Chatty' },
      async run(_inputs, ctx) {
        for (let i = 0; i < 30; i++) {
          ctx.log(`line ${i}`, i % 3 === 0 ? 'stderr' : 'stdout');
          if (i % 10 === 9) await new Promise((r) => setTimeout(r, 40));
        }
        console.log('printed with console.log');
        return { outputs: { value: 1 } };
      },
    };
    const api = new FakeExecutorApi(aPayload({ op: 'Chatty' }));
    await runTask(options(api, { operators: () => chatty, captureOutput: true }));
    const expected = Array.from({ length: 30 }, (_, i) => `line ${i}`).concat('printed with console.log');
    assert.deepEqual(api.lines.map((l) => l.message), expected);
    assert.equal(api.lines[3].stream, 'stderr');
    assert.equal(api.lines[4].stream, 'stdout');
    assert.ok(api.count('streamLogs') >= 2, `${api.count('streamLogs')} streamLogs calls`);
    assert.equal(api.calls[api.calls.length - 1].method, 'completeTask');
    for (let i = 1; i < api.lines.length; i++) assert.ok(api.lines[i].atMs >= api.lines[i - 1].atMs);
  });

  it('retries completeTask after a transient UnavailableError, with a delay, then succeeds', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'NoOp', inputs: { value: 2 } })).failWith('completeTask', (n) =>
      n <= 2 ? new UnavailableError('agent restarting') : undefined,
    );
    assert.equal(await runTask(options(api)), 'completed');
    const attempts = api.calls.filter((c) => c.method === 'completeTask');
    assert.equal(attempts.length, 3);
    // initialMs 20 with jitter in the upper half: at least 10 ms, then 20 ms.
    assert.ok(attempts[1].atMs - attempts[0].atMs >= 9);
    assert.ok(attempts[2].atMs - attempts[1].atMs >= 19);
    assert.equal(api.outcomes.length, 1);
    assert.match(diagnostics.join('\n'), /completeTask failed \(agent restarting\); retrying/);
  });

  it('aborts a running Sleep and ends "abandoned" when a heartbeat gets InvalidTaskError', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'Sleep', inputs: { duration: 60_000 } }), 50).failWith('heartbeat', (n) =>
      n >= 2 ? new InvalidTaskError('task-1', 'the run was killed') : undefined,
    );
    const t0 = Date.now();
    assert.equal(await runTask(options(api)), 'abandoned');
    assert.ok(Date.now() - t0 < 2000, 'the operator was not aborted promptly');
    assert.equal(api.count('completeTask'), 0);
    assert.equal(api.count('heartbeat'), 2);
  });

  it('ends "abandoned" when completeTask gets InvalidTaskError', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'NoOp' })).failWith('completeTask', () => new InvalidTaskError('task-1', 'unknown task'));
    assert.equal(await runTask(options(api)), 'abandoned');
    assert.equal(api.count('completeTask'), 1);
  });

  it('ends "abandoned" without reporting when its signal fires', async () => {
    const controller = new AbortController();
    const api = new FakeExecutorApi(aPayload({ op: 'Sleep', inputs: { duration: 60_000 } }));
    setTimeout(() => controller.abort(), 100);
    assert.equal(await runTask(options(api, { signal: controller.signal })), 'abandoned');
    assert.equal(api.count('completeTask'), 0);
  });

  it('rejects when the agent stays unavailable past the retry deadline, never in a tight loop', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'NoOp' })).failWith('startTask', () => new UnavailableError('connection refused'));
    await assert.rejects(runTask(options(api, { retry: { initialMs: 20, maxMs: 80, maxElapsedMs: 400 } })), UnavailableError);
    const n = api.count('startTask');
    assert.ok(n >= 3 && n <= 12, `${n} attempts in 400 ms`);
  });

  it('stops the operator and rejects when heartbeats cannot reach the agent past the deadline', async () => {
    const api = new FakeExecutorApi(aPayload({ op: 'Sleep', inputs: { duration: 60_000 } }), 30).failWith('heartbeat', () => new UnavailableError('connection reset'));
    await assert.rejects(runTask(options(api, { retry: { initialMs: 20, maxMs: 50, maxElapsedMs: 200 } })), /lost contact with the agent: connection reset/);
    assert.equal(api.count('completeTask'), 0);
    assert.equal(existsSync(join(workDir, 'outputs')), true);
  });
});
