/**
 * Chooses a scheduler implementation by configuration. Each type has a factory taking its own
 * typed config; adding a backend (kubernetes) adds a config type and one map entry.
 */
import { AccioError } from '../../core/errors';
import { LocalScheduler, LocalSchedulerOptions } from './local';
import { Scheduler } from './scheduler';

/** Executors as child processes of the agent, admitted by declared CPU and memory. */
export type LocalSchedulerConfig = { type: 'local' } & LocalSchedulerOptions;

export type SchedulerConfig = LocalSchedulerConfig;

type Factories = {
  [T in SchedulerConfig['type']]: (config: Extract<SchedulerConfig, { type: T }>) => Promise<Scheduler>;
};

const factories: Factories = {
  local: async ({ type: _type, ...options }) => new LocalScheduler(options),
};

/** The scheduler types this build knows, sorted. */
export const schedulerTypes: readonly string[] = Object.keys(factories).sort();

/** Builds the scheduler `config.type` names; an unknown type is an INVALID error listing the known ones. */
export async function createScheduler(config: SchedulerConfig): Promise<Scheduler> {
  const type: string = config.type;
  if (!Object.hasOwn(factories, type)) {
    throw new AccioError('INVALID', `unknown scheduler type ${JSON.stringify(type)}; known types: ${schedulerTypes.join(', ')}`, {
      actions: [`Set the scheduler type to one of: ${schedulerTypes.join(', ')}.`],
    });
  }
  const factory = factories[config.type] as (c: SchedulerConfig) => Promise<Scheduler>;
  return factory(config);
}
