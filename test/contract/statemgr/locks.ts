/** Contract: per-key locks with a wait timeout and a lease. */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { ConflictError } from '../../../src/core/errors';
import { Lock, StateManagerCapabilities, withLock } from '../../../src/plugins/statemgr/statemgr';
import { contractTimings, MakeStateManager, randomPrefix, useStateManager } from './harness';

/** Resolves once pending promise callbacks and I/O callbacks have run, without waiting on a clock. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether `promise` has settled after a few turns of the event loop. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 5; i++) await settle();
  return settled;
}

export function lockContract(make: MakeStateManager, capabilities: StateManagerCapabilities): void {
  const { shortMs, deadlineMs } = contractTimings(capabilities);

  describe('locks', function () {
    this.timeout(deadlineMs * 3);
    const sm = useStateManager(make);

    it('runs concurrent withLock sections on one key one at a time', async () => {
      const key = `${randomPrefix()}counter`;
      let counter = 0;
      let active = 0;
      let maxActive = 0;
      const n = 10;
      await Promise.all(Array.from({ length: n }, () => withLock(sm(), key, async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        const read = counter;
        // A real suspension inside the section: without the lock, the increments would interleave.
        await delay(1);
        counter = read + 1;
        active--;
      }, { timeoutMs: deadlineMs })));
      assert.equal(counter, n);
      assert.equal(maxActive, 1);
    });

    it('makes a second lock wait until the holder releases, then grants it', async () => {
      const key = `${randomPrefix()}k`;
      const first = await sm().lock(key);
      const second = sm().lock(key, { timeoutMs: deadlineMs });
      assert.equal(await isSettled(second), false, 'the second lock was granted while the first was held');
      await first.release();
      const lock = await second;
      assert.equal(lock.key, key);
      await lock.release();
    });

    it('rejects a lock with a ConflictError naming the key once timeoutMs has passed', async () => {
      const key = `${randomPrefix()}busy`;
      const holder = await sm().lock(key);
      const started = Date.now();
      const err = await sm().lock(key, { timeoutMs: shortMs }).then(() => undefined, (e: unknown) => e);
      const waitedMs = Date.now() - started;
      assert.ok(err instanceof ConflictError, `expected a ConflictError, got ${String(err)}`);
      assert.ok(err.message.includes(key), `the message should name the key: ${err.message}`);
      // Timers may fire a little early on some platforms; the margin keeps the test honest but not flaky.
      assert.ok(waitedMs >= shortMs * 0.9, `rejected after ${waitedMs} ms, before the ${shortMs} ms timeout`);
      await holder.release();
    });

    it('lets a waiter that timed out take no part in later grants', async () => {
      const key = `${randomPrefix()}k`;
      const holder = await sm().lock(key);
      await assert.rejects(sm().lock(key, { timeoutMs: shortMs }), ConflictError);
      await holder.release();
      const next = await sm().tryLock(key);
      assert.ok(next, 'the key should be free once its holder released it');
      await next.release();
    });

    it('resolves tryLock with undefined while the key is held, and with a lock once it is free', async () => {
      const key = `${randomPrefix()}k`;
      const holder = await sm().lock(key);
      assert.equal(await sm().tryLock(key), undefined);
      await holder.release();
      const lock = await sm().tryLock(key);
      assert.ok(lock);
      assert.equal(lock.key, key);
      await lock.release();
    });

    it('treats a second release as harmless, even once another holder has the key', async () => {
      const key = `${randomPrefix()}k`;
      const first = await sm().lock(key);
      await first.release();
      await first.release();
      const second = await sm().lock(key, { timeoutMs: deadlineMs });
      await first.release();
      assert.equal(await sm().tryLock(key), undefined, 'a stale release freed the current holder');
      await second.release();
    });

    it('keeps locks on different keys independent', async () => {
      const prefix = randomPrefix();
      const a = await sm().lock(`${prefix}a`);
      const b = await sm().tryLock(`${prefix}b`);
      assert.ok(b, 'a lock on one key blocked another key');
      await a.release();
      await b.release();
    });

    it('does not treat a key as locked because a key it prefixes is', async () => {
      const prefix = randomPrefix();
      const long = await sm().lock(`${prefix}ab`);
      const short = await sm().tryLock(`${prefix}a`);
      assert.ok(short);
      await short.release();
      await long.release();
    });

    it('frees a lock that is not released within its lease', async () => {
      const key = `${randomPrefix()}crashed`;
      await sm().lock(key, { leaseMs: shortMs });
      assert.equal(await sm().tryLock(key), undefined, 'the lease ended at once');
      const next = await sm().lock(key, { timeoutMs: deadlineMs });
      await next.release();
    });

    it('ignores the release of a lock whose lease expired after another caller took the key', async () => {
      const key = `${randomPrefix()}k`;
      const expired: Lock = await sm().lock(key, { leaseMs: shortMs });
      const current = await sm().lock(key, { timeoutMs: deadlineMs });
      await expired.release();
      assert.equal(await sm().tryLock(key), undefined, 'the expired holder released the current one');
      await current.release();
    });

    it('holds a lock taken with tryLock until it is released or its lease ends', async () => {
      const key = `${randomPrefix()}k`;
      const lock = await sm().tryLock(key, { leaseMs: shortMs });
      assert.ok(lock);
      assert.equal(await sm().tryLock(key), undefined);
      const next = await sm().lock(key, { timeoutMs: deadlineMs });
      await next.release();
    });
  });
}
