import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Dag, descendants } from '../../../src/core/graph';
import { compileRetryPolicy } from '../../../src/core/retry-policy';
import { RetryPolicy, RunState, isTerminalNode, isTerminalRun } from '../../../src/core/run';
import { RunEvent, Transition, applyEvent, initialRunState, nextRetryAtMs, readyNodes } from '../../../src/core/state-machine';
import { T0, dagOf, deepFreeze, resultOf } from './state-machine-fixtures';

/** A random DAG: node i may only depend on nodes before it, so it is acyclic by construction. */
const dagArb = fc
  .integer({ min: 1, max: 30 })
  .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 2 * n })))
  .map(([n, pairs]) => {
    const preds: Record<string, string[]> = {};
    for (let i = 0; i < n; i++) preds[`N${i}`] = [];
    for (const [a, b] of pairs) {
      if (a === b) continue;
      const [from, to] = a < b ? [a, b] : [b, a];
      if (!preds[`N${to}`].includes(`N${from}`)) preds[`N${to}`].push(`N${from}`);
    }
    return dagOf(preds);
  });

const policyArb = fc
  .record({
    maxAttempts: fc.integer({ min: 1, max: 4 }),
    backoffMs: fc.integer({ min: 0, max: 50 }),
    backoffFactor: fc.integer({ min: 1, max: 3 }),
    retryOn: fc.subarray(['LOST', 'FAILED'] as RetryPolicy['retryOn']),
  })
  .map((p) => compileRetryPolicy(p));

/** What the random runs went through, so the property cannot pass by never reaching a case. */
const seen = { retries: 0, cancellations: 0, kills: 0, cacheHits: 0, ignored: 0, successes: 0, failures: 0 };

const error = { classifier: 'Error', message: 'boom' };

/**
 * Drives a run with a stream of choices: each picks an event (schedule or cache hit for a ready
 * node; start, success, failure or loss for a live one; a replay of an applied event; an event
 * with a stale task id; now and then a kill), advancing a fake clock. When the choices run out it
 * drives every node to success, so the run always ends. Checks invariants after every event.
 */
function drive(dag: Dag, policy: RetryPolicy, choices: number[]): { state: RunState; killed: boolean } {
  let state = deepFreeze(initialRunState(dag.nodes));
  let now = T0;
  let tasks = 0;
  let killed = false;
  const applied: RunEvent[] = [];
  const apply = (event: RunEvent): Transition => {
    const before = state;
    const t = applyEvent(before, dag, event, () => policy);
    checkTransition(dag, policy, before, event, t);
    if (t.changed) applied.push(event);
    else seen.ignored++;
    state = deepFreeze(t.state);
    return t;
  };
  const mustNotChange = (event: RunEvent): void => {
    assert.equal(apply(event).changed, false, `${JSON.stringify(event)} should change nothing`);
  };

  for (let step = 0; !isTerminalRun(state.status); step++) {
    assert.ok(step < 10_000, 'the run should end');
    const ready = readyNodes(state, dag, now);
    const live = state.nodes.filter((n) => n.status === 'SCHEDULED' || n.status === 'RUNNING');
    if (ready.length === 0 && live.length === 0) {
      const next = nextRetryAtMs(state);
      assert.ok(next !== undefined && next > now, 'a run with nothing ready and nothing live must be waiting for a retry');
      now = next;
      continue;
    }
    const c = choices[step];
    if (c === undefined) {
      const n = live[0];
      if (!n) apply({ kind: 'scheduled', atMs: now, node: ready[0], taskId: `t${tasks++}` });
      else if (n.status === 'SCHEDULED') apply({ kind: 'started', atMs: now, node: n.name, taskId: n.taskId! });
      else apply({ kind: 'succeeded', atMs: now, node: n.name, taskId: n.taskId!, result: resultOf(n.name), cacheKey: n.name });
      continue;
    }
    now += c % 3 === 0 ? c % 40 : 0;
    const action = c % 100;
    if (action === 0) {
      apply({ kind: 'killed', atMs: now });
      killed = true;
    } else if (action < 8 && applied.length > 0) {
      // A replay of anything but `scheduled` (task ids are fresh per attempt, so a real replay of
      // scheduled cannot meet a WAITING node again under the same id).
      const old = applied[c % applied.length];
      if (old.kind !== 'scheduled') mustNotChange({ ...old, atMs: now });
    } else if (action < 14) {
      const node = dag.nodes[c % dag.nodes.length];
      const stale = { atMs: now, node, taskId: 'stale' };
      const events: RunEvent[] = [
        { kind: 'started', ...stale },
        { kind: 'succeeded', ...stale, result: resultOf(node), cacheKey: node },
        { kind: 'failed', ...stale, error },
        { kind: 'lost', ...stale },
      ];
      mustNotChange(events[c % events.length]);
    } else {
      const candidates = [...ready, ...live.map((n) => n.name)];
      const name = candidates[c % candidates.length];
      const node = state.nodes.find((n) => n.name === name)!;
      const roll = Math.floor(c / 7) % 10;
      if (node.status === 'WAITING') {
        if (roll < 2) apply({ kind: 'cacheHit', atMs: now, node: name, cacheKey: name, result: resultOf(name) });
        else apply({ kind: 'scheduled', atMs: now, node: name, taskId: `t${tasks++}` });
      } else {
        const taskId = node.taskId!;
        if (roll < 3) apply({ kind: 'failed', atMs: now, node: name, taskId, error });
        else if (roll < 5) apply({ kind: 'lost', atMs: now, node: name, taskId });
        else if (node.status === 'SCHEDULED' && roll < 8) apply({ kind: 'started', atMs: now, node: name, taskId });
        else apply({ kind: 'succeeded', atMs: now, node: name, taskId, result: resultOf(name), cacheKey: name });
      }
    }
  }
  return { state, killed };
}

