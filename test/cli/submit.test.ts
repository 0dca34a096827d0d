import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateRunRequest } from '../../src/api/service';
import { Run } from '../../src/core/run';
import { RunSpec } from '../../src/core/run-spec';
import Submit, { SubmitResult, parseOverrides, runDefinitionFor, submitRun } from '../../src/cli/commands/submit';
import { SuccessEnvelope } from '../../src/cli/shared/accio-command';
import { CommandFailedError, UsageError } from '../../src/cli/shared/errors';
import { aRun } from '../support/builders';
import { callsTo, fakeClient, instantClock, recordingIo, runCommand } from './helpers';

const PARSED: RunSpec = {
  workflow: { id: 'geo', version: 'v1' },
  name: 'from file',
  notes: 'file notes',
  tags: ['paper'],
  seed: 7,
  repeat: 1,
  params: { epsilon: { kind: 'values', values: [0.1, 0.2] } },
};

const PARENT = 'p'.repeat(32);
const CHILDREN = ['a'.repeat(32), 'b'.repeat(32)];

function runFile(content = 'workflow: geo:v1\nparams:\n  epsilon: {values: [0.1, 0.2]}\n'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accio-submit-'));
  const file = path.join(dir, 'sweep.yaml');
  writeFileSync(file, content);
  return file;
}

function submitClient(runs: Run[] = []) {
  let polled = 0;
  return fakeClient({
    parseRun: async () => ({ spec: structuredClone(PARSED), errors: [], warnings: [{ path: ['params', 'unused'], message: 'not used by any node' }] }),
    createRun: async () => ({ ids: [PARENT, ...CHILDREN], warnings: [] }),
    getRun: async () => runs[Math.min(polled++, runs.length - 1)],
  });
}

