import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotFoundError } from '../../src/core/errors';
import { Workflow } from '../../src/core/workflow';
import { runAgent } from '../../src/cli/commands/agent';
import { showOperators } from '../../src/cli/commands/ops';
import { pushWorkflows } from '../../src/cli/commands/push';
import Validate, { definitionKind, validateFiles } from '../../src/cli/commands/validate';
import Version, { VersionResult } from '../../src/cli/commands/version';
import { CommandFailedError, UsageError } from '../../src/cli/shared/errors';
import { currentUser } from '../../src/cli/shared/accio-command';
import { LEGACY, TRANSFORM } from '../support/test-operators';
import { aWorkflow } from '../support/builders';
import { callsTo, fakeClient, recordingIo, runCommand } from './helpers';

function workDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accio-defs-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const VALID = { errors: [], warnings: [] };

describe('accio validate', () => {
  it('reads a document with a top-level workflow key as a run definition, anything else as a workflow', () => {
    assert.equal(definitionKind('workflow: geo\nparams: {epsilon: 0.1}\n'), 'run');
    assert.equal(definitionKind('{"workflow": "geo:v1"}'), 'run');
    assert.equal(definitionKind('id: geo\ngraph:\n  - op: Source\n'), 'workflow');
    // A workflow whose node is named "workflow" is still a workflow: only the top level counts.
    assert.equal(definitionKind('id: w\ngraph:\n  - {op: Source, name: workflow}\n'), 'workflow');
    assert.equal(definitionKind('workflow: [unclosed'), 'workflow');
  });

  it('sends run definitions to parseRun and workflows to parseWorkflow', async () => {
    const dir = workDir({ 'wf.yaml': 'id: geo\ngraph: []\n', 'run.yaml': 'workflow: geo\n' });
    const client = fakeClient({ parseWorkflow: async () => VALID, parseRun: async () => VALID });
    const rec = recordingIo();
    const result = await validateFiles(client, [path.join(dir, 'wf.yaml'), path.join(dir, 'run.yaml')], rec.io);
    assert.deepEqual(result.files.map((f) => [f.kind, f.valid]), [['workflow', true], ['run', true]]);
    assert.deepEqual(callsTo(client, 'parseWorkflow'), [['id: geo\ngraph: []\n', 'wf.yaml']]);
    assert.deepEqual(callsTo(client, 'parseRun'), [['workflow: geo\n', {}, 'run.yaml']]);
    assert.deepEqual(rec.out, [`✓ ${path.join(dir, 'wf.yaml')} (workflow)`, `✓ ${path.join(dir, 'run.yaml')} (run)`]);
  });

  it('prints the errors of each invalid file with their paths and exits 2, the worst code across files', async () => {
    const dir = workDir({ 'bad.yaml': 'id: x\n', 'good.yaml': 'id: y\n' });
    const errors = [{ path: ['graph'], message: 'required' }, { path: ['params', 'eps', 'type'], message: 'unknown type "flaot"' }];
    const client = fakeClient({ parseWorkflow: async (content) => (content.startsWith('id: x') ? { errors, warnings: [] } : VALID) });
    const outcome = await runCommand(Validate, [path.join(dir, 'bad.yaml'), path.join(dir, 'good.yaml'), path.join(dir, 'missing.yaml')], client);
    assert.equal(outcome.exitCode, 2);
    assert.match(outcome.stdout, /✗ .*bad\.yaml \(workflow\): 2 errors\n {2}graph: required\n {2}params\.eps\.type: unknown type "flaot"\n/);
    assert.match(outcome.stdout, /✓ .*good\.yaml/);
    assert.match(outcome.stdout, /✗ .*missing\.yaml: cannot read .*: no such file/);
    assert.match(outcome.stderr, /Error: 2 of 3 files invalid/);
  });

  it('exits 1 when the only problem is a file that cannot be read', async () => {
    const rec = recordingIo();
    await assert.rejects(
      validateFiles(fakeClient({}), ['/nonexistent/accio/x.yaml'], rec.io),
      (err: unknown) => err instanceof CommandFailedError && err.exitCode === 1,
    );
  });
});

