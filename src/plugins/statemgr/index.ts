/**
 * State manager plugin: short-lived shared state (per-key locks with a lease, a small KV store
 * with TTL), its implementations and the registry that picks one by configuration. Imports only
 * src/core.
 */
export type { Lock, StateManager, StateManagerCapabilities } from './statemgr';
export { withLock } from './statemgr';
export { LocalStateManager, compileLocalStateManagerOptions } from './local';
export type { CompiledLocalStateManagerOptions, LocalStateManagerOptions } from './local';
export { createStateManager, stateManagerTypes } from './registry';
export type { LocalStateManagerConfig, StateManagerConfig } from './registry';
