/**
 * Storage contract: workflow versions, the active version, and the workflow listing.
 */
import assert from 'node:assert/strict';
import { aWorkflow } from '../../support/builders';
import { ContractCapabilities, MakeStorage, uniqueWord, useStorage } from './context';

export function workflowContract(makeStorage: MakeStorage, capabilities?: ContractCapabilities): void {
  describe('workflows', () => {
    const fx = useStorage(makeStorage, capabilities);

    it('returns a saved workflow equal to what was saved, by version and as the active one', async () => {
      const wf = aWorkflow();
      await fx.storage.saveWorkflow(wf);
      assert.deepEqual(await fx.storage.getWorkflow(wf.id, wf.version), wf);
      assert.deepEqual(await fx.storage.getWorkflow(wf.id), wf);
    });

    it('returns undefined for an unknown workflow or version', async () => {
      const wf = aWorkflow();
      await fx.storage.saveWorkflow(wf);
      assert.equal(await fx.storage.getWorkflow(uniqueWord('wf')), undefined);
      assert.equal(await fx.storage.getWorkflow(wf.id, 'f'.repeat(64)), undefined);
    });

    it('keeps old versions and makes only the newest active version the active one', async () => {
      const v1 = aWorkflow({ createdAtMs: 1_000 });
      const v2 = aWorkflow({ id: v1.id, createdAtMs: 2_000, graph: [] });
      await fx.storage.saveWorkflow(v1);
      await fx.storage.saveWorkflow(v2);

      assert.deepEqual(await fx.storage.getWorkflow(v1.id), v2);
      assert.deepEqual(await fx.storage.getWorkflow(v1.id, v1.version), { ...v1, active: false });
      assert.deepEqual(await fx.storage.getWorkflow(v1.id, v2.version), v2);
    });

    it('lists every version of a workflow newest first, and nothing for an unknown id', async () => {
      const v1 = aWorkflow({ createdAtMs: 1_000 });
      const v2 = aWorkflow({ id: v1.id, createdAtMs: 2_000 });
      const v3 = aWorkflow({ id: v1.id, createdAtMs: 3_000 });
      const other = aWorkflow();
      for (const w of [v2, v1, v3, other]) await fx.storage.saveWorkflow(w);

      const versions = await fx.storage.listWorkflowVersions(v1.id);
      assert.deepEqual(versions.map((w) => w.version), [v3.version, v2.version, v1.version]);
      assert.deepEqual(versions.map((w) => w.active), [true, false, false]);
      assert.deepEqual(await fx.storage.listWorkflowVersions(uniqueWord('wf')), []);
    });

    it('saving an inactive version leaves the active version active', async () => {
      const active = aWorkflow({ createdAtMs: 1_000 });
      const inactive = aWorkflow({ id: active.id, createdAtMs: 2_000, active: false });
      await fx.storage.saveWorkflow(active);
      await fx.storage.saveWorkflow(inactive);
      assert.equal((await fx.storage.getWorkflow(active.id))?.version, active.version);
    });

    it('saving an old version again as active makes it the active one', async () => {
      const v1 = aWorkflow({ createdAtMs: 1_000 });
      const v2 = aWorkflow({ id: v1.id, createdAtMs: 2_000 });
      await fx.storage.saveWorkflow(v1);
      await fx.storage.saveWorkflow(v2);
      await fx.storage.saveWorkflow(v1);
      assert.equal((await fx.storage.getWorkflow(v1.id))?.version, v1.version);
      assert.equal((await fx.storage.getWorkflow(v1.id, v2.version))?.active, false);
      assert.equal((await fx.storage.listWorkflowVersions(v1.id)).length, 2);
    });

    it('lists only active versions, ordered by id, filtered by owner', async () => {
      const owner = uniqueWord('owner');
      const b = aWorkflow({ id: `b_${uniqueWord()}`, owner, createdAtMs: 1_000 });
      const bNew = aWorkflow({ id: b.id, owner, createdAtMs: 2_000 });
      const a = aWorkflow({ id: `a_${uniqueWord()}`, owner });
      const someoneElse = aWorkflow({ owner: uniqueWord('owner') });
      for (const w of [b, bNew, a, someoneElse]) await fx.storage.saveWorkflow(w);

      const page = await fx.storage.listWorkflows({ owner });
      assert.deepEqual(page.results, [a, bNew]);
      assert.equal(page.total, 2);
    });

    it('filters workflows by a case-insensitive substring of the name', async () => {
      const owner = uniqueWord('owner');
      const word = uniqueWord('name');
      const match = aWorkflow({ owner, name: `Trace ${word.toUpperCase()}x analysis` });
      const other = aWorkflow({ owner, name: 'Unrelated' });
      const unnamed = aWorkflow({ owner, name: undefined });
      for (const w of [match, other, unnamed]) await fx.storage.saveWorkflow(w);

      const page = await fx.storage.listWorkflows({ owner, name: word.slice(2) });
      assert.deepEqual(page.results.map((w) => w.id), [match.id]);
      assert.equal(page.total, 1);
    });

    it('finds workflows by free text over id, name and owner, case-insensitively', async () => {
      const owner = uniqueWord('owner');
      const nameWord = uniqueWord('name');
      const byName = aWorkflow({ owner, name: `Big ${nameWord} study` });
      const byId = aWorkflow({ owner });
      const byOwner = aWorkflow({ owner: uniqueWord('owner') });
      for (const w of [byName, byId, byOwner]) await fx.storage.saveWorkflow(w);

      assert.deepEqual((await fx.storage.listWorkflows({ owner, q: nameWord.toUpperCase() })).results.map((w) => w.id), [byName.id]);
      assert.deepEqual((await fx.storage.listWorkflows({ owner, q: byId.id })).results.map((w) => w.id), [byId.id]);
      assert.deepEqual((await fx.storage.listWorkflows({ q: byOwner.owner })).results.map((w) => w.id), [byOwner.id]);
    });

    it('matches free text on part of a word unless the storage searches whole words', async function () {
      if (fx.capabilities.wordSearch) this.skip();
      const owner = uniqueWord('owner');
      const word = uniqueWord('name');
      const wf = aWorkflow({ owner, name: `prefix${word}suffix` });
      await fx.storage.saveWorkflow(wf);
      assert.deepEqual((await fx.storage.listWorkflows({ owner, q: word })).results.map((w) => w.id), [wf.id]);
    });

    it('pages workflows with limit and offset, counting every match in total', async () => {
      const owner = uniqueWord('owner');
      const all = Array.from({ length: 5 }, (_, i) => aWorkflow({ id: `w${i}_${uniqueWord()}`, owner }));
      for (const w of all) await fx.storage.saveWorkflow(w);
      const pages = [
        await fx.storage.listWorkflows({ owner, limit: 2, offset: 0 }),
        await fx.storage.listWorkflows({ owner, limit: 2, offset: 2 }),
        await fx.storage.listWorkflows({ owner, limit: 2, offset: 4 }),
      ];
      assert.deepEqual(pages.map((p) => p.total), [5, 5, 5]);
      assert.deepEqual(pages.map((p) => p.results.length), [2, 2, 1]);
      assert.deepEqual(pages.flatMap((p) => p.results.map((w) => w.id)), all.map((w) => w.id));
      assert.deepEqual(await fx.storage.listWorkflows({ owner, offset: 5 }), { results: [], total: 5 });
    });

    it('lists 25 workflows when no limit is given', async () => {
      const owner = uniqueWord('owner');
      for (let i = 0; i < 26; i++) await fx.storage.saveWorkflow(aWorkflow({ owner }));
      const page = await fx.storage.listWorkflows({ owner });
      assert.equal(page.results.length, 25);
      assert.equal(page.total, 26);
    });

    it('returns copies: changing a returned or saved workflow does not change what is stored', async () => {
      const wf = aWorkflow();
      const saved = structuredClone(wf);
      await fx.storage.saveWorkflow(saved);
      saved.graph.length = 0;
      const got = await fx.storage.getWorkflow(wf.id);
      assert.ok(got);
      got.params.length = 0;
      assert.deepEqual(await fx.storage.getWorkflow(wf.id), wf);
    });
  });
}
