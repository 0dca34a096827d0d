/** Contract: the small key-value store with TTL. */
import assert from 'node:assert/strict';
import { StateManagerCapabilities } from '../../../src/plugins/statemgr/statemgr';
import { waitFor } from '../scheduler/wait-for';
import { contractTimings, MakeStateManager, randomPrefix, useStateManager } from './harness';

export function kvContract(make: MakeStateManager, capabilities: StateManagerCapabilities): void {
  const { shortMs, deadlineMs } = contractTimings(capabilities);

  describe('key-value', function () {
    this.timeout(deadlineMs * 3);
    const sm = useStateManager(make);

    it('returns what set stored, and undefined for a key never set', async () => {
      const prefix = randomPrefix();
      const value = 'agent-1 ✓ {"a":1}\n';
      await sm().set(`${prefix}k`, value);
      assert.equal(await sm().get(`${prefix}k`), value);
      assert.equal(await sm().get(`${prefix}missing`), undefined);
    });

    it('stores the empty string as a value, distinct from absence', async () => {
      const key = `${randomPrefix()}empty`;
      await sm().set(key, '');
      assert.equal(await sm().get(key), '');
    });

    it('overwrites a key with the last value set', async () => {
      const key = `${randomPrefix()}k`;
      await sm().set(key, 'one');
      await sm().set(key, 'two');
      assert.equal(await sm().get(key), 'two');
    });

    it('deletes a key, and treats deleting an absent key as harmless', async () => {
      const key = `${randomPrefix()}k`;
      await sm().set(key, 'v');
      await sm().delete(key);
      assert.equal(await sm().get(key), undefined);
      await sm().delete(key);
    });

    it('hides a key set with ttlMs once the TTL has passed, from get and from list', async () => {
      const prefix = randomPrefix();
      await sm().set(`${prefix}short`, 'v', { ttlMs: shortMs });
      await sm().set(`${prefix}long`, 'v');
      assert.equal(await sm().get(`${prefix}short`), 'v', 'the key expired at once');
      await waitFor(async () => (await sm().get(`${prefix}short`)) === undefined, { timeoutMs: deadlineMs, what: 'the key to expire' });
      assert.deepEqual(await sm().list(prefix), [`${prefix}long`]);
    });

    it('makes a key permanent again when it is set without ttlMs', async () => {
      const prefix = randomPrefix();
      await sm().set(`${prefix}sentinel`, 'v', { ttlMs: shortMs });
      await sm().set(`${prefix}k`, 'v1', { ttlMs: shortMs });
      await sm().set(`${prefix}k`, 'v2');
      // The sentinel shares the TTL: once it is gone, the first TTL of `k` has passed too.
      await waitFor(async () => (await sm().get(`${prefix}sentinel`)) === undefined, { timeoutMs: deadlineMs, what: 'the sentinel to expire' });
      assert.equal(await sm().get(`${prefix}k`), 'v2');
    });

    it('lists the keys under a prefix, sorted, and none outside it', async () => {
      const prefix = randomPrefix();
      for (const k of ['b/2', 'a', 'b/10', 'B', 'c']) await sm().set(`${prefix}dir/${k}`, k);
      await sm().set(`${prefix}dirt`, 'outside');
      await sm().set(`${prefix}di`, 'outside');
      assert.deepEqual(await sm().list(`${prefix}dir/`), ['B', 'a', 'b/10', 'b/2', 'c'].map((k) => `${prefix}dir/${k}`));
      assert.deepEqual(await sm().list(`${prefix}dir/b/`), [`${prefix}dir/b/10`, `${prefix}dir/b/2`]);
    });

    it('lists nothing under a prefix no key has', async () => {
      assert.deepEqual(await sm().list(randomPrefix()), []);
    });
  });
}
