import assert from 'node:assert/strict';
import { Errors } from '@oclif/core';
import {
  AccioError,
  ConflictError,
  InvalidDefinitionError,
  InvalidTaskError,
  NotFoundError,
  UnavailableError,
} from '../../src/core/errors';
import Ops from '../../src/cli/commands/ops';
import Push from '../../src/cli/commands/push';
import { exitCodeFor } from '../../src/cli/shared/accio-command';
import { CommandFailedError, InterruptedError, UsageError, formatError } from '../../src/cli/shared/errors';
import { fakeClient, runCommand } from './helpers';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const INVALID = new InvalidDefinitionError(
  'workflow',
  [
    { path: ['graph', 'Train', 'inputs', 'data'], message: 'unknown node "Foo"' },
    { path: ['params', 'epsilon'], message: 'unknown type "flaot"' },
    { path: [], message: 'no root node' },
  ],
  [{ path: ['graph', 'Old'], message: 'operator Legacy is deprecated: use Transform instead' }],
);

describe('cli exit codes', () => {
  it('maps each kind of error to its documented exit code', () => {
    const cases: [unknown, number][] = [
      [new UsageError('bad argument'), 1],
      [new Errors.CLIError('Nonexistent flag: --bogus'), 1],
      [INVALID, 2],
      [new NotFoundError('run', 'abc'), 3],
      [new UnavailableError('cannot reach the agent'), 4],
      [new ConflictError('lock held'), 4],
      [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 4],
      [new CommandFailedError('run ended FAILED', 4), 4],
      [new AccioError('INTERNAL', 'boom'), 5],
      [new InvalidTaskError('t1', 'unknown'), 5],
      [new TypeError('x is undefined'), 5],
      ['a string thrown', 5],
      [new InterruptedError('SIGINT'), 130],
      [new InterruptedError('SIGTERM'), 143],
      [new Errors.ExitError(7), 7],
    ];
    for (const [err, code] of cases) assert.equal(exitCodeFor(err), code, String(err));
  });

  it('matches domain errors by code, so errors rebuilt elsewhere map the same way', () => {
    assert.equal(exitCodeFor({ code: 'NOT_FOUND', message: 'gone' }), 3);
    assert.equal(exitCodeFor({ code: 'INVALID', message: 'bad' }), 2);
  });
});

describe('cli error output', () => {
  it('lists every error of an invalid definition with its path, and warnings apart', () => {
    const lines = formatError(INVALID, { color: false });
    assert.deepEqual(lines, [
      'Error: invalid workflow: 3 errors',
      '  graph.Train.inputs.data: unknown node "Foo"',
      '  params.epsilon: unknown type "flaot"',
      '  no root node',
      'Warnings:',
      '  graph.Old: operator Legacy is deprecated: use Transform instead',
    ]);
  });

  it('prints the next steps of an error under its message', () => {
    const lines = formatError(new NotFoundError('run', 'abc', { actions: ["list runs with 'accio ps --all'"] }), { color: false });
    assert.deepEqual(lines, ['Error: run not found: abc', 'Try this:', "  list runs with 'accio ps --all'"]);
  });

  it('exits 3 with one message on stderr when an operator does not exist', async () => {
    const client = fakeClient({ getOperator: async (name) => { throw new NotFoundError('operator', name); } });
    const outcome = await runCommand(Ops, ['Nope'], client);
    assert.equal(outcome.exitCode, 3);
    assert.equal(outcome.stdout, '');
    assert.match(outcome.stderr, /^Error: operator not found: Nope\n/);
    assert.ok(client.closed, 'the connection is closed when the command ends');
  });

  it('writes a JSON error envelope on stdout with --json', async () => {
    const client = fakeClient({ getOperator: async (name) => { throw new NotFoundError('operator', name, { actions: ['accio ops'] }); } });
    const outcome = await runCommand(Ops, ['Nope', '--json'], client);
    assert.equal(outcome.exitCode, 3);
    const envelope = JSON.parse(outcome.stdout);
    assert.equal(envelope.status, 3);
    assert.equal(envelope.name, 'NotFoundError');
    assert.equal(envelope.code, 'NOT_FOUND');
    assert.equal(envelope.message, 'operator not found: Nope');
    assert.deepEqual(envelope.actions, ['accio ops']);
    assert.deepEqual(envelope.warnings, []);
  });

  it('exits 2 and prints every error with its path when a pushed workflow is invalid', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'accio-cli-'));
    const file = path.join(dir, 'wf.yaml');
    writeFileSync(file, 'graph: []\n');
    const client = fakeClient({ parseWorkflow: async () => ({ errors: INVALID.errors, warnings: INVALID.warnings }) });
    const outcome = await runCommand(Push, [file], client);
    assert.equal(outcome.exitCode, 2);
    for (const line of ['  graph.Train.inputs.data: unknown node "Foo"', '  params.epsilon: unknown type "flaot"', '  no root node']) {
      assert.ok(outcome.stderr.includes(`${line}\n`), `missing ${line} in\n${outcome.stderr}`);
    }
    assert.match(outcome.stderr, /Warnings:\n {2}graph\.Old: operator Legacy is deprecated/);
  });

  it('puts the validation errors in the data of the JSON error envelope', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'accio-cli-'));
    const file = path.join(dir, 'wf.yaml');
    writeFileSync(file, 'graph: []\n');
    const client = fakeClient({ parseWorkflow: async () => ({ errors: INVALID.errors, warnings: INVALID.warnings }) });
    const outcome = await runCommand(Push, [file, '--json'], client);
    const envelope = JSON.parse(outcome.stdout);
    assert.equal(envelope.status, 2);
    assert.deepEqual(envelope.data.errors, INVALID.errors);
    assert.deepEqual(envelope.data.warnings, INVALID.warnings);
  });

  it('exits 1 on an unknown flag and on a bad agent address', async () => {
    assert.equal((await runCommand(Ops, ['--bogus'], fakeClient({}))).exitCode, 1);
    const outcome = await runCommand(Ops, ['--addr', 'nonsense'], fakeClient({}));
    assert.equal(outcome.exitCode, 1);
    assert.match(outcome.stderr, /invalid agent address "nonsense"/);
  });

  it('exits 5 on an unexpected error and says how to see its stack', async () => {
    const client = fakeClient({ listOperators: async () => { throw new TypeError('cannot read properties of undefined'); } });
    const outcome = await runCommand(Ops, [], client);
    assert.equal(outcome.exitCode, 5);
    assert.equal(outcome.stderr, 'Error: cannot read properties of undefined\nTry this:\n  Run again with env ACCIO_DEBUG=1 to see where the error came from\n');
  });

  it('exits 4 and says how to start an agent when none can be reached', async () => {
    const client = fakeClient({ listOperators: async () => { throw new UnavailableError('cannot reach the agent at 127.0.0.1:9'); } });
    const outcome = await runCommand(Ops, ['--addr', '127.0.0.1:9'], client);
    assert.equal(outcome.exitCode, 4);
    assert.match(outcome.stderr, /Try this:\n {2}Is an agent running at 127\.0\.0\.1:9\? Start one with: accio agent/);
  });
});
