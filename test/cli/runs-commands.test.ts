import assert from 'node:assert/strict';
import { NotFoundError, UnavailableError } from '../../src/core/errors';
import { LogLine, Run } from '../../src/core/run';
import Kill, { KillResult, killRuns } from '../../src/cli/commands/kill';
import { inspectRun } from '../../src/cli/commands/inspect';
import { showLogs } from '../../src/cli/commands/logs';
import { removeRuns } from '../../src/cli/commands/rm';
import { CommandFailedError } from '../../src/cli/shared/errors';
import { resolveRunId, waitForRun } from '../../src/cli/shared/runs';
import { aLogLine, aNodeState, aRun } from '../support/builders';
import { callsTo, fakeClient, instantClock, recordingIo, runCommand } from './helpers';

function clientOver(runs: Run[]) {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const get = async (id: string) => {
    const r = byId.get(id);
    if (!r) throw new NotFoundError('run', id);
    return r;
  };
  return fakeClient({
    getRun: get,
    listRuns: async () => ({ results: runs, total: runs.length }),
    killRun: async (id) => ({ ...(await get(id)), state: { ...(await get(id)).state, status: 'KILLED' } }),
    deleteRun: async (id) => {
      await get(id);
    },
  });
}

describe('accio kill', () => {
  it('succeeds with a message when the run already finished, without calling killRun', async () => {
    const done = aRun({ state: { status: 'SUCCESS', progress: 1 } });
    const client = clientOver([done]);
    const outcome = await runCommand(Kill, [done.id], client);
    assert.equal(outcome.exitCode, 0);
    assert.equal(outcome.stdout, `${done.id} already finished (SUCCESS)\n`);
    assert.equal(callsTo(client, 'killRun').length, 0);
  });

  it('kills an active run', async () => {
    const active = aRun();
    const client = clientOver([active]);
    const rec = recordingIo();
    const result = await killRuns(client, [active.id], rec.io);
    assert.deepEqual(result, { runs: [{ id: active.id, outcome: 'killed', status: 'KILLED' }] });
    assert.deepEqual(callsTo(client, 'killRun'), [[active.id]]);
  });

  it('exits 3 for an unknown run', async () => {
    const outcome = await runCommand(Kill, ['f'.repeat(32)], clientOver([]));
    assert.equal(outcome.exitCode, 3);
  });

  it('goes on after an unknown run among several and exits with the worst code', async () => {
    const active = aRun();
    const client = clientOver([active]);
    const outcome = await runCommand(Kill, ['f'.repeat(32), active.id, '--json'], client);
    assert.equal(outcome.exitCode, 3);
    assert.deepEqual(callsTo(client, 'killRun'), [[active.id]]);
    const envelope = JSON.parse(outcome.stdout);
    assert.equal(envelope.status, 3);
    assert.deepEqual((envelope.data.results as KillResult['runs']).map((r) => r.id), [active.id]);
    assert.equal(envelope.data.failures[0].target, 'f'.repeat(32));
  });

  it('stops at once when the agent cannot be reached', async () => {
    const client = fakeClient({ listRuns: async () => ({ results: [], total: 0 }), getRun: async () => { throw new UnavailableError('down'); } });
    await assert.rejects(killRuns(client, ['a'.repeat(32), 'b'.repeat(32)], recordingIo().io), UnavailableError);
    assert.equal(callsTo(client, 'getRun').length, 1);
  });
});

describe('accio rm', () => {
  it('kills an active run before deleting it, and deletes a finished one directly', async () => {
    const active = aRun();
    const done = aRun({ state: { status: 'FAILED', progress: 1 } });
    const client = clientOver([active, done]);
    const rec = recordingIo();
    const result = await removeRuns(client, [active.id, done.id], rec.io);
    assert.deepEqual(result.runs, [{ id: active.id, killed: true }, { id: done.id, killed: false }]);
    assert.deepEqual(client.calls.filter((c) => c.method !== 'getRun').map((c) => `${c.method} ${c.args[0]}`), [
      `killRun ${active.id}`,
      `deleteRun ${active.id}`,
      `deleteRun ${done.id}`,
    ]);
  });
});

describe('run ids', () => {
  it('accepts a unique prefix of a run or of a sweep child', async () => {
    const parent = aRun({ id: '0123456789ab'.padEnd(32, '0'), children: ['fedcba'.padEnd(32, '1')] });
    const client = clientOver([parent, aRun({ id: '0123ffff'.padEnd(32, '2') })]);
    assert.equal(await resolveRunId(client, '0123456789ab'), parent.id);
    assert.equal(await resolveRunId(client, 'fedcba'), 'fedcba'.padEnd(32, '1'));
  });

  it('refuses an ambiguous prefix', async () => {
    const client = clientOver([aRun({ id: 'abcd1'.padEnd(32, '0') }), aRun({ id: 'abcd2'.padEnd(32, '0') })]);
    await assert.rejects(resolveRunId(client, 'abcd'), (err: NotFoundError) => /matches 2 runs/.test(err.actions[0]));
  });
});

