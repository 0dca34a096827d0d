/**
 * The scheduler contract: every implementation registers it unchanged. `make` receives the fake
 * executor's command, environment and the capacity to offer, and returns a fresh scheduler.
 * Usage: `schedulerContract(async (setup) => ({ scheduler: new XScheduler({...setup}), cleanup }))`.
 */
import { admissionContract } from './admission';
import { MakeScheduler } from './harness';
import { lifecycleContract } from './lifecycle';

export { FakeExecutorSetup, MakeScheduler, SchedulerUnderTest } from './harness';

export function schedulerContract(make: MakeScheduler): void {
  describe('Scheduler contract', () => {
    lifecycleContract(make);
    admissionContract(make);
  });
}
