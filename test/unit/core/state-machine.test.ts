import assert from 'node:assert/strict';
import { NotFoundError } from '../../../src/core/errors';
import { compileRetryPolicy } from '../../../src/core/retry-policy';
import { applyEvent, initialRunState, nextRetryAtMs, readyNodes, RunEvent } from '../../../src/core/state-machine';
import { Runner, T0, dagOf, deepFreeze, resultOf } from './state-machine-fixtures';

const failure = { classifier: 'ValueError', message: 'bad input' };

/** A → B → C, plus D alone. */
const chainAndSingle = () => dagOf({ A: [], B: ['A'], C: ['B'], D: [] });
/** A and B both feed C (fan-in). */
const fanIn = () => dagOf({ A: [], B: [], C: ['A', 'B'] });

describe('run state machine', () => {
  describe('initialRunState', () => {
    it('puts every node WAITING with no attempt, in the given order, and the run SCHEDULED at progress 0', () => {
      const state = initialRunState(['X', 'Y']);
      assert.deepEqual(state, {
        status: 'SCHEDULED',
        progress: 0,
        nodes: [
          { name: 'X', status: 'WAITING', attempts: 0, cacheHit: false },
          { name: 'Y', status: 'WAITING', attempts: 0, cacheHit: false },
        ],
      });
    });
  });

  describe('readyNodes', () => {
    it('returns the roots of a fresh run in graph order', () => {
      const r = new Runner(chainAndSingle());
      assert.deepEqual(readyNodes(r.state, r.dag, T0), ['A', 'D']);
    });

    it('returns a node only once all its predecessors succeeded', () => {
      const r = new Runner(fanIn());
      r.succeed('A');
      assert.deepEqual(readyNodes(r.state, r.dag, T0), ['B']);
      r.succeed('B');
      assert.deepEqual(readyNodes(r.state, r.dag, T0), ['C']);
    });

    it('holds back a node waiting for a retry until its retry time', () => {
      const r = new Runner(dagOf({ A: [] }));
      const taskId = r.start('A');
      r.must({ kind: 'lost', atMs: T0, node: 'A', taskId });
      assert.deepEqual(readyNodes(r.state, r.dag, T0 + 999), []);
      assert.deepEqual(readyNodes(r.state, r.dag, T0 + 1000), ['A']);
    });

    it('returns nothing once the run is terminal', () => {
      const r = new Runner(chainAndSingle());
      r.must({ kind: 'killed', atMs: T0 });
      assert.deepEqual(readyNodes(r.state, r.dag, T0), []);
    });
  });

  describe('scheduled', () => {
    it('moves a ready node to SCHEDULED with one more attempt and its task id, the run staying SCHEDULED', () => {
      const r = new Runner(chainAndSingle());
      const t = r.must({ kind: 'scheduled', atMs: T0, node: 'A', taskId: 't1' });
      assert.deepEqual(r.node('A'), { name: 'A', status: 'SCHEDULED', attempts: 1, cacheHit: false, taskId: 't1' });
      assert.equal(t.state.status, 'SCHEDULED');
      assert.deepEqual(t.ready, []);
    });

    it('does not schedule a node whose predecessor has not succeeded', () => {
      const r = new Runner(chainAndSingle());
      const t = r.apply({ kind: 'scheduled', atMs: T0, node: 'B', taskId: 't1' });
      assert.equal(t.changed, false);
      assert.equal(r.node('B').status, 'WAITING');
    });

    it('does not schedule a node before its retry time', () => {
      const r = new Runner(dagOf({ A: [] }));
      const taskId = r.start('A');
      r.must({ kind: 'lost', atMs: T0, node: 'A', taskId });
      assert.equal(r.apply({ kind: 'scheduled', atMs: T0 + 10, node: 'A', taskId: 'A-2' }).changed, false);
      r.must({ kind: 'scheduled', atMs: T0 + 1000, node: 'A', taskId: 'A-2' });
      assert.equal(r.node('A').retryAtMs, undefined, 'a scheduled node no longer waits for a retry');
    });
  });

  describe('started', () => {
    it('moves a SCHEDULED node to RUNNING, and the run to RUNNING with its start time', () => {
      const r = new Runner(chainAndSingle());
      r.schedule('A', T0);
      const t = r.must({ kind: 'started', atMs: T0 + 5, node: 'A', taskId: 'A-1' });
      assert.equal(r.node('A').status, 'RUNNING');
      assert.equal(r.node('A').startedAtMs, T0 + 5);
      assert.equal(t.state.status, 'RUNNING');
      assert.equal(t.state.startedAtMs, T0 + 5);
    });
  });

  describe('succeeded', () => {
    it('ends the node SUCCESS with its result and cache key and clears its task', () => {
      const r = new Runner(chainAndSingle());
      const taskId = r.start('A', T0);
      r.must({ kind: 'succeeded', atMs: T0 + 7, node: 'A', taskId, result: resultOf('A'), cacheKey: 'k' });
      assert.deepEqual(r.node('A'), {
        name: 'A', status: 'SUCCESS', attempts: 1, startedAtMs: T0, completedAtMs: T0 + 7, cacheKey: 'k', cacheHit: false, result: resultOf('A'),
      });
    });

    it('returns the successors that became ready', () => {
      const r = new Runner(dagOf({ A: [], B: ['A'], C: ['A'], D: [] }));
      const t = r.succeed('A');
      assert.deepEqual(t.ready, ['B', 'C']);
    });

    it('does not return a successor while another of its predecessors is unfinished', () => {
      const r = new Runner(fanIn());
      r.start('B');
      assert.deepEqual(r.succeed('A').ready, []);
      const t = r.must({ kind: 'succeeded', atMs: T0, node: 'B', taskId: 'B-1', result: resultOf('B'), cacheKey: 'kb' });
      assert.deepEqual(t.ready, ['C']);
    });

    it('accepts a success whose start was never recorded, taking the completion as start time', () => {
      const r = new Runner(dagOf({ A: [] }));
      r.schedule('A', T0);
      r.must({ kind: 'succeeded', atMs: T0 + 3, node: 'A', taskId: 'A-1', result: resultOf('A'), cacheKey: 'k' });
      assert.equal(r.node('A').status, 'SUCCESS');
      assert.equal(r.node('A').startedAtMs, T0 + 3);
      assert.equal(r.state.startedAtMs, T0 + 3);
    });

    it('completes the run SUCCESS at progress 1 with its completion time when the last node succeeds', () => {
      const r = new Runner(dagOf({ A: [], B: ['A'] }));
      r.succeed('A', T0);
      assert.equal(r.state.progress, 0.5);
      assert.equal(r.state.status, 'RUNNING');
      r.succeed('B', T0 + 20);
      assert.equal(r.state.status, 'SUCCESS');
      assert.equal(r.state.progress, 1);
      assert.equal(r.state.startedAtMs, T0);
      assert.equal(r.state.completedAtMs, T0 + 20);
    });

    it('clears the error of an earlier attempt once the node succeeds', () => {
      const r = new Runner(dagOf({ A: [] }));
      r.must({ kind: 'lost', atMs: T0, node: 'A', taskId: r.start('A') });
      r.succeed('A', T0 + 1000);
      assert.equal(r.node('A').attempts, 2);
      assert.equal(r.node('A').error, undefined);
    });
  });

  describe('cacheHit', () => {
    it('moves a ready node straight to SUCCESS without an attempt, starting the run', () => {
      const r = new Runner(dagOf({ A: [], B: ['A'] }));
      const t = r.must({ kind: 'cacheHit', atMs: T0 + 4, node: 'A', cacheKey: 'k', result: resultOf('A') });
      assert.deepEqual(r.node('A'), {
        name: 'A', status: 'SUCCESS', attempts: 0, startedAtMs: T0 + 4, completedAtMs: T0 + 4, cacheKey: 'k', cacheHit: true, result: resultOf('A'),
      });
      assert.deepEqual(t.ready, ['B']);
      assert.equal(t.state.status, 'RUNNING');
      assert.equal(t.state.startedAtMs, T0 + 4);
    });

    it('does not apply to a node whose predecessors have not succeeded', () => {
      const r = new Runner(dagOf({ A: [], B: ['A'] }));
      assert.equal(r.apply({ kind: 'cacheHit', atMs: T0, node: 'B', cacheKey: 'k', result: resultOf('B') }).changed, false);
    });
  });

  describe('failure and loss', () => {
    it('sends a lost node back to WAITING for a delayed retry, keeping the error and clearing the task', () => {
      const r = new Runner(dagOf({ A: [] }));
      const taskId = r.start('A', T0);
      const error = { classifier: 'lost', message: 'no heartbeat' };
      const t = r.must({ kind: 'lost', atMs: T0 + 50, node: 'A', taskId, error });
      assert.deepEqual(r.node('A'), { name: 'A', status: 'WAITING', attempts: 1, cacheHit: false, error, retryAtMs: T0 + 1050 });
      assert.equal(t.retryAtMs, T0 + 1050);
      assert.deepEqual(t.ready, []);
      assert.equal(nextRetryAtMs(t.state), T0 + 1050);
      assert.equal(t.state.status, 'RUNNING', 'a run that started stays RUNNING while a node waits for a retry');
    });

    it('describes a loss reported without an error with the lost classifier', () => {
      const r = new Runner(dagOf({ A: [] }), compileRetryPolicy({ maxAttempts: 1 }));
      r.must({ kind: 'lost', atMs: T0, node: 'A', taskId: r.start('A') });
      assert.equal(r.node('A').error?.classifier, 'lost');
    });

    it('waits longer before each further retry, counting attempts', () => {
      const policy = compileRetryPolicy({ maxAttempts: 4, backoffMs: 100, backoffFactor: 3 });
      const r = new Runner(dagOf({ A: [] }), policy);
      let now = T0;
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const t = r.must({ kind: 'lost', atMs: now, node: 'A', taskId: r.start('A', now) });
        assert.equal(r.node('A').attempts, attempt);
        delays.push(t.retryAtMs! - now);
        now = t.retryAtMs!;
      }
      assert.deepEqual(delays, [100, 300, 900]);
    });

    it('ends a node LOST once it has used maxAttempts attempts, with the default policy', () => {
      const r = new Runner(dagOf({ A: [], B: ['A'] }));
      let now = T0;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const t = r.must({ kind: 'lost', atMs: now, node: 'A', taskId: r.start('A', now) });
        now = t.retryAtMs ?? now;
      }
      assert.equal(r.node('A').status, 'LOST');
      assert.equal(r.node('A').attempts, 3);
      assert.equal(r.node('B').status, 'CANCELLED');
      assert.equal(r.state.status, 'FAILED');
      assert.equal(nextRetryAtMs(r.state), undefined);
    });

    it('does not retry an operator failure with the default policy', () => {
      const r = new Runner(dagOf({ A: [] }));
      const t = r.must({ kind: 'failed', atMs: T0 + 9, node: 'A', taskId: r.start('A', T0), error: failure });
      assert.deepEqual(r.node('A'), {
        name: 'A', status: 'FAILED', attempts: 1, startedAtMs: T0, completedAtMs: T0 + 9, cacheHit: false, error: failure,
      });
      assert.equal(t.retryAtMs, undefined);
      assert.equal(t.state.status, 'FAILED');
      assert.equal(t.state.completedAtMs, T0 + 9);
    });

    it('retries an operator failure when retryOn includes FAILED', () => {
      const r = new Runner(dagOf({ A: [] }), compileRetryPolicy({ retryOn: ['FAILED'] }));
      const t = r.must({ kind: 'failed', atMs: T0, node: 'A', taskId: r.start('A'), error: failure });
      assert.equal(r.node('A').status, 'WAITING');
      assert.equal(t.retryAtMs, T0 + 1000);
    });

    it('does not retry a loss when retryOn leaves LOST out', () => {
      const r = new Runner(dagOf({ A: [] }), compileRetryPolicy({ retryOn: ['FAILED'] }));
      r.must({ kind: 'lost', atMs: T0, node: 'A', taskId: r.start('A') });
      assert.equal(r.node('A').status, 'LOST');
    });

    it('returns a node retried without delay as ready at once', () => {
      const r = new Runner(dagOf({ A: [] }), compileRetryPolicy({ backoffMs: 0 }));
      const t = r.must({ kind: 'lost', atMs: T0, node: 'A', taskId: r.start('A') });
      assert.deepEqual(t.ready, ['A']);
      assert.equal(t.retryAtMs, undefined);
    });

    it('cancels every transitive descendant of a failed node, not only its direct successors', () => {
      // F → C1 → C2 → C3 → C4 → C5, plus C3 → X, while S runs on its own.
      const r = new Runner(dagOf({ F: [], C1: ['F'], C2: ['C1'], C3: ['C2'], C4: ['C3'], C5: ['C4'], X: ['C3'], S: [] }));
      r.start('S');
      r.must({ kind: 'failed', atMs: T0 + 1, node: 'F', taskId: r.start('F'), error: failure });
      assert.deepEqual(r.statuses(), {
        F: 'FAILED', C1: 'CANCELLED', C2: 'CANCELLED', C3: 'CANCELLED', C4: 'CANCELLED', C5: 'CANCELLED', X: 'CANCELLED', S: 'RUNNING',
      });
      assert.equal(r.node('C5').completedAtMs, T0 + 1);
      assert.equal(r.state.status, 'RUNNING', 'the run goes on while an unrelated node runs');
      assert.equal(r.state.progress, 7 / 8);
      r.must({ kind: 'succeeded', atMs: T0 + 2, node: 'S', taskId: 'S-1', result: resultOf('S'), cacheKey: 'ks' });
      assert.equal(r.state.status, 'FAILED');
      assert.equal(r.state.completedAtMs, T0 + 2);
    });

    it('leaves finished nodes on other branches alone when cancelling descendants', () => {
      // A feeds both B and C; C also needs F, which fails: only C is cancelled.
      const r = new Runner(dagOf({ A: [], F: [], B: ['A'], C: ['A', 'F'] }));
      r.succeed('A');
      r.succeed('B');
      r.must({ kind: 'failed', atMs: T0, node: 'F', taskId: r.start('F'), error: failure });
      assert.deepEqual(r.statuses(), { A: 'SUCCESS', F: 'FAILED', B: 'SUCCESS', C: 'CANCELLED' });
      assert.equal(r.state.status, 'FAILED');
    });
  });

  describe('killed', () => {
    it('kills live nodes, cancels waiting ones, keeps finished ones, and ends the run KILLED', () => {
      const r = new Runner(dagOf({ A: [], B: [], C: [], D: ['A'] }));
      r.succeed('A');
      r.start('B');
      r.schedule('C');
      r.must({ kind: 'killed', atMs: T0 + 30 });
      assert.deepEqual(r.statuses(), { A: 'SUCCESS', B: 'KILLED', C: 'KILLED', D: 'CANCELLED' });
      assert.equal(r.node('B').taskId, undefined);
      assert.equal(r.node('B').completedAtMs, T0 + 30);
      assert.equal(r.node('A').completedAtMs, T0, 'a finished node keeps its own completion time');
      assert.equal(r.state.status, 'KILLED');
      assert.equal(r.state.progress, 1);
      assert.equal(r.state.completedAtMs, T0 + 30);
    });

    it('ends a run killed before anything ran KILLED, without a start time', () => {
      const r = new Runner(chainAndSingle());
      r.must({ kind: 'killed', atMs: T0 });
      assert.equal(r.state.status, 'KILLED');
      assert.equal(r.state.startedAtMs, undefined);
      assert.ok(r.state.nodes.every((n) => n.status === 'CANCELLED'));
    });

    it('drops a pending retry', () => {
      const r = new Runner(dagOf({ A: [] }));
      r.must({ kind: 'lost', atMs: T0, node: 'A', taskId: r.start('A') });
      r.must({ kind: 'killed', atMs: T0 + 1 });
      assert.equal(r.node('A').retryAtMs, undefined);
      assert.equal(nextRetryAtMs(r.state), undefined);
    });
  });

  describe('idempotency', () => {
    const ok = { result: resultOf('A'), cacheKey: 'k' };
    /** Each case sets up a run, then names an event that must change nothing. */
    const cases: { name: string; setup: (r: Runner) => RunEvent }[] = [
      {
        name: 'ignores a duplicate scheduled for a node already SCHEDULED',
        setup: (r) => (r.schedule('A'), { kind: 'scheduled', atMs: T0, node: 'A', taskId: 'A-1' }),
      },
      {
        name: 'ignores scheduled with a new task id for a RUNNING node',
        setup: (r) => (r.start('A'), { kind: 'scheduled', atMs: T0, node: 'A', taskId: 'other' }),
      },
      {
        name: 'ignores a duplicate started for a RUNNING node',
        setup: (r) => ({ kind: 'started', atMs: T0 + 1, node: 'A', taskId: r.start('A') }),
      },
      {
        name: 'ignores started with a task id that is not the node’s',
        setup: (r) => (r.schedule('A'), { kind: 'started', atMs: T0, node: 'A', taskId: 'stale' }),
      },
      {
        name: 'ignores started for a WAITING node',
        setup: () => ({ kind: 'started', atMs: T0, node: 'A', taskId: 'A-1' }),
      },
      {
        name: 'ignores a duplicate succeeded for a node already SUCCESS',
        setup: (r) => (r.succeed('A'), { kind: 'succeeded', atMs: T0 + 1, node: 'A', taskId: 'A-1', ...ok }),
      },
      {
        name: 'ignores succeeded from the task of an earlier attempt',
        setup: (r) => {
          const old = r.start('A');
          r.must({ kind: 'lost', atMs: T0, node: 'A', taskId: old });
          r.start('A', T0 + 1000);
          return { kind: 'succeeded', atMs: T0 + 1001, node: 'A', taskId: old, ...ok };
        },
      },
      {
        name: 'ignores failed for a node that already ended',
        setup: (r) => (r.succeed('A'), { kind: 'failed', atMs: T0 + 1, node: 'A', taskId: 'A-1', error: failure }),
      },
      {
        name: 'ignores a duplicate loss for a node waiting for its retry',
        setup: (r) => {
          r.must({ kind: 'lost', atMs: T0, node: 'A', taskId: r.start('A') });
          return { kind: 'lost', atMs: T0 + 1, node: 'A', taskId: 'A-1' };
        },
      },
      {
        name: 'ignores lost with a task id that is not the node’s',
        setup: (r) => (r.start('A'), { kind: 'lost', atMs: T0, node: 'A', taskId: 'stale' }),
      },
      {
        name: 'ignores failed with a task id that is not the node’s',
        setup: (r) => (r.start('A'), { kind: 'failed', atMs: T0, node: 'A', taskId: 'stale', error: failure }),
      },
      {
        name: 'ignores a cache hit for a node already SCHEDULED',
        setup: (r) => (r.schedule('A'), { kind: 'cacheHit', atMs: T0, node: 'A', ...ok }),
      },
      {
        name: 'ignores a duplicate cache hit',
        setup: (r) => {
          r.must({ kind: 'cacheHit', atMs: T0, node: 'A', ...ok });
          return { kind: 'cacheHit', atMs: T0 + 1, node: 'A', ...ok };
        },
      },
      {
        name: 'ignores a node event after the run has completed',
        setup: (r) => {
          const b = r.start('B');
          r.must({ kind: 'failed', atMs: T0, node: 'A', taskId: r.start('A'), error: failure });
          r.must({ kind: 'succeeded', atMs: T0, node: 'B', taskId: b, ...ok });
          assert.equal(r.state.status, 'FAILED');
          return { kind: 'succeeded', atMs: T0 + 1, node: 'B', taskId: b, ...ok };
        },
      },
      {
        name: 'ignores a node event after the run was killed',
        setup: (r) => {
          const taskId = r.start('A');
          r.must({ kind: 'killed', atMs: T0 });
          return { kind: 'succeeded', atMs: T0 + 1, node: 'A', taskId, ...ok };
        },
      },
      {
        name: 'ignores killed for a run already killed',
        setup: (r) => (r.must({ kind: 'killed', atMs: T0 }), { kind: 'killed', atMs: T0 + 1 }),
      },
      {
        name: 'ignores killed for a run that succeeded',
        setup: (r) => (r.succeed('A'), r.succeed('B'), { kind: 'killed', atMs: T0 + 1 }),
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = new Runner(dagOf({ A: [], B: [] }));
        const event = c.setup(r);
        const before = r.state;
        const t = r.apply(event);
        assert.equal(t.changed, false);
        assert.equal(t.state, before, 'the very same state object comes back');
        assert.deepEqual(t.ready, []);
        assert.equal(t.retryAtMs, undefined);
      });
    }

    it('ignores node events for a run marked terminal, even for a node left unfinished', () => {
      const dag = dagOf({ A: [] });
      const state = deepFreeze({ ...initialRunState(dag.nodes), status: 'FAILED' as const, progress: 1, completedAtMs: T0 });
      const t = applyEvent(state, dag, { kind: 'scheduled', atMs: T0, node: 'A', taskId: 't' }, () => compileRetryPolicy());
      assert.equal(t.changed, false);
      assert.equal(t.state, state);
    });

    it('throws NotFoundError for an event naming a node the run does not have', () => {
      const r = new Runner(dagOf({ A: [] }));
      assert.throws(() => r.apply({ kind: 'started', atMs: T0, node: 'Nope', taskId: 't' }), NotFoundError);
    });
  });

  describe('purity', () => {
    it('never mutates the state it is given and shares the nodes it did not change', () => {
      const dag = dagOf({ A: [], B: ['A'], C: [] });
      const state = deepFreeze(initialRunState(dag.nodes));
      const copy = structuredClone(state);
      const t = applyEvent(state, dag, { kind: 'scheduled', atMs: T0, node: 'A', taskId: 't' }, () => compileRetryPolicy());
      assert.deepEqual(state, copy);
      assert.notEqual(t.state.nodes, state.nodes);
      assert.equal(t.state.nodes[1], state.nodes[1]);
      assert.equal(t.state.nodes[2], state.nodes[2]);
    });

    it('works on a state whose nodes are not in graph order', () => {
      const dag = dagOf({ A: [], B: ['A'] });
      const state = { ...initialRunState(['B', 'A']) };
      const r1 = applyEvent(state, dag, { kind: 'cacheHit', atMs: T0, node: 'A', cacheKey: 'k', result: resultOf('A') }, () => compileRetryPolicy());
      assert.deepEqual(r1.ready, ['B']);
      assert.deepEqual(r1.state.nodes.map((n) => [n.name, n.status]), [['B', 'WAITING'], ['A', 'SUCCESS']]);
    });
  });
});
