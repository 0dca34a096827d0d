/**
 * Storage contract: the cache index, successful results by cache key.
 */
import assert from 'node:assert/strict';
import { CacheEntry } from '../../../src/plugins/storage/storage';
import { randomHex64, randomId } from '../../support/builders';
import { ContractCapabilities, MakeStorage, useStorage } from './context';

function anEntry(overrides: Partial<CacheEntry> = {}): CacheEntry {
  return {
    key: randomHex64(),
    result: { outputs: { data: { uri: `file:///cache/${randomId()}`, digest: `sha256:${randomHex64()}` }, score: 0.75 }, metrics: { wall_time_ms: 120 } },
    runId: randomId(),
    node: 'Source',
    createdAtMs: 1_000,
    ...overrides,
  };
}

export function cacheContract(makeStorage: MakeStorage, capabilities?: ContractCapabilities): void {
  describe('cache', () => {
    const fx = useStorage(makeStorage, capabilities);

    it('returns a saved entry equal to what was saved', async () => {
      const entry = anEntry();
      await fx.storage.saveCacheEntry(entry);
      assert.deepEqual(await fx.storage.getCacheEntry(entry.key), entry);
    });

    it('returns undefined for an unknown key', async () => {
      assert.equal(await fx.storage.getCacheEntry(randomHex64()), undefined);
    });

    it('keeps the first entry saved under a key', async () => {
      const first = anEntry();
      const second = anEntry({ key: first.key, createdAtMs: 2_000 });
      await fx.storage.saveCacheEntry(first);
      await fx.storage.saveCacheEntry(second);
      assert.deepEqual(await fx.storage.getCacheEntry(first.key), first);
    });

    it('keeps a cache entry when the run it came from is deleted', async () => {
      const entry = anEntry();
      await fx.storage.saveCacheEntry(entry);
      await fx.storage.deleteRun(entry.runId);
      assert.deepEqual(await fx.storage.getCacheEntry(entry.key), entry);
    });

    it('returns copies: changing a returned entry does not change what is stored', async () => {
      const entry = anEntry();
      await fx.storage.saveCacheEntry(entry);
      const got = await fx.storage.getCacheEntry(entry.key);
      assert.ok(got);
      got.result.metrics.wall_time_ms = 0;
      assert.deepEqual(await fx.storage.getCacheEntry(entry.key), entry);
    });
  });
}
