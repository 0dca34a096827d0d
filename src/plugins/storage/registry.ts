/**
 * Chooses a storage implementation by configuration. Each type has a factory taking its own typed
 * config; adding a backend (elasticsearch) adds a config type and one map entry.
 */
import { AccioError } from '../../core/errors';
import { MemoryStorage } from './memory';
import { SqliteStorage, SqliteStorageOptions } from './sqlite';
import { Storage } from './storage';

/** Everything in process memory, lost when the agent stops: tests and throw-away agents. */
export type MemoryStorageConfig = { type: 'memory' };

/** One SQLite file: the embedded default of a single-node agent. */
export type SqliteStorageConfig = { type: 'sqlite' } & SqliteStorageOptions;

export type StorageConfig = MemoryStorageConfig | SqliteStorageConfig;

type Factories = {
  [T in StorageConfig['type']]: (config: Extract<StorageConfig, { type: T }>) => Promise<Storage>;
};

const factories: Factories = {
  memory: async () => new MemoryStorage(),
  sqlite: async ({ type: _type, ...options }) => new SqliteStorage(options),
};

/** The storage types this build knows, sorted. */
export const storageTypes: readonly string[] = Object.keys(factories).sort();

/** Builds the storage `config.type` names; an unknown type is an INVALID error listing the known ones. */
export async function createStorage(config: StorageConfig): Promise<Storage> {
  const type: string = config.type;
  if (!Object.hasOwn(factories, type)) {
    throw new AccioError('INVALID', `unknown storage type ${JSON.stringify(type)}; known types: ${storageTypes.join(', ')}`, {
      actions: [`Set the storage type to one of: ${storageTypes.join(', ')}.`],
    });
  }
  const factory = factories[config.type] as (c: StorageConfig) => Promise<Storage>;
  return factory(config);
}
