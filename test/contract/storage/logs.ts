/**
 * Storage contract: log lines of a node, appended in batches and read oldest first.
 */
import assert from 'node:assert/strict';
import { aLogLine, randomId } from '../../support/builders';
import { ContractCapabilities, MakeStorage, useStorage } from './context';

export function logContract(makeStorage: MakeStorage, capabilities?: ContractCapabilities): void {
  describe('logs', () => {
    const fx = useStorage(makeStorage, capabilities);

    it('returns the lines of one run and node, oldest first, whatever the order they were appended in', async () => {
      const runId = randomId();
      const [l1, l2, l3] = [1_000, 2_000, 3_000].map((atMs) => aLogLine({ runId, atMs }));
      await fx.storage.appendLogs([l2]);
      await fx.storage.appendLogs([l3, l1]);
      await fx.storage.appendLogs([aLogLine({ runId, node: 'Score' }), aLogLine({ node: 'Source' })]);
      assert.deepEqual(await fx.storage.listLogs({ runId, node: 'Source' }), [l1, l2, l3]);
    });

    it('keeps the append order of lines with the same time', async () => {
      const runId = randomId();
      const lines = Array.from({ length: 20 }, (_, i) => aLogLine({ runId, atMs: 5_000, message: `line ${i}` }));
      await fx.storage.appendLogs(lines.slice(0, 10));
      await fx.storage.appendLogs(lines.slice(10));
      assert.deepEqual(await fx.storage.listLogs({ runId, node: 'Source' }), lines);
    });

    it('filters by stream', async () => {
      const runId = randomId();
      const out = aLogLine({ runId, atMs: 1_000, stream: 'stdout' });
      const err = aLogLine({ runId, atMs: 2_000, stream: 'stderr' });
      await fx.storage.appendLogs([out, err]);
      assert.deepEqual(await fx.storage.listLogs({ runId, node: 'Source', stream: 'stderr' }), [err]);
      assert.deepEqual(await fx.storage.listLogs({ runId, node: 'Source', stream: 'stdout' }), [out]);
    });

    it('returns only lines strictly after sinceMs', async () => {
      const runId = randomId();
      const lines = [1_000, 2_000, 2_000, 3_000].map((atMs) => aLogLine({ runId, atMs }));
      await fx.storage.appendLogs(lines);
      assert.deepEqual(await fx.storage.listLogs({ runId, node: 'Source', sinceMs: 2_000 }), [lines[3]]);
      assert.deepEqual(await fx.storage.listLogs({ runId, node: 'Source', sinceMs: 1_999 }), lines.slice(1));
    });

    it('returns the first `limit` lines, oldest first', async () => {
      const runId = randomId();
      const lines = Array.from({ length: 5 }, (_, i) => aLogLine({ runId, atMs: 1_000 + i }));
      await fx.storage.appendLogs([...lines].reverse());
      assert.deepEqual(await fx.storage.listLogs({ runId, node: 'Source', limit: 2 }), lines.slice(0, 2));
      assert.deepEqual(await fx.storage.listLogs({ runId, node: 'Source', sinceMs: 1_001, limit: 2 }), lines.slice(2, 4));
    });

    it('returns 1000 lines when no limit is given', async () => {
      const runId = randomId();
      const lines = Array.from({ length: 1001 }, (_, i) => aLogLine({ runId, atMs: 1_000 + i, message: `${i}` }));
      await fx.storage.appendLogs(lines);
      const got = await fx.storage.listLogs({ runId, node: 'Source' });
      assert.equal(got.length, 1000);
      assert.deepEqual(got[999], lines[999]);
    });

    it('returns nothing for a node without lines; appending no lines is harmless', async () => {
      await fx.storage.appendLogs([]);
      assert.deepEqual(await fx.storage.listLogs({ runId: randomId(), node: 'Source' }), []);
    });

    it('returns copies: changing a returned or appended line does not change what is stored', async () => {
      const line = aLogLine();
      const appended = { ...line };
      await fx.storage.appendLogs([appended]);
      appended.message = 'mutated after append';
      const [got] = await fx.storage.listLogs({ runId: line.runId, node: line.node });
      got.message = 'mutated after read';
      assert.deepEqual(await fx.storage.listLogs({ runId: line.runId, node: line.node }), [line]);
    });
  });
}
