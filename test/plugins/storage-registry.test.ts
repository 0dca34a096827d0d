import assert from 'node:assert/strict';
import { AccioError } from '../../src/core/errors';
import { createStorage, MemoryStorage, SqliteStorage, StorageConfig, storageTypes } from '../../src/plugins/storage';

describe('createStorage', () => {
  it('builds the implementation the config type names', async () => {
    const memory = await createStorage({ type: 'memory' });
    const sqlite = await createStorage({ type: 'sqlite', path: ':memory:' });
    try {
      assert.ok(memory instanceof MemoryStorage);
      assert.ok(sqlite instanceof SqliteStorage);
    } finally {
      await memory.close();
      await sqlite.close();
    }
  });

  it('passes the typed config on to the implementation', async () => {
    const sqlite = await createStorage({ type: 'sqlite', path: ':memory:', busyTimeoutMs: 123 });
    try {
      assert.deepEqual((sqlite as SqliteStorage).options, { path: ':memory:', busyTimeoutMs: 123, cacheSizeMb: 64 });
    } finally {
      await sqlite.close();
    }
  });

  it('rejects an unknown type with an INVALID error listing the known types', async () => {
    await assert.rejects(createStorage({ type: 'cassandra' } as unknown as StorageConfig), (err: unknown) => {
      assert.ok(err instanceof AccioError);
      assert.equal(err.code, 'INVALID');
      assert.match(err.message, /"cassandra"/);
      for (const type of ['memory', 'sqlite']) assert.match(err.message, new RegExp(type));
      return true;
    });
    assert.deepEqual(storageTypes, ['memory', 'sqlite']);
  });
});
