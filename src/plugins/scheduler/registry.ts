/**
 * Chooses a scheduler implementation by configuration. Each type has a factory taking its own
 * typed config; adding a backend (kubernetes) adds a config type and one map entry.
 */
import { pluginRegistry } from '../plugin-registry';
import { LocalScheduler, LocalSchedulerOptions } from './local';
import { Scheduler } from './scheduler';

/** Executors as child processes of the agent, admitted by declared CPU and memory. */
export type LocalSchedulerConfig = { type: 'local' } & LocalSchedulerOptions;

export type SchedulerConfig = LocalSchedulerConfig;

const registry = pluginRegistry<SchedulerConfig, Scheduler>('scheduler', {
  local: async ({ type: _type, ...options }) => new LocalScheduler(options),
});

/** The scheduler types this build knows, sorted. */
export const schedulerTypes: readonly string[] = registry.types;

/** Builds the scheduler `config.type` names; an unknown type is an INVALID error listing the known ones. */
export function createScheduler(config: SchedulerConfig): Promise<Scheduler> {
  return registry.create(config);
}