describe('waiting for a run', () => {
  it('keeps polling through a brief agent outage', async () => {
    const done = aRun({ state: { status: 'SUCCESS', progress: 1 } });
    let calls = 0;
    const client = fakeClient({
      getRun: async () => {
        calls++;
        if (calls < 3) throw new UnavailableError('restarting');
        return done;
      },
    });
    const run = await waitForRun(client, done.id, recordingIo().io, { clock: instantClock(), intervalMs: 5 });
    assert.equal(run, done);
  });

  it('stops waiting when interrupted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    const client = fakeClient({ getRun: async () => aRun() });
    await assert.rejects(waitForRun(client, 'x', recordingIo().io, { clock: instantClock(), signal: controller.signal }), /interrupted/);
  });
});

describe('accio inspect', () => {
  it('shows a run with its params and nodes, cache hits included', async () => {
    const run = aRun({
      params: { epsilon: 0.1 },
      state: {
        nodes: [
          aNodeState({ name: 'Source', status: 'SUCCESS', attempts: 0, cacheHit: true }),
          aNodeState({ name: 'Score', status: 'FAILED', attempts: 2, startedAtMs: 0, completedAtMs: 1500, error: { classifier: 'Error', message: 'boom' } }),
        ],
      },
    });
    const rec = recordingIo();
    const result = await inspectRun(clientOver([run]), { run: run.id }, rec.io);
    assert.equal(result.run, run);
    const text = rec.out.join('\n');
    assert.match(text, /Params:\n {2}epsilon: {2}0\.1/);
    assert.match(text, /Source {3}SUCCESS {2}\s+0 {3}cache hit/);
    assert.match(text, /Score {4}FAILED\s+2\s+1s {3}Error: boom/);
  });

  it('shows one node with its outputs, metrics and error stack', async () => {
    const run = aRun();
    const failed = aNodeState({ name: 'Score', status: 'FAILED', attempts: 1, error: { classifier: 'TypeError', message: 'bad', stack: 'TypeError: bad\n    at score.ts:3' } });
    run.state.nodes[1] = failed;
    const rec = recordingIo();
    const source = await inspectRun(clientOver([run]), { run: run.id, node: 'Source' }, rec.io);
    assert.equal(source.node?.name, 'Source');
    assert.match(rec.out.join('\n'), /Outputs:\n {2}data: {2}file:\/\/\/tmp\/accio\/.*\n {2}n: {5}42\n\nMetrics:\n {2}wall_time_ms: {2}10/);
    const rec2 = recordingIo();
    await inspectRun(clientOver([run]), { run: run.id, node: 'Score' }, rec2.io);
    assert.match(rec2.out.join('\n'), /Error:\n {2}TypeError: bad\n {4}TypeError: bad\n {8}at score\.ts:3/);
  });

  it('fails with not found for an unknown node, naming the nodes there are', async () => {
    const run = aRun();
    await assert.rejects(inspectRun(clientOver([run]), { run: run.id, node: 'Nope' }, recordingIo().io), (err: NotFoundError) => err.code === 'NOT_FOUND' && /Source, Score/.test(err.actions[0]));
  });
});

describe('accio logs', () => {
  it('follows a node until it is finished, without repeating lines that share a millisecond', async () => {
    const run = aRun();
    const t = 1000;
    const line = (atMs: number, message: string, stream: LogLine['stream'] = 'stdout') => aLogLine({ runId: run.id, node: 'Score', atMs, message, stream });
    const stored: LogLine[] = [line(t, 'one'), line(t + 1, 'two')];
    let reads = 0;
    const client = fakeClient({
      getRun: async () => {
        reads++;
        // A line in the same millisecond as the last one arrives late, then the node finishes.
        if (reads === 2) stored.push(line(t + 1, 'two bis', 'stderr'));
        if (reads === 3) {
          stored.push(line(t + 5, 'last'));
          return { ...run, state: { ...run.state, nodes: [run.state.nodes[0], { ...run.state.nodes[1], status: 'SUCCESS' }] } };
        }
        return run;
      },
      listLogs: async (req) => stored.filter((l) => req.sinceMs === undefined || l.atMs > req.sinceMs),
    });
    const rec = recordingIo();
    const result = await showLogs(client, { run: run.id, node: 'Score', follow: true }, rec.io, { clock: instantClock(), intervalMs: 10 });
    assert.deepEqual(rec.out, ['one', 'two', 'last']);
    assert.deepEqual(rec.err, ['two bis']);
    assert.deepEqual(result.lines.map((l) => l.message), ['one', 'two', 'two bis', 'last']);
  });

  it('fails with not found for a node the run does not have', async () => {
    const run = aRun();
    const client = fakeClient({ getRun: async () => run, listLogs: async () => [] });
    await assert.rejects(showLogs(client, { run: run.id, node: 'Nope' }, recordingIo().io), NotFoundError);
  });
});

describe('commands on several targets', () => {
  it('report a failure of one target as a CommandFailedError with the worst code', async () => {
    const client = clientOver([]);
    await assert.rejects(killRuns(client, ['a'.repeat(32), 'b'.repeat(32)], recordingIo().io), (err: unknown) => err instanceof CommandFailedError && err.exitCode === 3);
  });
});
