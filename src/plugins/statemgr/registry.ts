/**
 * Chooses a state manager implementation by configuration. Each type has a factory taking its own
 * typed config; adding a backend adds a config type and one map entry.
 */
import { pluginRegistry } from '../plugin-registry';
import { LocalStateManager, LocalStateManagerOptions } from './local';
import { StateManager } from './statemgr';

/** In-process locks and keys: one agent only. */
export type LocalStateManagerConfig = { type: 'local' } & LocalStateManagerOptions;

export type StateManagerConfig = LocalStateManagerConfig;

const registry = pluginRegistry<StateManagerConfig, StateManager>('state manager', {
  local: async ({ type: _type, ...options }) => new LocalStateManager(options),
});

/** The state manager types this build knows, sorted. */
export const stateManagerTypes: readonly string[] = registry.types;

/** Builds the state manager `config.type` names; an unknown type is an INVALID error listing the known ones. */
export function createStateManager(config: StateManagerConfig): Promise<StateManager> {
  return registry.create(config);
}