describe('accio push', () => {
  it('prints id:version, and "unchanged" when the definition was already the active version', async () => {
    const dir = workDir({ 'wf.yaml': 'id: geo\n' });
    const stored: Workflow = aWorkflow({ id: 'geo', version: 'v1' });
    let exists = false;
    const client = fakeClient({
      parseWorkflow: async () => ({ spec: { id: 'geo', params: [], graph: [] }, errors: [], warnings: [] }),
      getWorkflow: async (id) => {
        if (!exists) throw new NotFoundError('workflow', id);
        return stored;
      },
      pushWorkflow: async (_spec, user) => {
        assert.equal(user, 'ada');
        exists = true;
        return { workflow: stored, warnings: [{ path: ['params', 'n'], message: 'not used' }] };
      },
    });
    const rec = recordingIo();
    const first = await pushWorkflows(client, [path.join(dir, 'wf.yaml')], { user: 'ada' }, rec.io);
    const second = await pushWorkflows(client, [path.join(dir, 'wf.yaml')], { user: 'ada' }, rec.io);
    assert.equal(first.workflows[0].outcome, 'created');
    assert.equal(second.workflows[0].outcome, 'unchanged');
    assert.deepEqual(rec.out, ['geo:v1', 'geo:v1 (unchanged)']);
    assert.deepEqual(rec.warnings, [`${path.join(dir, 'wf.yaml')}: params.n: not used`, `${path.join(dir, 'wf.yaml')}: params.n: not used`]);
  });

  it('fails as a usage error when the file does not exist', async () => {
    await assert.rejects(pushWorkflows(fakeClient({}), ['/nonexistent/wf.yaml'], { user: 'ada' }, recordingIo().io), UsageError);
  });
});

describe('accio ops', () => {
  it('lists operators by category with their help', async () => {
    const rec = recordingIo();
    const client = fakeClient({ listOperators: async () => [TRANSFORM, { ...LEGACY, category: 'old' }] });
    await showOperators(client, { includeDeprecated: true }, rec.io);
    assert.deepEqual(rec.out, [
      'NAME        CATEGORY   HELP',
      'Legacy      old        (deprecated) Legacy (test operator)',
      'Transform   test       Transform (test operator)',
    ]);
    assert.deepEqual(callsTo(client, 'listOperators'), [[{ includeDeprecated: true }]]);
  });

  it('shows one operator with its ports, defaults, resources and deprecation', async () => {
    const rec = recordingIo();
    await showOperators(fakeClient({ getOperator: async () => ({ ...TRANSFORM, deprecation: 'use Other' }) }), { name: 'Transform' }, rec.io);
    const text = rec.out.join('\n');
    assert.match(text, /^Transform \(test\)\nDeprecated: use Other\n/);
    assert.ok(text.includes([
      'Inputs:',
      '  NAME     TYPE      DEFAULT   OPTIONAL   HELP',
      '  data     dataset',
      '  factor   float     1',
      '  label    string              yes',
      '',
      'Outputs:',
      '  NAME   TYPE      HELP',
      '  data   dataset',
    ].join('\n')), text);
    assert.match(text, /Resources: {2}cpu 1, memory 512 MB, disk 1024 MB/);
  });
});

describe('accio version', () => {
  it('reports an agent that cannot be reached without failing', async () => {
    const client = fakeClient({ info: async () => { throw new Error('connect ECONNREFUSED'); } });
    const outcome = await runCommand(Version, ['--json'], client);
    assert.equal(outcome.exitCode, 0);
    const result = JSON.parse(outcome.stdout).result as VersionResult;
    assert.equal(result.cli.version, '0.1.0');
    assert.equal(result.agent, undefined);
    assert.match(result.agentError!, /ECONNREFUSED/);
  });

  it('shows the agent version and plugins when it answers', async () => {
    const client = fakeClient({ info: async () => ({ version: '0.1.0', plugins: { storage: 'sqlite', scheduler: 'local' } }) });
    const outcome = await runCommand(Version, ['--addr', '127.0.0.1:4000'], client);
    assert.equal(outcome.exitCode, 0);
    assert.match(outcome.stdout, /Agent: {8}0\.1\.0 at 127\.0\.0\.1:4000\n {2}scheduler: {2}local\n {2}storage: {4}sqlite\n/);
  });
});

describe('accio agent', () => {
  it('prints the address, waits for the stop signal, then stops the agent', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    const rec = recordingIo();
    const done = runAgent(
      async (options) => {
        events.push(`start ${JSON.stringify(options)}`);
        return { addr: '127.0.0.1:4567', stop: async () => { events.push('stop'); } };
      },
      { port: 0 },
      rec.io,
      controller.signal,
    );
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(rec.out, ['Agent listening on 127.0.0.1:4567']);
    assert.deepEqual(events, ['start {"port":0}']);
    controller.abort();
    assert.deepEqual(await done, { addr: '127.0.0.1:4567' });
    assert.deepEqual(events, ['start {"port":0}', 'stop']);
  });
});

describe('the CLI user', () => {
  it('is ACCIO_USER when set, else the login name', () => {
    assert.equal(currentUser({ ACCIO_USER: 'Ada <ada@example.org>' }), 'Ada <ada@example.org>');
    assert.ok(currentUser({}).length > 0);
  });
});