describe('accio submit', () => {
  it('reads key=value params, the last one winning', () => {
    assert.deepEqual(parseOverrides(['epsilon=0.1', 'window=10s', 'q=a=b', 'epsilon=0.3']), { epsilon: '0.3', window: '10s', q: 'a=b' });
    assert.throws(() => parseOverrides(['epsilon']), UsageError);
    assert.throws(() => parseOverrides(['=3']), UsageError);
  });

  it('treats an argument that is not a file as a workflow reference', async () => {
    const def = await runDefinitionFor('geo:v1', { isFile: () => false });
    assert.deepEqual(JSON.parse(def.content), { workflow: 'geo:v1' });
    assert.equal(def.filename, undefined);
  });

  it('fails as a usage error when a file name does not exist', async () => {
    await assert.rejects(runDefinitionFor('missing.yaml', { isFile: () => false }), UsageError);
    await assert.rejects(runDefinitionFor('dir/run', { isFile: () => false }), UsageError);
  });

  it('sends the file and the params to parseRun, applies the flags over the spec and creates the run', async () => {
    const file = runFile();
    const client = submitClient();
    const rec = recordingIo();
    const result = await submitRun(
      client,
      { target: file, overrides: ['epsilon=0.5'], name: 'flag name', tags: ['v2', 'paper'], seed: 42, repeat: 3, user: 'ada' },
      rec.io,
    );
    const [content, overrides, filename] = callsTo(client, 'parseRun')[0];
    assert.match(content as string, /^workflow: geo:v1/);
    assert.deepEqual(overrides, { epsilon: '0.5' });
    assert.equal(filename, 'sweep.yaml');
    const [request] = callsTo(client, 'createRun')[0] as [CreateRunRequest];
    assert.deepEqual(request, {
      user: 'ada',
      spec: { ...PARSED, name: 'flag name', seed: 42, repeat: 3, tags: ['paper', 'v2'] },
    });
    assert.deepEqual(result, { ids: [PARENT, ...CHILDREN] });
    assert.deepEqual(rec.out, [PARENT, ...CHILDREN]);
    assert.deepEqual(rec.err, [`sweep of 2 runs (parent ${PARENT} first)`]);
    assert.deepEqual(rec.warnings, ['params.unused: not used by any node']);
  });

  it('keeps the definition\'s values when no flag is given', async () => {
    const client = submitClient();
    await submitRun(client, { target: 'geo', overrides: [], user: 'ada' }, recordingIo().io, { isFile: () => false });
    const [request] = callsTo(client, 'createRun')[0] as [CreateRunRequest];
    assert.deepEqual(request.spec, PARSED);
  });

  it('fails with every error of an invalid run definition', async () => {
    const errors = [{ path: ['params', 'epsilon'], message: 'expected float, got "x"' }, { path: ['repeat'], message: 'must be at least 1' }];
    const client = fakeClient({ parseRun: async () => ({ errors, warnings: [] }) });
    await assert.rejects(
      submitRun(client, { target: 'geo', overrides: ['epsilon=x'], user: 'ada' }, recordingIo().io, { isFile: () => false }),
      (err: { code?: string; errors?: unknown }) => err.code === 'INVALID' && JSON.stringify(err.errors) === JSON.stringify(errors),
    );
    assert.equal(callsTo(client, 'createRun').length, 0);
  });

  it('waits with --wait until the run is finished, showing progress, and returns its status', async () => {
    const running = aRun({ id: PARENT, children: CHILDREN, state: { status: 'RUNNING', progress: 0.5, nodes: [], childCounts: { SUCCESS: 1, RUNNING: 1 } } });
    const done = aRun({ id: PARENT, children: CHILDREN, state: { status: 'SUCCESS', progress: 1, nodes: [], childCounts: { SUCCESS: 2 }, completedAtMs: running.createdAtMs + 5000 } });
    const client = submitClient([running, running, done]);
    const rec = recordingIo();
    const clock = instantClock();
    const result = await submitRun(client, { target: 'geo', overrides: [], user: 'ada', wait: true }, rec.io, { isFile: () => false, poll: { clock, intervalMs: 10 } });
    assert.deepEqual(result, { ids: [PARENT, ...CHILDREN], status: 'SUCCESS' });
    assert.equal(clock.sleeps, 2);
    assert.equal(rec.statuses.at(-1), '[####################] 100%  2 runs: 2 SUCCESS');
    assert.match(rec.statuses[0], /50% {2}2 runs: 1 RUNNING, 1 SUCCESS$/);
    assert.match(rec.out.at(-1)!, new RegExp(`^${PARENT} SUCCESS in `));
  });

  it('fails with exit code 4 when a waited run does not succeed', async () => {
    const failed = aRun({ id: PARENT, state: { status: 'FAILED', progress: 1, completedAtMs: Date.now() } });
    const client = submitClient([failed]);
    await assert.rejects(
      submitRun(client, { target: 'geo', overrides: [], user: 'ada', wait: true }, recordingIo().io, { isFile: () => false, poll: { clock: instantClock() } }),
      (err: unknown) => err instanceof CommandFailedError && err.exitCode === 4 && /ended FAILED/.test(err.message),
    );
  });

  it('exits 4 from the command line when a waited run fails', async () => {
    const failed = aRun({ id: PARENT, state: { status: 'FAILED', progress: 1, completedAtMs: Date.now() } });
    const outcome = await runCommand(Submit, ['geo', 'epsilon=0.1', '--wait'], submitClient([failed]));
    assert.equal(outcome.exitCode, 4);
    assert.ok(outcome.stdout.startsWith(`${PARENT}\n`));
    assert.match(outcome.stderr, /Error: run p+ ended FAILED\nTry this:\n {2}accio inspect p+/);
  });

  it('prints the ids in the JSON result with --json', async () => {
    const file = runFile();
    const client = submitClient();
    const outcome = await runCommand(Submit, [file, 'epsilon=0.1', '--json', '--tags', 'x,y', '--name', 'n', '--seed', '3'], client);
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    const envelope = JSON.parse(outcome.stdout) as SuccessEnvelope<SubmitResult>;
    assert.deepEqual(envelope.result, { ids: [PARENT, ...CHILDREN] });
    assert.deepEqual(envelope.warnings, ['params.unused: not used by any node']);
    const [request] = callsTo(client, 'createRun')[0] as [CreateRunRequest];
    assert.deepEqual(request.spec.tags, ['paper', 'x', 'y']);
    assert.equal(request.spec.name, 'n');
    assert.equal(request.spec.seed, 3);
  });
});