function checkTransition(dag: Dag, policy: RetryPolicy, before: RunState, event: RunEvent, t: Transition): void {
  const { state } = t;
  if (!t.changed) {
    assert.equal(state, before, 'an event that changes nothing returns the same state');
    assert.deepEqual(t.ready, []);
    return;
  }
  const byName = new Map(state.nodes.map((n) => [n.name, n]));
  let terminal = 0;
  for (const n of state.nodes) {
    assert.ok(n.attempts <= policy.maxAttempts, `${n.name} made ${n.attempts} attempts, more than ${policy.maxAttempts}`);
    if (n.status === 'SUCCESS') {
      for (const p of dag.predecessors.get(n.name)!) assert.equal(byName.get(p)!.status, 'SUCCESS', `${n.name} succeeded before ${p}`);
    }
    const live = n.status === 'SCHEDULED' || n.status === 'RUNNING';
    assert.equal(n.taskId !== undefined, live, `${n.name} ${n.status} with taskId ${n.taskId}`);
    if (isTerminalNode(n.status)) terminal++;
  }
  assert.equal(isTerminalRun(state.status), terminal === state.nodes.length, 'the run is terminal exactly when every node is');
  assert.equal(state.progress, terminal / state.nodes.length);
  const readyBefore = readyNodes(before, dag, event.atMs);
  const readyAfter = readyNodes(state, dag, event.atMs);
  for (const r of t.ready) {
    assert.ok(readyAfter.includes(r), `${r} returned as ready but is not`);
    assert.ok(!readyBefore.includes(r), `${r} was ready before the event already`);
  }
  if (t.retryAtMs !== undefined) {
    assert.ok(t.retryAtMs > event.atMs);
    assert.ok(nextRetryAtMs(state)! <= t.retryAtMs);
    seen.retries++;
  }
  if (event.kind === 'cacheHit') seen.cacheHits++;
  if (event.kind === 'killed') seen.kills++;
  for (const n of state.nodes) {
    const was = before.nodes.find((b) => b.name === n.name)!;
    if (n.status === 'CANCELLED' && was.status !== 'CANCELLED' && event.kind !== 'killed') seen.cancellations++;
  }
}

describe('run state machine (property)', () => {
  it('always ends a randomly driven run with every node terminal, within its attempts, successes only after successes', () => {
    fc.assert(
      fc.property(dagArb, policyArb, fc.array(fc.nat(9999), { maxLength: 400 }), (dag, policy, choices) => {
        const { state, killed } = drive(dag, policy, choices);
        assert.ok(isTerminalRun(state.status));
        assert.ok(state.nodes.every((n) => isTerminalNode(n.status)));
        assert.equal(state.progress, 1);
        assert.ok(state.completedAtMs !== undefined);
        const allSucceeded = state.nodes.every((n) => n.status === 'SUCCESS');
        if (killed) {
          assert.equal(state.status, 'KILLED');
        } else {
          assert.equal(state.status, allSucceeded ? 'SUCCESS' : 'FAILED');
          for (const n of state.nodes) {
            if (n.status !== 'FAILED' && n.status !== 'LOST') continue;
            for (const d of descendants(dag, n.name)) {
              assert.equal(state.nodes.find((x) => x.name === d)!.status, 'CANCELLED', `${d} below ${n.name} ${n.status}`);
            }
          }
        }
        if (state.status === 'SUCCESS') seen.successes++;
        if (state.status === 'FAILED') seen.failures++;
      }),
      { numRuns: 300 },
    );
    for (const [what, count] of Object.entries(seen)) assert.ok(count > 0, `no random run went through ${what}`);
  });
});
