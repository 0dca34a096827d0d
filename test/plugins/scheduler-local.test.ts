import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { AccioError, UnavailableError } from '../../src/core/errors';
import { LocalScheduler, LocalSchedulerOptions, SPAWN_FAILED_EXIT_CODE } from '../../src/plugins/scheduler/local';
import { createScheduler, SchedulerConfig } from '../../src/plugins/scheduler/registry';
import { schedulerContract } from '../contract/scheduler';
import { ExitRecorder, FakeExecutors, isAlive } from '../contract/scheduler/harness';
import { waitFor } from '../contract/scheduler/wait-for';
import { tempDir } from '../contract/uploader/trees';

const exists = (p: string) => stat(p).then(() => true, () => false);

describe('LocalScheduler', function () {
  this.timeout(30_000);

  schedulerContract(async (setup) => {
    const work = await tempDir('accio-local-scheduler-');
    const scheduler = new LocalScheduler({ ...setup, workDir: work.dir, killGraceMs: 2_000 });
    return { scheduler, cleanup: async () => { await scheduler.close(); await work.remove(); } };
  });

  let fakes: FakeExecutors;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let scheduler: LocalScheduler;
  let recorder: ExitRecorder;

  /** A scheduler over the fake executor with 2 cores and 1 GiB, unless `options` says otherwise. */
  function useScheduler(options: Partial<LocalSchedulerOptions> = {}): LocalScheduler {
    scheduler = new LocalScheduler({ ...fakes.setup({ totalCpu: 2, totalMemoryMb: 1024 }), workDir: work.dir, ...options });
    recorder = new ExitRecorder(scheduler);
    return scheduler;
  }

  beforeEach(async () => {
    fakes = await FakeExecutors.create();
    work = await tempDir('accio-local-scheduler-');
  });
  afterEach(async () => {
    await scheduler?.close();
    await fakes.remove();
    await work.remove();
  });

  it('runs each executor in <workDir>/<taskId> and removes that directory after it exits', async () => {
    useScheduler();
    const job = await fakes.job({ sleepMs: null });
    await scheduler.submit(job);
    const report = await fakes.started(job.taskId);
    assert.equal(report.cwd, path.join(work.dir, job.taskId));
    await scheduler.kill(job.taskId);
    await recorder.exited(job.taskId);
    assert.equal(await exists(path.join(work.dir, job.taskId)), false);
  });

  it('appends the executor\'s stdout and stderr to <workDir>/logs/<taskId>.log', async () => {
    useScheduler();
    const job = await fakes.job({ exitCode: 0 });
    await scheduler.submit(job);
    await recorder.exited(job.taskId);
    const log = await readFile(path.join(work.dir, 'logs', `${job.taskId}.log`), 'utf8');
    assert.match(log, /started/);
    assert.match(log, /this goes to stderr/);
  });

  it('sends SIGKILL after killGraceMs to an executor that ignores SIGTERM, and reports it killed', async () => {
    useScheduler({ killGraceMs: 300 });
    const job = await fakes.job({ sleepMs: null, ignoreSigterm: true });
    await scheduler.submit(job);
    await fakes.started(job.taskId);
    const startedMs = Date.now();
    await scheduler.kill(job.taskId);
    const exit = await recorder.exited(job.taskId);
    assert.deepEqual(exit, { taskId: job.taskId, signal: 'SIGKILL', killed: true });
    assert.ok(Date.now() - startedMs >= 250, 'SIGKILL came before the grace period ended');
  });

  it('kills what an executor started along with it', async () => {
    useScheduler();
    const job = await fakes.job({ sleepMs: null, grandchild: true });
    await scheduler.submit(job);
    const report = await fakes.started(job.taskId);
    assert.ok(report.grandchildPid && isAlive(report.grandchildPid));
    await scheduler.kill(job.taskId);
    await recorder.exited(job.taskId);
    await waitFor(() => !isAlive(report.grandchildPid as number), { what: 'the grandchild to die' });
  });

  it('kills what an executor left running when it exits by itself', async () => {
    useScheduler();
    const job = await fakes.job({ exitCode: 0, grandchild: true });
    await scheduler.submit(job);
    const report = await fakes.started(job.taskId);
    await recorder.exited(job.taskId);
    await waitFor(() => !isAlive(report.grandchildPid as number), { what: 'the orphaned grandchild to die' });
  });

  it('admits by memory as well as CPU', async () => {
    useScheduler({ totalCpu: 8, totalMemoryMb: 1000 });
    const a = await fakes.job({ sleepMs: null }, { cpu: 1, memoryMb: 600 });
    const b = await fakes.job({ sleepMs: null }, { cpu: 1, memoryMb: 600 });
    await scheduler.submit(a);
    await scheduler.submit(b);
    await fakes.started(a.taskId);
    assert.deepEqual(scheduler.stats(), { queued: 1, running: 1 });
    await scheduler.kill(a.taskId);
    await fakes.started(b.taskId);
  });

  it('runs a job larger than the machine once nothing else runs, rather than never', async () => {
    useScheduler();
    const small = await fakes.job({ sleepMs: null }, { cpu: 1 });
    const huge = await fakes.job({ sleepMs: null }, { cpu: 64, memoryMb: 1_000_000 });
    await scheduler.submit(small);
    await scheduler.submit(huge);
    await fakes.started(small.taskId);
    assert.deepEqual(scheduler.stats(), { queued: 1, running: 1 });
    await scheduler.kill(small.taskId);
    await fakes.started(huge.taskId);
  });

  it('admits in submission order: a job that does not fit holds back smaller ones behind it', async () => {
    useScheduler();
    const running = await fakes.job({ sleepMs: null }, { cpu: 1 });
    const big = await fakes.job({ sleepMs: null }, { cpu: 2 });
    const small = await fakes.job({ exitCode: 0 }, { cpu: 1 });
    for (const job of [running, big, small]) await scheduler.submit(job);
    await fakes.started(running.taskId);
    assert.deepEqual(scheduler.stats(), { queued: 2, running: 1 });
    await scheduler.kill(running.taskId);
    await fakes.started(big.taskId);
    assert.equal(await fakes.report(small.taskId), undefined);
    await scheduler.kill(big.taskId);
    await recorder.exited(small.taskId);
  });

  it('adds fractional cores without rounding errors', async () => {
    useScheduler({ totalCpu: 0.3 });
    const a = await fakes.job({ sleepMs: null }, { cpu: 0.1 });
    const b = await fakes.job({ sleepMs: null }, { cpu: 0.2 });
    await scheduler.submit(a);
    await scheduler.submit(b);
    await Promise.all([fakes.started(a.taskId), fakes.started(b.taskId)]);
  });

  it('reports an executor command that cannot start as exit code 127, and logs why', async () => {
    useScheduler({ executorCommand: [path.join(work.dir, 'no-such-executor')] });
    const job = await fakes.job({ exitCode: 0 });
    await scheduler.submit(job);
    assert.deepEqual(await recorder.exited(job.taskId), { taskId: job.taskId, exitCode: SPAWN_FAILED_EXIT_CODE, killed: false });
    assert.match(await readFile(path.join(work.dir, 'logs', `${job.taskId}.log`), 'utf8'), /cannot start the executor.*ENOENT/);
  });

  it('kills a job submitted and killed before its process had started', async () => {
    useScheduler();
    const job = await fakes.job({ sleepMs: null });
    await scheduler.submit(job);
    await scheduler.kill(job.taskId);
    const exit = await recorder.exited(job.taskId);
    assert.equal(exit.killed, true);
  });

  it('ignores a second submit of a task that is queued or running', async () => {
    useScheduler();
    const job = await fakes.job({ sleepMs: null });
    await scheduler.submit(job);
    await scheduler.submit(job);
    assert.deepEqual(scheduler.stats(), { queued: 0, running: 1 });
  });

  it('passes the configured environment and nothing it was not given', async () => {
    useScheduler({ env: { FAKE_EXECUTOR_DIR: fakes.dir, EXTRA: 'yes' } });
    const job = await fakes.job({ exitCode: 0 });
    await scheduler.submit(job);
    const report = await fakes.started(job.taskId);
    assert.equal(report.env.EXTRA, 'yes');
    assert.equal(report.env.HOME, undefined);
  });

  it('rejects a task id that is not a safe file name', async () => {
    useScheduler();
    const job = await fakes.job({ exitCode: 0 });
    await assert.rejects(scheduler.submit({ ...job, taskId: '../escape' }), { code: 'INVALID' });
  });

  it('rejects submissions once closed', async () => {
    useScheduler();
    await scheduler.close();
    await assert.rejects(scheduler.submit(await fakes.job({ exitCode: 0 })), UnavailableError);
  });

  it('reports every invalid option at once', () => {
    assert.throws(() => new LocalScheduler({ executorCommand: [], workDir: '', totalCpu: 0 }), (err: unknown) => {
      assert.ok(err instanceof AccioError && err.code === 'INVALID');
      assert.match(err.message, /executorCommand/);
      assert.match(err.message, /workDir/);
      assert.match(err.message, /totalCpu/);
      return true;
    });
  });

  describe('registry', () => {
    it('creates a local scheduler for type local', async () => {
      const created = await createScheduler({ type: 'local', ...fakes.setup({ totalCpu: 1, totalMemoryMb: 100 }), workDir: work.dir });
      assert.ok(created instanceof LocalScheduler);
      await created.close();
    });

    it('rejects an unknown type with an INVALID error listing the known types', async () => {
      const err = await createScheduler({ type: 'slurm' } as unknown as SchedulerConfig).catch((e: unknown) => e);
      assert.ok(err instanceof AccioError);
      assert.equal(err.code, 'INVALID');
      assert.match(err.message, /"slurm".*local/);
    });
  });
});
