import assert from 'node:assert/strict';
import { ListRunsRequest } from '../../src/api/service';
import Ps, { PsResult, listRunsTable, psRequest } from '../../src/cli/commands/ps';
import { SuccessEnvelope } from '../../src/cli/shared/accio-command';
import { aRun, randomId } from '../support/builders';
import { callsTo, fakeClient, recordingIo, runCommand } from './helpers';

const NOW = Date.UTC(2026, 0, 31, 12);

function sweepParent() {
  return aRun({
    id: 'aaaaaaaaaaaa' + 'b'.repeat(20),
    name: 'epsilon sweep',
    workflow: { id: 'geo', version: '0123456789abcdef' },
    children: [randomId(), randomId(), randomId()],
    params: {},
    createdAtMs: NOW - 3 * 60_000,
    state: { status: 'RUNNING', progress: 0.5, startedAtMs: NOW - 2 * 60_000, nodes: [], childCounts: { SUCCESS: 1, RUNNING: 2 } },
  });
}

describe('accio ps', () => {
  it('asks only for active runs by default', () => {
    assert.deepEqual(psRequest({}), { limit: 25, status: ['SCHEDULED', 'RUNNING'] });
  });

  it('asks for every status with --all, and for the given ones with --status', () => {
    assert.deepEqual(psRequest({ all: true }), { limit: 25 });
    assert.deepEqual(psRequest({ status: ['FAILED'] }).status, ['FAILED']);
  });

  it('passes every filter to the agent', () => {
    const req = psRequest({ owner: 'ada', name: 'n', tags: ['a', 'b'], workflow: 'geo', parent: 'p', query: 'eps', limit: 5, all: true });
    assert.deepEqual(req, { limit: 5, owner: 'ada', name: 'n', tags: ['a', 'b'], workflowId: 'geo', parent: 'p', q: 'eps' });
  });

  it('lists the children of a sweep whatever their status', () => {
    assert.equal(psRequest({ parent: 'p' }).status, undefined);
  });

  it('prints a table with short ids, sweep sizes, status, progress, age and duration, and a footer for the rest', async () => {
    const parent = sweepParent();
    const client = fakeClient({ listRuns: async () => ({ results: [parent], total: 4 }) });
    const rec = recordingIo();
    const result = await listRunsTable(client, {}, rec.io, NOW);
    assert.deepEqual(rec.out, [
      'ID             NAME                WORKFLOW       STATUS    PROGRESS   CREATED   DURATION',
      'aaaaaaaaaaaa   (3) epsilon sweep   geo:01234567   RUNNING        50%   3m ago       2m00s',
      '3 more...',
    ]);
    assert.equal(result.total, 4);
    assert.deepEqual(result.runs, [parent]);
  });

  it('shows full ids with --no-trunc', async () => {
    const parent = sweepParent();
    const client = fakeClient({ listRuns: async () => ({ results: [parent], total: 1 }) });
    const rec = recordingIo();
    await listRunsTable(client, { noTrunc: true }, rec.io, NOW);
    assert.ok(rec.out[1].startsWith(`${parent.id}   `), rec.out[1]);
    assert.ok(rec.out[1].includes('geo:0123456789abcdef'));
  });

  it('says so on stderr when no run is active', async () => {
    const rec = recordingIo();
    await listRunsTable(fakeClient({ listRuns: async () => ({ results: [], total: 0 }) }), {}, rec.io, NOW);
    assert.deepEqual(rec.out, []);
    assert.match(rec.err[0], /No active runs/);
  });

  it('returns the runs in a JSON envelope with --json, and prints nothing else', async () => {
    const run = aRun();
    const client = fakeClient({ listRuns: async () => ({ results: [run], total: 1 }) });
    const outcome = await runCommand(Ps, ['--json', '--all', '--status', 'failed', '-n', '10', '--tags', 'a,b'], client);
    assert.equal(outcome.exitCode, 0);
    const envelope = JSON.parse(outcome.stdout) as SuccessEnvelope<PsResult>;
    assert.equal(envelope.status, 0);
    assert.deepEqual(envelope.result, { runs: [run], total: 1 });
    assert.deepEqual(envelope.warnings, []);
    assert.equal(outcome.stderr, '');
    const [request] = callsTo(client, 'listRuns')[0] as [ListRunsRequest];
    assert.deepEqual(request, { limit: 10, status: ['FAILED'], tags: ['a', 'b'] });
  });

  it('rejects an unknown status as a usage error', async () => {
    const outcome = await runCommand(Ps, ['--status', 'DONE'], fakeClient({}));
    assert.equal(outcome.exitCode, 1);
    assert.match(outcome.stderr, /unknown status "DONE"/);
  });
});
