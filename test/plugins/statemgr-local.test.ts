import assert from 'node:assert/strict';
import { AccioError, ConflictError, UnavailableError } from '../../src/core/errors';
import { LocalStateManager } from '../../src/plugins/statemgr/local';
import { createStateManager, StateManagerConfig } from '../../src/plugins/statemgr/registry';
import { stateManagerContract } from '../contract/statemgr';

describe('LocalStateManager', () => {
  stateManagerContract(async () => {
    const stateManager = new LocalStateManager();
    return { stateManager, cleanup: () => stateManager.close() };
  }, { leaseGranularity: 'ms' });

  it('declares a lease granularity of milliseconds', () => {
    assert.deepEqual(new LocalStateManager().capabilities, { leaseGranularity: 'ms' });
  });

  it('says in a timeout error how long the caller waited', async () => {
    const sm = new LocalStateManager();
    await sm.lock('k');
    const err = await sm.lock('k', { timeoutMs: 20 }).catch((e: unknown) => e);
    assert.ok(err instanceof ConflictError);
    assert.match(err.message, /"k".*20 ms/);
    assert.equal(err.retryable, true);
    await sm.close();
  });

  it('uses the configured default lease when a lock gives none', async () => {
    const sm = new LocalStateManager({ leaseMs: 30 });
    await sm.lock('k');
    const next = await sm.lock('k', { timeoutMs: 5_000 });
    await next.release();
    await sm.close();
  });

  it('uses the configured default lock timeout when a lock gives none', async () => {
    const sm = new LocalStateManager({ lockTimeoutMs: 20 });
    await sm.lock('k');
    await assert.rejects(sm.lock('k'), ConflictError);
    await sm.close();
  });

  it('grants waiters in the order they asked', async () => {
    const sm = new LocalStateManager();
    const holder = await sm.lock('k');
    const order: number[] = [];
    const waiting = [1, 2, 3].map((i) => sm.lock('k').then(async (l) => {
      order.push(i);
      await l.release();
    }));
    await holder.release();
    await Promise.all(waiting);
    assert.deepEqual(order, [1, 2, 3]);
    await sm.close();
  });

  it('expires keys on the injected clock', async () => {
    let nowMs = 1_000;
    const sm = new LocalStateManager({ nowMs: () => nowMs });
    await sm.set('k', 'v', { ttlMs: 500 });
    nowMs = 1_499;
    assert.equal(await sm.get('k'), 'v');
    nowMs = 1_500;
    assert.equal(await sm.get('k'), undefined);
    await sm.close();
  });

  it('rejects pending lock calls and later calls once closed', async () => {
    const sm = new LocalStateManager();
    await sm.lock('k');
    const waiting = sm.lock('k', { timeoutMs: 60_000 });
    await sm.close();
    await assert.rejects(waiting, UnavailableError);
    await assert.rejects(sm.get('k'), UnavailableError);
    await assert.rejects(sm.lock('other'), UnavailableError);
    await sm.close();
  });

  describe('registry', () => {
    it('creates a local state manager for type local', async () => {
      const sm = await createStateManager({ type: 'local' });
      assert.ok(sm instanceof LocalStateManager);
      await sm.close();
    });

    it('rejects an unknown type with an INVALID error listing the known types', async () => {
      const err = await createStateManager({ type: 'zookeeper' } as unknown as StateManagerConfig).catch((e: unknown) => e);
      assert.ok(err instanceof AccioError);
      assert.equal(err.code, 'INVALID');
      assert.match(err.message, /zookeeper/);
      assert.match(err.message, /local/);
    });
  });
});
