/**
 * The SQLite storage (better-sqlite3): one file, the embedded default. Imports only src/core and
 * the storage interface.
 */
export { SqliteStorage, compileSqliteStorageOptions } from './sqlite-storage';
export type { CompiledSqliteStorageOptions, SqliteStorageOptions } from './sqlite-storage';
export { SCHEMA_VERSION } from './schema';
