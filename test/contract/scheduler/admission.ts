/** Contract: executors run only while their declared resources fit; the rest wait in a queue. */
import assert from 'node:assert/strict';
import { Scheduler } from '../../../src/plugins/scheduler/scheduler';
import { ExitRecorder, FakeExecutors, MakeScheduler, SchedulerUnderTest } from './harness';
import { waitFor } from './wait-for';

export function admissionContract(make: MakeScheduler): void {
  describe('admission', function () {
    this.timeout(30_000);
    let fakes: FakeExecutors;
    let under: SchedulerUnderTest;
    let scheduler: Scheduler;
    let recorder: ExitRecorder;

    beforeEach(async () => {
      fakes = await FakeExecutors.create();
      under = await make(fakes.setup({ totalCpu: 2, totalMemoryMb: 4096 }));
      scheduler = under.scheduler;
      recorder = new ExitRecorder(scheduler);
    });
    afterEach(async () => {
      await under.cleanup();
      await fakes.remove();
    });

    it('runs at most totalCpu worth of executors at once, and starts a queued one when a running one ends', async () => {
      const jobs = [];
      for (let i = 0; i < 3; i++) jobs.push(await fakes.job({ sleepMs: null }, { cpu: 1 }));
      for (const job of jobs) await scheduler.submit(job);
      await fakes.started(jobs[0].taskId);
      await fakes.started(jobs[1].taskId);
      assert.deepEqual(scheduler.stats(), { queued: 1, running: 2 });
      assert.equal(await fakes.report(jobs[2].taskId), undefined, 'a third executor started beyond totalCpu');

      await scheduler.kill(jobs[0].taskId);
      await recorder.exited(jobs[0].taskId);
      await fakes.started(jobs[2].taskId);
      assert.deepEqual(scheduler.stats(), { queued: 0, running: 2 });
    });

    it('drops a queued job on kill: it never starts and no exit is reported for it', async () => {
      const running = [await fakes.job({ sleepMs: null }, { cpu: 1 }), await fakes.job({ sleepMs: null }, { cpu: 1 })];
      const queued = await fakes.job({ exitCode: 0 }, { cpu: 1 });
      for (const job of [...running, queued]) await scheduler.submit(job);
      await Promise.all(running.map((j) => fakes.started(j.taskId)));
      await scheduler.kill(queued.taskId);
      assert.deepEqual(scheduler.stats(), { queued: 0, running: 2 });

      // Once the running ones are gone, a job still queued would have started.
      for (const job of running) await scheduler.kill(job.taskId);
      await Promise.all(running.map((j) => recorder.exited(j.taskId)));
      await waitFor(() => scheduler.stats().running === 0, { what: 'the scheduler to be idle' });
      // A later job's exit bounds the time the dropped one could still take to be reported.
      const later = await fakes.job({ exitCode: 0 });
      await scheduler.submit(later);
      await recorder.exited(later.taskId);
      assert.equal(await fakes.report(queued.taskId), undefined, 'the dropped job started');
      assert.deepEqual(recorder.of(queued.taskId), []);
    });

    it('counts queued and running jobs in stats', async () => {
      assert.deepEqual(scheduler.stats(), { queued: 0, running: 0 });
      const jobs = [];
      for (let i = 0; i < 4; i++) jobs.push(await fakes.job({ sleepMs: null }, { cpu: 1 }));
      for (const job of jobs) await scheduler.submit(job);
      await Promise.all(jobs.slice(0, 2).map((j) => fakes.started(j.taskId)));
      assert.deepEqual(scheduler.stats(), { queued: 2, running: 2 });
    });
  });
}
