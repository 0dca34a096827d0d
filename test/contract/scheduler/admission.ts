/** Contract: executors run only while their declared resources fit; the rest wait in a queue. */
import assert from 'node:assert/strict';
import { MakeScheduler, schedulerPerTest } from './harness';
import { waitFor } from './wait-for';

export function admissionContract(make: MakeScheduler): void {
  describe('admission', function () {
    this.timeout(30_000);
    const ctx = schedulerPerTest(make, { totalCpu: 2, totalMemoryMb: 4096 });

    it('runs at most totalCpu worth of executors at once, and starts a queued one when a running one ends', async () => {
      const jobs = [];
      for (let i = 0; i < 3; i++) jobs.push(await ctx.fakes.job({ sleepMs: null }, { cpu: 1 }));
      for (const job of jobs) await ctx.scheduler.submit(job);
      await ctx.fakes.started(jobs[0].taskId);
      await ctx.fakes.started(jobs[1].taskId);
      assert.deepEqual(ctx.scheduler.stats(), { queued: 1, running: 2 });
      assert.equal(await ctx.fakes.report(jobs[2].taskId), undefined, 'a third executor started beyond totalCpu');

      await ctx.scheduler.kill(jobs[0].taskId);
      await ctx.recorder.exited(jobs[0].taskId);
      await ctx.fakes.started(jobs[2].taskId);
      assert.deepEqual(ctx.scheduler.stats(), { queued: 0, running: 2 });
    });

    it('drops a queued job on kill: it never starts and no exit is reported for it', async () => {
      const running = [await ctx.fakes.job({ sleepMs: null }, { cpu: 1 }), await ctx.fakes.job({ sleepMs: null }, { cpu: 1 })];
      const queued = await ctx.fakes.job({ exitCode: 0 }, { cpu: 1 });
      for (const job of [...running, queued]) await ctx.scheduler.submit(job);
      await Promise.all(running.map((j) => ctx.fakes.started(j.taskId)));
      await ctx.scheduler.kill(queued.taskId);
      assert.deepEqual(ctx.scheduler.stats(), { queued: 0, running: 2 });

      // Once the running ones are gone, a job still queued would have started.
      for (const job of running) await ctx.scheduler.kill(job.taskId);
      await Promise.all(running.map((j) => ctx.recorder.exited(j.taskId)));
      await waitFor(() => ctx.scheduler.stats().running === 0, { what: 'the scheduler to be idle' });
      // A later job's exit bounds the time the dropped one could still take to be reported.
      const later = await ctx.fakes.job({ exitCode: 0 });
      await ctx.scheduler.submit(later);
      await ctx.recorder.exited(later.taskId);
      assert.equal(await ctx.fakes.report(queued.taskId), undefined, 'the dropped job started');
      assert.deepEqual(ctx.recorder.of(queued.taskId), []);
    });

    it('counts queued and running jobs in stats', async () => {
      assert.deepEqual(ctx.scheduler.stats(), { queued: 0, running: 0 });
      const jobs = [];
      for (let i = 0; i < 4; i++) jobs.push(await ctx.fakes.job({ sleepMs: null }, { cpu: 1 }));
      for (const job of jobs) await ctx.scheduler.submit(job);
      await Promise.all(jobs.slice(0, 2).map((j) => ctx.fakes.started(j.taskId)));
      assert.deepEqual(ctx.scheduler.stats(), { queued: 2, running: 2 });
    });
  });
}
