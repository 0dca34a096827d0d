/**
 * Storage plugin: the durable record (workflow versions, runs, tasks, logs, the cache index), its
 * implementations and the registry that picks one by configuration. Imports only src/core.
 */
export type { CacheEntry, LogQuery, Page, RunQuery, Storage, StorageCapabilities, WorkflowQuery } from './storage';
export { MemoryStorage } from './memory';
export { SqliteStorage, compileSqliteStorageOptions, SCHEMA_VERSION } from './sqlite';
export type { CompiledSqliteStorageOptions, SqliteStorageOptions } from './sqlite';
export { createStorage, storageTypes } from './registry';
export type { MemoryStorageConfig, SqliteStorageConfig, StorageConfig } from './registry';
