/**
 * Chooses a storage implementation by configuration. Each type has a factory taking its own typed
 * config; adding a backend (elasticsearch) adds a config type and one map entry.
 */
import { pluginRegistry } from '../plugin-registry';
import { MemoryStorage } from './memory';
import { SqliteStorage, SqliteStorageOptions } from './sqlite';
import { Storage } from './storage';

/** Everything in process memory, lost when the agent stops: tests and throw-away agents. */
export type MemoryStorageConfig = { type: 'memory' };

/** One SQLite file: the embedded default of a single-node agent. */
export type SqliteStorageConfig = { type: 'sqlite' } & SqliteStorageOptions;

export type StorageConfig = MemoryStorageConfig | SqliteStorageConfig;

const registry = pluginRegistry<StorageConfig, Storage>('storage', {
  memory: async () => new MemoryStorage(),
  sqlite: async ({ type: _type, ...options }) => new SqliteStorage(options),
});

/** The storage types this build knows, sorted. */
export const storageTypes: readonly string[] = registry.types;

/** Builds the storage `config.type` names; an unknown type is an INVALID error listing the known ones. */
export function createStorage(config: StorageConfig): Promise<Storage> {
  return registry.create(config);
}
