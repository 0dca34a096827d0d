/** Contract: an executor is started, reports its exit, and is killed on request. */
import assert from 'node:assert/strict';
import { Scheduler } from '../../../src/plugins/scheduler/scheduler';
import { ExitRecorder, FakeExecutors, isAlive, MakeScheduler, SchedulerUnderTest } from './harness';
import { waitFor } from './wait-for';

export function lifecycleContract(make: MakeScheduler): void {
  describe('lifecycle', function () {
    this.timeout(30_000);
    let fakes: FakeExecutors;
    let under: SchedulerUnderTest;
    let scheduler: Scheduler;
    let recorder: ExitRecorder;

    beforeEach(async () => {
      fakes = await FakeExecutors.create();
      under = await make(fakes.setup({ totalCpu: 4, totalMemoryMb: 4096 }));
      scheduler = under.scheduler;
      recorder = new ExitRecorder(scheduler);
    });
    afterEach(async () => {
      await under.cleanup();
      await fakes.remove();
    });

    it('runs the executor with --addr and --task-id, and the token in ACCIO_TASK_TOKEN only', async () => {
      const job = await fakes.job({ exitCode: 0 });
      await scheduler.submit(job);
      const report = await fakes.started(job.taskId);
      assert.deepEqual(report.argv.slice(-4), ['--addr', job.agentAddr, '--task-id', job.taskId]);
      assert.equal(report.env.ACCIO_TASK_TOKEN, job.token);
      assert.equal(report.env.FAKE_EXECUTOR_DIR, fakes.dir, 'the configured environment was not passed');
      assert.ok(!report.argv.some((a) => a.includes(job.token)), 'the token is visible on the command line');
    });

    it('reports the exit code of an executor that ends by itself, not as killed', async () => {
      const ok = await fakes.job({ exitCode: 0 });
      const failed = await fakes.job({ exitCode: 3, sleepMs: 50 });
      await scheduler.submit(ok);
      await scheduler.submit(failed);
      assert.deepEqual(await recorder.exited(ok.taskId), { taskId: ok.taskId, exitCode: 0, killed: false });
      assert.deepEqual(await recorder.exited(failed.taskId), { taskId: failed.taskId, exitCode: 3, killed: false });
    });

    it('reports each exit once, to every listener', async () => {
      const second = new ExitRecorder(scheduler);
      const first = await fakes.job({ exitCode: 0 });
      await scheduler.submit(first);
      await recorder.exited(first.taskId);
      // A later job's exit bounds the time a duplicate report of the first could take.
      const later = await fakes.job({ exitCode: 0 });
      await scheduler.submit(later);
      await recorder.exited(later.taskId);
      await second.exited(later.taskId);
      assert.equal(recorder.of(first.taskId).length, 1);
      assert.equal(second.of(first.taskId).length, 1);
    });

    it('stops a running executor on kill and reports it as killed', async () => {
      const job = await fakes.job({ sleepMs: null });
      await scheduler.submit(job);
      const report = await fakes.started(job.taskId);
      await scheduler.kill(job.taskId);
      const exit = await recorder.exited(job.taskId);
      assert.equal(exit.killed, true);
      assert.ok(exit.signal !== undefined || exit.exitCode !== 0, `a killed executor reported a clean exit: ${JSON.stringify(exit)}`);
      await waitFor(() => !isAlive(report.pid), { what: 'the killed executor process to be gone' });
    });

    it('reports an executor killed from outside with its signal and killed false', async () => {
      const job = await fakes.job({ sleepMs: null });
      await scheduler.submit(job);
      const report = await fakes.started(job.taskId);
      process.kill(report.pid, 'SIGKILL');
      const exit = await recorder.exited(job.taskId);
      assert.deepEqual(exit, { taskId: job.taskId, signal: 'SIGKILL', killed: false });
    });

    it('ignores kill of a task it does not know', async () => {
      await scheduler.kill('task-never-submitted');
      assert.deepEqual(scheduler.stats(), { queued: 0, running: 0 });
    });

    it('kills every executor on close and resolves once they have exited', async () => {
      const jobs = [await fakes.job({ sleepMs: null }), await fakes.job({ sleepMs: null })];
      for (const job of jobs) await scheduler.submit(job);
      const reports = await Promise.all(jobs.map((j) => fakes.started(j.taskId)));
      await scheduler.close();
      for (const report of reports) assert.equal(isAlive(report.pid), false, `executor ${report.pid} survived close`);
      for (const job of jobs) assert.equal(recorder.of(job.taskId)[0]?.killed, true);
    });
  });
}
