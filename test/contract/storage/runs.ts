/**
 * Storage contract: saving, reading and deleting runs by id.
 */
import assert from 'node:assert/strict';
import { aLogLine, aRun, aTask, randomId } from '../../support/builders';
import { ContractCapabilities, MakeStorage, useStorage } from './context';

export function runContract(makeStorage: MakeStorage, capabilities?: ContractCapabilities): void {
  describe('runs', () => {
    const fx = useStorage(makeStorage, capabilities);

    it('returns a saved run equal to what was saved, node results included', async () => {
      const run = aRun({ notes: 'some notes', tags: ['a', 'b'], parent: randomId() });
      await fx.storage.saveRun(run);
      const got = await fx.storage.getRun(run.id);
      assert.deepEqual(got, run);
      assert.ok(got?.state.nodes[0].result);
    });

    it('returns undefined for an unknown run', async () => {
      assert.equal(await fx.storage.getRun(randomId()), undefined);
    });

    it('overwrites a run saved again with the same id', async () => {
      const run = aRun();
      await fx.storage.saveRun(run);
      const updated = { ...run, name: 'renamed', tags: ['new'], state: { ...run.state, status: 'SUCCESS' as const, progress: 1 } };
      await fx.storage.saveRun(updated);
      assert.deepEqual(await fx.storage.getRun(run.id), updated);
    });

    it('saves many runs at once', async () => {
      const parent = aRun({ state: { nodes: [], childCounts: { SCHEDULED: 3 } } });
      const children = Array.from({ length: 3 }, () => aRun({ parent: parent.id }));
      parent.children = children.map((c) => c.id);
      await fx.storage.saveRuns([parent, ...children]);
      assert.deepEqual(await fx.storage.getRuns([parent.id, ...parent.children]), [parent, ...children]);
    });

    it('saving no runs at once is harmless', async () => {
      await fx.storage.saveRuns([]);
    });

    it('returns several runs in the order asked, skipping unknown ids', async () => {
      const [a, b, c] = [aRun(), aRun(), aRun()];
      await fx.storage.saveRuns([a, b, c]);
      const got = await fx.storage.getRuns([c.id, randomId(), a.id, b.id]);
      assert.deepEqual(got, [c, a, b]);
      assert.deepEqual(await fx.storage.getRuns([]), []);
    });

    it('deleting a run removes it, its tasks and its logs, and nothing of other runs', async () => {
      const run = aRun();
      const other = aRun();
      await fx.storage.saveRuns([run, other]);
      const task = aTask({ runId: run.id });
      const otherTask = aTask({ runId: other.id });
      await fx.storage.saveTask(task);
      await fx.storage.saveTask(otherTask);
      const otherLine = aLogLine({ runId: other.id });
      await fx.storage.appendLogs([aLogLine({ runId: run.id }), aLogLine({ runId: run.id, node: 'Score', stream: 'stderr' }), otherLine]);

      await fx.storage.deleteRun(run.id);

      assert.equal(await fx.storage.getRun(run.id), undefined);
      assert.equal(await fx.storage.getTask(task.id), undefined);
      assert.deepEqual(await fx.storage.listTasks(run.id), []);
      assert.deepEqual(await fx.storage.listLogs({ runId: run.id, node: 'Source' }), []);
      assert.deepEqual(await fx.storage.listLogs({ runId: run.id, node: 'Score' }), []);
      assert.deepEqual(await fx.storage.getRun(other.id), other);
      assert.deepEqual(await fx.storage.getTask(otherTask.id), otherTask);
      assert.deepEqual(await fx.storage.listLogs({ runId: other.id, node: 'Source' }), [otherLine]);
    });

    it('deleting a sweep parent leaves its children: the engine decides about them', async () => {
      const parent = aRun({ state: { nodes: [] } });
      const child = aRun({ parent: parent.id });
      parent.children = [child.id];
      await fx.storage.saveRuns([parent, child]);
      await fx.storage.deleteRun(parent.id);
      assert.equal(await fx.storage.getRun(parent.id), undefined);
      assert.deepEqual(await fx.storage.getRun(child.id), child);
    });

    it('deleting an unknown run is harmless', async () => {
      await fx.storage.deleteRun(randomId());
    });

    it('a deleted run can be saved again', async () => {
      const run = aRun({ tags: ['t'] });
      await fx.storage.saveRun(run);
      await fx.storage.deleteRun(run.id);
      await fx.storage.saveRun(run);
      assert.deepEqual(await fx.storage.getRun(run.id), run);
    });

    it('returns copies: changing a returned or saved run does not change what is stored', async () => {
      const run = aRun({ tags: ['a'] });
      const saved = structuredClone(run);
      await fx.storage.saveRun(saved);
      saved.tags.push('mutated-after-save');
      saved.state.nodes[0].status = 'FAILED';

      const got = await fx.storage.getRun(run.id);
      assert.ok(got);
      got.tags.push('mutated-after-get');
      got.state.nodes.length = 0;
      const [fromMany] = await fx.storage.getRuns([run.id]);
      fromMany.state.status = 'KILLED';

      assert.deepEqual(await fx.storage.getRun(run.id), run);
    });
  });
}
