import assert from 'node:assert/strict';
import { NodeState, NodeStatus, RunState } from '../../../src/core/run';
import { ChildSummary, deriveParentState, deriveRunStatus } from '../../../src/core/run-status';
import { initialRunState } from '../../../src/core/state-machine';
import { T0, deepFreeze } from './state-machine-fixtures';

function node(name: string, status: NodeStatus, extra: Partial<NodeState> = {}): NodeState {
  const started = status !== 'WAITING' && status !== 'SCHEDULED' && status !== 'CANCELLED';
  return { name, status, attempts: started ? 1 : 0, cacheHit: false, ...(started ? { startedAtMs: T0 } : {}), ...extra };
}

function runOf(nodes: NodeState[], over: Partial<RunState> = {}): RunState {
  return deepFreeze({ status: 'SCHEDULED', progress: 0, nodes, ...over });
}

describe('run status', () => {
  describe('deriveRunStatus', () => {
    it('keeps a run SCHEDULED while no node has started', () => {
      const s = runOf([node('A', 'SCHEDULED', { taskId: 't' }), node('B', 'WAITING')]);
      assert.equal(deriveRunStatus(s, T0), s);
    });

    it('makes a run RUNNING with its start time once a node has started', () => {
      const s = deriveRunStatus(runOf([node('A', 'RUNNING'), node('B', 'WAITING')]), T0 + 3);
      assert.equal(s.status, 'RUNNING');
      assert.equal(s.startedAtMs, T0 + 3);
      assert.equal(s.completedAtMs, undefined);
      assert.equal('completedAtMs' in s, false, 'absent times are absent keys');
    });

    it('keeps a RUNNING run RUNNING and its start time while a retried node waits', () => {
      const s = runOf([node('A', 'WAITING', { attempts: 1, retryAtMs: T0 + 10 })], { status: 'RUNNING', startedAtMs: T0 });
      assert.equal(deriveRunStatus(s, T0 + 5), s);
    });

    it('counts terminal nodes in progress', () => {
      const s = deriveRunStatus(runOf([node('A', 'SUCCESS'), node('B', 'CANCELLED'), node('C', 'RUNNING'), node('D', 'WAITING')]), T0);
      assert.equal(s.progress, 0.5);
    });

    it('ends SUCCESS when every node succeeded, at progress 1 with its completion time', () => {
      const s = deriveRunStatus(runOf([node('A', 'SUCCESS'), node('B', 'SUCCESS')]), T0 + 9);
      assert.deepEqual([s.status, s.progress, s.completedAtMs], ['SUCCESS', 1, T0 + 9]);
    });

    it('ends KILLED when any node was killed', () => {
      const s = deriveRunStatus(runOf([node('A', 'FAILED'), node('B', 'KILLED'), node('C', 'SUCCESS')]), T0);
      assert.equal(s.status, 'KILLED');
    });

    it('ends FAILED when every node finished, some not successfully and none killed', () => {
      const s = deriveRunStatus(runOf([node('A', 'LOST'), node('B', 'CANCELLED'), node('C', 'SUCCESS')]), T0);
      assert.equal(s.status, 'FAILED');
    });

    it('leaves a terminal run as it is', () => {
      const s = runOf([node('A', 'CANCELLED')], { status: 'KILLED', progress: 1, completedAtMs: T0 });
      assert.equal(deriveRunStatus(s, T0 + 100), s);
    });

    it('returns the same object when nothing changed', () => {
      const s = deriveRunStatus(runOf([node('A', 'RUNNING'), node('B', 'WAITING')]), T0);
      assert.equal(deriveRunStatus(s, T0 + 50), s);
    });
  });

  describe('deriveParentState', () => {
    const parent = (): RunState => deepFreeze(initialRunState([]));
    const child = (status: ChildSummary['status'], progress: number): ChildSummary => ({ status, progress });

    it('stays SCHEDULED with zero progress while every child is SCHEDULED', () => {
      const s = deriveParentState(parent(), [child('SCHEDULED', 0), child('SCHEDULED', 0)], T0);
      assert.equal(s.status, 'SCHEDULED');
      assert.equal(s.progress, 0);
      assert.equal(s.startedAtMs, undefined);
      assert.deepEqual(s.childCounts, { SCHEDULED: 2 });
    });

    it('becomes RUNNING with its start time once any child has started, progress being the mean of the children', () => {
      const s = deriveParentState(parent(), [child('RUNNING', 0.5), child('SCHEDULED', 0), child('SUCCESS', 1), child('SCHEDULED', 0)], T0 + 2);
      assert.equal(s.status, 'RUNNING');
      assert.equal(s.startedAtMs, T0 + 2);
      assert.equal(s.progress, 1.5 / 4);
      assert.deepEqual(s.childCounts, { SCHEDULED: 2, RUNNING: 1, SUCCESS: 1 });
    });

    it('ends SUCCESS when every child succeeded, with its completion time', () => {
      const started = deriveParentState(parent(), [child('RUNNING', 0.5), child('SUCCESS', 1)], T0);
      const s = deriveParentState(started, [child('SUCCESS', 1), child('SUCCESS', 1)], T0 + 8);
      assert.deepEqual([s.status, s.progress, s.startedAtMs, s.completedAtMs], ['SUCCESS', 1, T0, T0 + 8]);
      assert.deepEqual(s.childCounts, { SUCCESS: 2 });
    });

    it('ends KILLED when every child finished and any was killed', () => {
      const s = deriveParentState(parent(), [child('SUCCESS', 1), child('KILLED', 1), child('FAILED', 1)], T0);
      assert.equal(s.status, 'KILLED');
    });

    it('ends FAILED when every child finished, some failed and none was killed', () => {
      const s = deriveParentState(parent(), [child('SUCCESS', 1), child('FAILED', 1)], T0);
      assert.equal(s.status, 'FAILED');
    });

    it('keeps the completion time of a parent that already ended', () => {
      const done = deriveParentState(parent(), [child('SUCCESS', 1)], T0);
      const again = deriveParentState(done, [child('SUCCESS', 1)], T0 + 100);
      assert.equal(again, done);
      assert.equal(again.completedAtMs, T0);
    });

    it('returns the same object when nothing changed', () => {
      const s = deriveParentState(parent(), [child('RUNNING', 0.25), child('SCHEDULED', 0)], T0);
      assert.equal(deriveParentState(s, [child('RUNNING', 0.25), child('SCHEDULED', 0)], T0 + 5), s);
      assert.notEqual(deriveParentState(s, [child('RUNNING', 0.5), child('SCHEDULED', 0)], T0 + 5), s);
    });

    it('does not go back to SCHEDULED once RUNNING', () => {
      const s = deriveParentState(parent(), [child('RUNNING', 0)], T0);
      assert.equal(deriveParentState(s, [child('SCHEDULED', 0)], T0 + 1).status, 'RUNNING');
    });
  });
});
