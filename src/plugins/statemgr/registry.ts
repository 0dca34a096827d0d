/**
 * Chooses a state manager implementation by configuration. Each type has a factory taking its own
 * typed config; adding a backend adds a config type and one map entry.
 */
import { AccioError } from '../../core/errors';
import { LocalStateManager, LocalStateManagerOptions } from './local';
import { StateManager } from './statemgr';

/** In-process locks and keys: one agent only. */
export type LocalStateManagerConfig = { type: 'local' } & LocalStateManagerOptions;

export type StateManagerConfig = LocalStateManagerConfig;

type Factories = {
  [T in StateManagerConfig['type']]: (config: Extract<StateManagerConfig, { type: T }>) => Promise<StateManager>;
};

const factories: Factories = {
  local: async ({ type: _type, ...options }) => new LocalStateManager(options),
};

/** The state manager types this build knows, sorted. */
export const stateManagerTypes: readonly string[] = Object.keys(factories).sort();

/** Builds the state manager `config.type` names; an unknown type is an INVALID error listing the known ones. */
export async function createStateManager(config: StateManagerConfig): Promise<StateManager> {
  const type: string = config.type;
  if (!Object.hasOwn(factories, type)) {
    throw new AccioError('INVALID', `unknown state manager type ${JSON.stringify(type)}; known types: ${stateManagerTypes.join(', ')}`, {
      actions: [`Set the state manager type to one of: ${stateManagerTypes.join(', ')}.`],
    });
  }
  const factory = factories[config.type] as (c: StateManagerConfig) => Promise<StateManager>;
  return factory(config);
}
