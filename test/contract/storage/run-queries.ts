/**
 * Storage contract: listing and searching runs (`listRuns`, `listActiveRunIds`). Every listing is
 * scoped to an owner, tag or word of its own test, so a storage shared between tests still passes.
 */
import assert from 'node:assert/strict';
import { Run, RunStatus } from '../../../src/core/run';
import { aRun, randomId, RunOverrides } from '../../support/builders';
import { ContractCapabilities, MakeStorage, uniqueWord, useStorage } from './context';

const ids = (runs: Run[]): string[] => runs.map((r) => r.id);

export function runQueryContract(makeStorage: MakeStorage, capabilities?: ContractCapabilities): void {
  describe('run queries', () => {
    const fx = useStorage(makeStorage, capabilities);

    /** Saves runs of one fresh owner, created one second apart in the order given. */
    async function saveRunsOf(owner: string, overrides: RunOverrides[]): Promise<Run[]> {
      const runs = overrides.map((o, i) => aRun({ owner, createdAtMs: 1_000_000 + i * 1000, ...o }));
      await fx.storage.saveRuns(runs);
      return runs;
    }

    it('lists runs newest first, then by id descending at equal creation times', async () => {
      const owner = uniqueWord('owner');
      const [old, mid, newest] = await saveRunsOf(owner, [{}, {}, {}]);
      const tieA = aRun({ owner, createdAtMs: mid.createdAtMs, id: `0${randomId().slice(1)}` });
      const tieB = aRun({ owner, createdAtMs: mid.createdAtMs, id: `f${randomId().slice(1)}` });
      await fx.storage.saveRuns([tieA, tieB]);
      const page = await fx.storage.listRuns({ owner });
      const tied = [mid, tieA, tieB].sort((a, b) => (a.id < b.id ? 1 : -1));
      assert.deepEqual(ids(page.results), ids([newest, ...tied, old]));
      assert.equal(page.total, 5);
    });

    it('lists only top-level runs (sweep parents and single runs) when no parent is given', async () => {
      const owner = uniqueWord('owner');
      const [parent, single] = await saveRunsOf(owner, [{ state: { nodes: [] } }, {}]);
      await saveRunsOf(owner, [{ parent: parent.id }, { parent: parent.id }]);
      const page = await fx.storage.listRuns({ owner });
      assert.deepEqual(ids(page.results), [single.id, parent.id]);
      assert.equal(page.total, 2);
    });

    it('lists the children of a parent newest first when the parent is given', async () => {
      const owner = uniqueWord('owner');
      const [parent, otherParent] = await saveRunsOf(owner, [{ state: { nodes: [] } }, { state: { nodes: [] } }]);
      const children = await saveRunsOf(owner, [{ parent: parent.id }, { parent: parent.id }, { parent: parent.id }]);
      await saveRunsOf(owner, [{ parent: otherParent.id }]);
      const page = await fx.storage.listRuns({ parent: parent.id });
      assert.deepEqual(ids(page.results), ids(children).reverse());
      assert.equal(page.total, 3);
    });

    it('filters by owner', async () => {
      const owner = uniqueWord('owner');
      const mine = await saveRunsOf(owner, [{}, {}]);
      await saveRunsOf(uniqueWord('owner'), [{}]);
      assert.deepEqual(ids((await fx.storage.listRuns({ owner })).results), ids(mine).reverse());
    });

    it('filters by a case-insensitive substring of the name', async () => {
      const owner = uniqueWord('owner');
      const word = uniqueWord('name');
      const [match] = await saveRunsOf(owner, [{ name: `Sweep ${word.toUpperCase()} #1` }, { name: 'other' }, { name: undefined }]);
      const page = await fx.storage.listRuns({ owner, name: word.slice(3, 12) });
      assert.deepEqual(ids(page.results), [match.id]);
      assert.equal(page.total, 1);
    });

    it('filters by workflow id', async () => {
      const owner = uniqueWord('owner');
      const workflowId = uniqueWord('wf');
      const [a, , c] = await saveRunsOf(owner, [
        { workflow: { id: workflowId, version: '1' } },
        {},
        { workflow: { id: workflowId, version: '2' } },
      ]);
      assert.deepEqual(ids((await fx.storage.listRuns({ owner, workflowId })).results), [c.id, a.id]);
    });

    it('filters by a set of statuses', async () => {
      const owner = uniqueWord('owner');
      const statuses: RunStatus[] = ['SCHEDULED', 'RUNNING', 'SUCCESS', 'FAILED', 'KILLED'];
      const runs = await saveRunsOf(owner, statuses.map((status) => ({ state: { status } })));
      const page = await fx.storage.listRuns({ owner, status: ['SUCCESS', 'KILLED'] });
      assert.deepEqual(ids(page.results), [runs[4].id, runs[2].id]);
      assert.equal(page.total, 2);
      assert.deepEqual(ids((await fx.storage.listRuns({ owner, status: ['RUNNING'] })).results), [runs[1].id]);
    });

    it('filters by tags, keeping runs that carry every tag asked', async () => {
      const owner = uniqueWord('owner');
      const [t1, t2, t3] = [uniqueWord('tag'), uniqueWord('tag'), uniqueWord('tag')];
      const [both, , all] = await saveRunsOf(owner, [{ tags: [t1, t2] }, { tags: [t1] }, { tags: [t3, t2, t1] }, { tags: [t2, t3] }]);
      assert.deepEqual(ids((await fx.storage.listRuns({ owner, tags: [t1, t2] })).results), [all.id, both.id]);
      assert.equal((await fx.storage.listRuns({ tags: [t1] })).total, 3);
      assert.deepEqual(ids((await fx.storage.listRuns({ tags: [t3, uniqueWord('tag')] })).results), []);
    });

    it('finds runs by their new tags after an update, and no longer by their old ones', async () => {
      const owner = uniqueWord('owner');
      const [before, after] = [uniqueWord('tag'), uniqueWord('tag')];
      const [run] = await saveRunsOf(owner, [{ tags: [before] }]);
      await fx.storage.saveRun({ ...run, tags: [after] });
      assert.deepEqual(ids((await fx.storage.listRuns({ tags: [after] })).results), [run.id]);
      assert.deepEqual(ids((await fx.storage.listRuns({ tags: [before] })).results), []);
      assert.deepEqual(ids((await fx.storage.listRuns({ owner, q: after })).results), [run.id]);
    });

    it('combines filters, including with a parent', async () => {
      const owner = uniqueWord('owner');
      const tag = uniqueWord('tag');
      const [parent] = await saveRunsOf(owner, [{ state: { nodes: [] }, tags: [tag] }]);
      const children = await saveRunsOf(owner, [
        { parent: parent.id, tags: [tag], state: { status: 'FAILED' } },
        { parent: parent.id, tags: [tag], state: { status: 'SUCCESS' } },
        { parent: parent.id, state: { status: 'FAILED' } },
      ]);
      const page = await fx.storage.listRuns({ parent: parent.id, status: ['FAILED'], tags: [tag], owner });
      assert.deepEqual(ids(page.results), [children[0].id]);
      assert.equal(page.total, 1);
    });

    it('finds runs by free text over name, tags, notes, workflow id, id and owner, case-insensitively', async () => {
      const owner = uniqueWord('owner');
      const words = { name: uniqueWord('name'), tag: uniqueWord('tag'), notes: uniqueWord('notes'), wf: uniqueWord('wf') };
      const [byName, byTag, byNotes, byWorkflow, byId] = await saveRunsOf(owner, [
        { name: `sweep ${words.name} one` },
        { tags: ['x', words.tag] },
        { notes: `Tried it.\nThen ${words.notes} again.` },
        { workflow: { id: words.wf, version: '1' } },
        {},
      ]);
      const find = async (q: string) => ids((await fx.storage.listRuns({ owner, q })).results);
      assert.deepEqual(await find(words.name.toUpperCase()), [byName.id]);
      assert.deepEqual(await find(words.tag), [byTag.id]);
      assert.deepEqual(await find(words.notes), [byNotes.id]);
      assert.deepEqual(await find(words.wf), [byWorkflow.id]);
      assert.deepEqual(await find(byId.id), [byId.id]);
      assert.equal((await fx.storage.listRuns({ q: owner })).total, 5);
      assert.deepEqual(await find(uniqueWord('nothing')), []);
    });

    it('matches free text on part of a word unless the storage searches whole words', async function () {
      if (fx.capabilities.wordSearch) this.skip();
      const owner = uniqueWord('owner');
      const word = uniqueWord('w');
      const [run] = await saveRunsOf(owner, [{ notes: `pre${word}post` }, {}]);
      assert.deepEqual(ids((await fx.storage.listRuns({ owner, q: word.slice(2, 10).toUpperCase() })).results), [run.id]);
    });

    it('pages with limit and offset in newest-first order, counting every match in total', async () => {
      const owner = uniqueWord('owner');
      const runs = await saveRunsOf(owner, Array.from({ length: 7 }, () => ({})));
      const pages = [];
      for (const offset of [0, 3, 6]) pages.push(await fx.storage.listRuns({ owner, limit: 3, offset }));
      assert.deepEqual(pages.map((p) => p.total), [7, 7, 7]);
      assert.deepEqual(pages.map((p) => p.results.length), [3, 3, 1]);
      assert.deepEqual(pages.flatMap((p) => ids(p.results)), ids(runs).reverse());
      assert.deepEqual(await fx.storage.listRuns({ owner, offset: 7 }), { results: [], total: 7 });
    });

    it('lists 25 runs when no limit is given', async () => {
      const owner = uniqueWord('owner');
      await saveRunsOf(owner, Array.from({ length: 26 }, () => ({})));
      const page = await fx.storage.listRuns({ owner });
      assert.equal(page.results.length, 25);
      assert.equal(page.total, 26);
    });

    it('lists runs without node results but with everything else, node statuses included', async () => {
      const owner = uniqueWord('owner');
      const [run] = await saveRunsOf(owner, [{ notes: 'n', tags: ['t'], state: { childCounts: { RUNNING: 1 } } }]);
      const [listed] = (await fx.storage.listRuns({ owner })).results;
      const expected = structuredClone(run);
      for (const node of expected.state.nodes) delete node.result;
      assert.deepEqual(listed, expected);
      assert.equal(listed.state.nodes[0].status, 'SUCCESS');
      assert.ok((await fx.storage.getRun(run.id))?.state.nodes[0].result, 'the stored run keeps its results');
    });

    it('no longer lists a deleted run', async () => {
      const owner = uniqueWord('owner');
      const [gone, kept] = await saveRunsOf(owner, [{}, {}]);
      await fx.storage.deleteRun(gone.id);
      const page = await fx.storage.listRuns({ owner });
      assert.deepEqual(ids(page.results), [kept.id]);
      assert.equal(page.total, 1);
    });

    it('lists the ids of active runs (SCHEDULED or RUNNING, parents included) and no terminal run', async () => {
      const owner = uniqueWord('owner');
      const [parent, scheduled, running, success, failed, killed] = await saveRunsOf(owner, [
        { state: { status: 'RUNNING', nodes: [] } },
        { state: { status: 'SCHEDULED' } },
        { state: { status: 'RUNNING' } },
        { state: { status: 'SUCCESS' } },
        { state: { status: 'FAILED' } },
        { state: { status: 'KILLED' } },
      ]);
      const child = aRun({ parent: parent.id, state: { status: 'RUNNING' } });
      await fx.storage.saveRun(child);

      const active = new Set(await fx.storage.listActiveRunIds());
      for (const r of [parent, scheduled, running, child]) assert.ok(active.has(r.id), `${r.state.status} run is active`);
      for (const r of [success, failed, killed]) assert.ok(!active.has(r.id), `${r.state.status} run is not active`);
    });

    it('stops listing a run as active once it is saved terminal', async () => {
      const [run] = await saveRunsOf(uniqueWord('owner'), [{ state: { status: 'RUNNING' } }]);
      assert.ok((await fx.storage.listActiveRunIds()).includes(run.id));
      await fx.storage.saveRun({ ...run, state: { ...run.state, status: 'SUCCESS' } });
      assert.ok(!(await fx.storage.listActiveRunIds()).includes(run.id));
    });
  });
}
