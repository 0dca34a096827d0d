/** Contract: an executor is started, reports its exit, and is killed on request. */
import assert from 'node:assert/strict';
import { ExitRecorder, isAlive, MakeScheduler, schedulerPerTest } from './harness';
import { waitFor } from './wait-for';

export function lifecycleContract(make: MakeScheduler): void {
  describe('lifecycle', function () {
    this.timeout(30_000);
    const ctx = schedulerPerTest(make, { totalCpu: 4, totalMemoryMb: 4096 });

    it('runs the executor with --addr and --task-id, and the token in ACCIO_TASK_TOKEN only', async () => {
      const job = await ctx.fakes.job({ exitCode: 0 });
      await ctx.scheduler.submit(job);
      const report = await ctx.fakes.started(job.taskId);
      assert.deepEqual(report.argv.slice(-4), ['--addr', job.agentAddr, '--task-id', job.taskId]);
      assert.equal(report.env.ACCIO_TASK_TOKEN, job.token);
      assert.equal(report.env.FAKE_EXECUTOR_DIR, ctx.fakes.dir, 'the configured environment was not passed');
      assert.ok(!report.argv.some((a) => a.includes(job.token)), 'the token is visible on the command line');
    });

    it('reports the exit code of an executor that ends by itself, not as killed', async () => {
      const ok = await ctx.fakes.job({ exitCode: 0 });
      const failed = await ctx.fakes.job({ exitCode: 3, sleepMs: 50 });
      await ctx.scheduler.submit(ok);
      await ctx.scheduler.submit(failed);
      assert.deepEqual(await ctx.recorder.exited(ok.taskId), { taskId: ok.taskId, exitCode: 0, killed: false });
      assert.deepEqual(await ctx.recorder.exited(failed.taskId), { taskId: failed.taskId, exitCode: 3, killed: false });
    });

    it('reports each exit once, to every listener', async () => {
      const second = new ExitRecorder(ctx.scheduler);
      const first = await ctx.fakes.job({ exitCode: 0 });
      await ctx.scheduler.submit(first);
      await ctx.recorder.exited(first.taskId);
      // A later job's exit bounds the time a duplicate report of the first could take.
      const later = await ctx.fakes.job({ exitCode: 0 });
      await ctx.scheduler.submit(later);
      await ctx.recorder.exited(later.taskId);
      await second.exited(later.taskId);
      assert.equal(ctx.recorder.of(first.taskId).length, 1);
      assert.equal(second.of(first.taskId).length, 1);
    });

    it('stops a running executor on kill and reports it as killed', async () => {
      const job = await ctx.fakes.job({ sleepMs: null });
      await ctx.scheduler.submit(job);
      const report = await ctx.fakes.started(job.taskId);
      await ctx.scheduler.kill(job.taskId);
      const exit = await ctx.recorder.exited(job.taskId);
      assert.equal(exit.killed, true);
      assert.ok(exit.signal !== undefined || exit.exitCode !== 0, `a killed executor reported a clean exit: ${JSON.stringify(exit)}`);
      await waitFor(() => !isAlive(report.pid), { what: 'the killed executor process to be gone' });
    });

    it('reports an executor killed from outside with its signal and killed false', async () => {
      const job = await ctx.fakes.job({ sleepMs: null });
      await ctx.scheduler.submit(job);
      const report = await ctx.fakes.started(job.taskId);
      process.kill(report.pid, 'SIGKILL');
      const exit = await ctx.recorder.exited(job.taskId);
      assert.deepEqual(exit, { taskId: job.taskId, signal: 'SIGKILL', killed: false });
    });

    it('ignores kill of a task it does not know', async () => {
      await ctx.scheduler.kill('task-never-submitted');
      assert.deepEqual(ctx.scheduler.stats(), { queued: 0, running: 0 });
    });

    it('kills every executor on close and resolves once they have exited', async () => {
      const jobs = [await ctx.fakes.job({ sleepMs: null }), await ctx.fakes.job({ sleepMs: null })];
      for (const job of jobs) await ctx.scheduler.submit(job);
      const reports = await Promise.all(jobs.map((j) => ctx.fakes.started(j.taskId)));
      await ctx.scheduler.close();
      for (const report of reports) assert.equal(isAlive(report.pid), false, `executor ${report.pid} survived close`);
      for (const job of jobs) assert.equal(ctx.recorder.of(job.taskId)[0]?.killed, true);
    });
  });
}
