/**
 * Storage contract: tasks, one per attempt of a node, saved, read, listed and deleted by id.
 */
import assert from 'node:assert/strict';
import { Task } from '../../../src/core/run';
import { aTask, randomId } from '../../support/builders';
import { ContractCapabilities, MakeStorage, useStorage } from './context';

const byId = (a: Task, b: Task): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function taskContract(makeStorage: MakeStorage, capabilities?: ContractCapabilities): void {
  describe('tasks', () => {
    const fx = useStorage(makeStorage, capabilities);

    it('returns a saved task equal to what was saved', async () => {
      const task = aTask();
      await fx.storage.saveTask(task);
      assert.deepEqual(await fx.storage.getTask(task.id), task);
    });

    it('returns undefined for an unknown task', async () => {
      assert.equal(await fx.storage.getTask(randomId()), undefined);
    });

    it('overwrites a task saved again with the same id', async () => {
      const task = aTask();
      await fx.storage.saveTask(task);
      const running: Task = { ...task, status: 'RUNNING', startedAtMs: task.createdAtMs + 5, heartbeatAtMs: task.createdAtMs + 10 };
      await fx.storage.saveTask(running);
      assert.deepEqual(await fx.storage.getTask(task.id), running);
    });

    it('deleting a task removes it; deleting an unknown task is harmless', async () => {
      const task = aTask();
      await fx.storage.saveTask(task);
      await fx.storage.deleteTask(task.id);
      assert.equal(await fx.storage.getTask(task.id), undefined);
      assert.deepEqual(await fx.storage.listTasks(task.runId), []);
      await fx.storage.deleteTask(randomId());
    });

    it('lists the tasks of one run', async () => {
      const runId = randomId();
      const mine = [aTask({ runId }), aTask({ runId, node: 'Score' })];
      const other = aTask();
      for (const t of [mine[0], other, mine[1]]) await fx.storage.saveTask(t);
      assert.deepEqual((await fx.storage.listTasks(runId)).sort(byId), [...mine].sort(byId));
      assert.deepEqual(await fx.storage.listTasks(randomId()), []);
    });

    it('lists every task when no run is given', async () => {
      const tasks = [aTask(), aTask(), aTask()];
      for (const t of tasks) await fx.storage.saveTask(t);
      const listed = new Map((await fx.storage.listTasks()).map((t) => [t.id, t]));
      for (const t of tasks) assert.deepEqual(listed.get(t.id), t);
    });

    it('returns copies: changing a returned task does not change what is stored', async () => {
      const task = aTask();
      await fx.storage.saveTask(task);
      const got = await fx.storage.getTask(task.id);
      assert.ok(got);
      got.payload.inputs.x = 1;
      const [listed] = await fx.storage.listTasks(task.runId);
      listed.status = 'RUNNING';
      assert.deepEqual(await fx.storage.getTask(task.id), task);
    });
  });
}
