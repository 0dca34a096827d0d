/**
 * The built `accio` binary against a real agent: each test starts an agent in process (random
 * port, fresh data directory) and runs `node bin/run.js ...` as a child process with env
 * ACCIO_ADDR, checking exit codes, what is printed and the `--json` envelopes.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExportResult } from '../../../src/cli/commands/export';
import type { InspectResult } from '../../../src/cli/commands/inspect';
import type { KillResult } from '../../../src/cli/commands/kill';
import type { LogsResult } from '../../../src/cli/commands/logs';
import type { PsResult } from '../../../src/cli/commands/ps';
import type { PushResult } from '../../../src/cli/commands/push';
import type { SubmitResult } from '../../../src/cli/commands/submit';
import type { ValidateResult } from '../../../src/cli/commands/validate';
import type { VersionResult } from '../../../src/cli/commands/version';
import { isTerminalNode, Run } from '../../../src/core/run';
import {
  CliOptions, CliResult, describeResult, freePort, jsonError, jsonResult, runAccio, startAccio, stopAccioProcesses,
} from '../../support/accio-cli';
import { startTestAgent, TestAgent, waitForRun } from '../../support/local-agent';
import { waitFor } from '../../support/wait-for';
import { failingWorkflow, noOpWorkflow, sleepWorkflow } from '../local/fixtures';

/** Errors of every kind the workflow validator finds in one pass, each at its own path. */
const INVALID_WORKFLOW = `
id: broken
params:
  - {name: duration, type: duration, default: 1s}
graph:
  - op: Sleep
    name: First
    inputs: {duration: {param: nope}, value: "abc"}
  - op: Sleep
    name: Second
    inputs: {duration: {param: duration}, value: {reference: Missing/value}, extra: 3}
  - op: NoSuchOp
    name: Third
`;

describe('e2e (cli): the accio binary against a running agent', function () {
  // Every command is a Node process that loads oclif (about half a second each).
  this.timeout(90_000);
  let t: TestAgent;
  let dir: string;
  let addr: string;

  /** Runs `accio <args>` against the test's agent, from the test's directory. */
  const accio = (args: string[], options: CliOptions = {}): Promise<CliResult> => runAccio(args, { addr, cwd: dir, ...options });

  /** Writes a file in the test's directory and returns its path. */
  const file = (name: string, text: string): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  const push = async (name: string, text: string): Promise<PushResult> => jsonResult<PushResult>(await accio(['push', file(name, text), '--json']));

  const nodeOf = async (runId: string, node: string) => (await t.client.getRun(runId)).state.nodes.find((n) => n.name === node)!;

  const waitForRunning = (runId: string, node: string) =>
    waitFor(`${node} of run ${runId} to be RUNNING`, async () => ((await nodeOf(runId, node)).status === 'RUNNING' ? true : undefined), 60_000);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accio-cli-e2e-'));
    t = await startTestAgent();
    addr = t.agent.addr;
  });

  afterEach(async () => {
    await stopAccioProcesses();
    await t?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('validate', () => {
    it('exits 2 and prints every error of an invalid workflow with its path', async () => {
      const r = await accio(['validate', file('broken.yaml', INVALID_WORKFLOW)]);
      assert.equal(r.code, 2, describeResult(r));
      for (const line of [
        'graph.Third.op: unknown operator "NoSuchOp"',
        'graph.First.inputs.value: expected integer, got "abc"',
        'graph.First.inputs.duration: undeclared param "nope"',
        'graph.Second.inputs.value: unknown node "Missing"',
        'graph.Second.inputs.extra: operator Sleep has no input "extra"',
      ]) {
        assert.ok(r.stdout.includes(line), `stdout has "${line}"\n${describeResult(r)}`);
      }
      assert.match(r.stdout, /broken\.yaml \(workflow\): 5 errors/);
      assert.match(r.stderr, /1 of 1 file invalid/);

      const json = jsonError(await accio(['validate', path.join(dir, 'broken.yaml'), '--json']), 2);
      const files = (json.data as ValidateResult).files;
      assert.deepEqual(files[0].errors.map((e) => e.path.join('.')).sort(), [
        'graph.First.inputs.duration',
        'graph.First.inputs.value',
        'graph.Second.inputs.extra',
        'graph.Second.inputs.value',
        'graph.Third.op',
      ]);
      assert.equal(files[0].kind, 'workflow');
      assert.equal(files[0].valid, false);
    });

    it('exits 2 and prints every error of an invalid run file with its path, against the pushed workflow', async () => {
      await push('noop.yaml', noOpWorkflow('noop'));
      const run = file('run.yaml', 'workflow: noop\nparams:\n  value: {values: [1, "x", 3]}\n  nope: 1\n  other: true\n');
      const r = await accio(['validate', run]);
      assert.equal(r.code, 2, describeResult(r));
      for (const line of [
        'params.value.values.1: expected integer, got "x"',
        'params.nope: unknown param "nope"',
        'params.other: unknown param "other"',
      ]) {
        assert.ok(r.stdout.includes(line), `stdout has "${line}"\n${describeResult(r)}`);
      }
      assert.match(r.stdout, /run\.yaml \(run\): 3 errors/);
      const json = jsonError(await accio(['validate', run, '--json']), 2);
      const files = (json.data as ValidateResult).files;
      assert.equal(files[0].kind, 'run');
      assert.deepEqual(files[0].errors.map((e) => e.path.join('.')).sort(), ['params.nope', 'params.other', 'params.value.values.1']);
    });

    it('reports the structural errors of a run file together with those found against its workflow', async () => {
      await push('noop.yaml', noOpWorkflow('noop'));
      const run = file('run.yaml', 'workflow: noop\nrepeat: 0\nparams:\n  foo: 1\n');
      const json = jsonError(await accio(['validate', run, '--json']), 2);
      const errors = (json.data as ValidateResult).files[0].errors;
      assert.deepEqual(errors.map((e) => e.path.join('.')).sort(), ['params.foo', 'params.value', 'repeat'], JSON.stringify(errors));
    });

    it('exits 0 for a valid workflow and a valid run file, storing nothing', async () => {
      const wf = file('noop.yaml', noOpWorkflow('checked'));
      const r = await accio(['validate', wf, '--json']);
      const result = jsonResult<ValidateResult>(r);
      assert.deepEqual(result.files.map((f) => [f.kind, f.valid, f.errors]), [['workflow', true, []]]);
      await assert.rejects(t.client.getWorkflow('checked'), (e: { code?: string }) => e.code === 'NOT_FOUND', 'validate stores nothing');

      await push('noop.yaml', noOpWorkflow('checked'));
      const run = file('run.yaml', 'workflow: checked\nparams:\n  value: {values: [1, 2]}\n');
      const human = await accio(['validate', wf, run]);
      assert.equal(human.code, 0, describeResult(human));
      assert.match(human.stdout, /✓ .*noop\.yaml \(workflow\)/);
      assert.match(human.stdout, /✓ .*run\.yaml \(run\)/);
    });
  });

  describe('push and submit', () => {
    it('pushes a workflow, then submits it with key=value params, printing the run id and exiting 0 once the run succeeds', async () => {
      const pushed = await push('noop.yaml', noOpWorkflow('noop'));
      assert.deepEqual(pushed.workflows.map((w) => [w.id, w.outcome]), [['noop', 'created']]);

      const r = await accio(['submit', 'noop', 'value=7', '--wait', '--json']);
      const result = jsonResult<SubmitResult>(r);
      assert.equal(result.ids.length, 1);
      assert.equal(result.status, 'SUCCESS');
      const run = await t.client.getRun(result.ids[0]);
      assert.equal(run.state.status, 'SUCCESS');
      assert.deepEqual(run.params, { value: 7 }, 'the key=value param reached the run');
      assert.equal(run.state.nodes[0].result!.outputs.value, 7);

      // Without --json the id is the first line of stdout, and the outcome follows it.
      const human = await accio(['submit', 'noop', 'value=8', '--wait']);
      assert.equal(human.code, 0, describeResult(human));
      const lines = human.stdout.trim().split('\n');
      assert.match(lines[0], /^[0-9a-f]{32}$/);
      assert.equal((await t.client.getRun(lines[0])).params.value, 8);
      assert.match(lines[1], new RegExp(`^${lines[0]} SUCCESS in `));
    });

    it('exits 4 when the waited run fails (a Command node exiting non-zero), naming the run and how to inspect it', async () => {
      await push('failing.yaml', failingWorkflow('failing'));
      const r = await accio(['submit', 'failing', '--wait', '--json']);
      const error = jsonError(r, 4);
      const data = error.data as SubmitResult;
      assert.equal(data.status, 'FAILED');
      assert.equal(data.ids.length, 1);
      assert.deepEqual(error.actions, [`accio inspect ${data.ids[0]}`]);

      const human = await accio(['submit', 'failing', '--wait']);
      assert.equal(human.code, 4, describeResult(human));
      const id = human.stdout.trim().split('\n')[0];
      assert.match(human.stderr, new RegExp(`Error: run ${id} ended FAILED`));
      const node = jsonResult<InspectResult>(await accio(['inspect', id, 'Broken', '--json'])).node!;
      assert.equal(node.status, 'FAILED');
      assert.match(node.error!.classifier, /exit 3/);
    });

    it('prints the parent id and then every child id for a sweep file', async () => {
      await push('noop.yaml', noOpWorkflow('noop'));
      const sweep = file('sweep.yaml', 'workflow: noop\nseed: 3\nrepeat: 2\nparams:\n  value: {values: [1, 2, 3]}\n');
      const r = await accio(['submit', sweep]);
      assert.equal(r.code, 0, describeResult(r));
      const ids = r.stdout.trim().split('\n');
      assert.equal(ids.length, 1 + 3 * 2, describeResult(r));
      const parent = await t.client.getRun(ids[0]);
      assert.deepEqual([...parent.children].sort(), ids.slice(1).sort(), 'the first id is the parent of all the others');
      for (const id of ids.slice(1)) assert.equal((await t.client.getRun(id)).parent, ids[0]);
      assert.match(r.stderr, new RegExp(`sweep of 6 runs \\(parent ${ids[0]} first\\)`));
      assert.equal((await waitForRun(t.client, ids[0])).state.status, 'SUCCESS');
    });

    it('completes every child of a second identical sweep from the cache', async () => {
      await push('noop.yaml', noOpWorkflow('noop'));
      const sweep = file('sweep.yaml', 'workflow: noop\nseed: 3\nparams:\n  value: {values: [1, 2, 3, 4]}\n');
      const first = jsonResult<SubmitResult>(await accio(['submit', sweep, '--wait', '--json']));
      assert.equal(first.ids.length, 5);
      assert.equal(first.status, 'SUCCESS');
      for (const child of first.ids.slice(1)) {
        const run = await t.client.getRun(child);
        assert.deepEqual(run.state.nodes.map((n) => [n.status, n.cacheHit]), [['SUCCESS', false]], `${child} computed its node`);
      }

      const second = jsonResult<SubmitResult>(await accio(['submit', sweep, '--wait', '--json']));
      assert.equal(second.ids.length, 5);
      assert.equal(second.status, 'SUCCESS');
      assert.equal(second.ids.filter((id) => first.ids.includes(id)).length, 0, 'new runs');
      const parent = jsonResult<InspectResult>(await accio(['inspect', second.ids[0], '--json']));
      assert.deepEqual(parent.children!.map((c) => c.id).sort(), second.ids.slice(1).sort());
      for (const child of second.ids.slice(1)) {
        const run = jsonResult<InspectResult>(await accio(['inspect', child, '--json'])).run;
        assert.deepEqual(run.state.nodes.map((n) => [n.status, n.cacheHit]), [['SUCCESS', true]], `${child} is a cache hit`);
      }
    });
  });

  describe('ps and inspect', () => {
    it('lists every run with its status in ps --all --json', async () => {
      await push('noop.yaml', noOpWorkflow('noop'));
      await push('failing.yaml', failingWorkflow('failing'));
      const ok = jsonResult<SubmitResult>(await accio(['submit', 'noop', 'value=1', '--wait', '--json'])).ids[0];
      const bad = (jsonError(await accio(['submit', 'failing', '--wait', '--json']), 4).data as SubmitResult).ids[0];

      const ps = jsonResult<PsResult>(await accio(['ps', '--all', '--json']));
      const status = Object.fromEntries(ps.runs.map((r) => [r.id, r.state.status]));
      assert.deepEqual(status, { [ok]: 'SUCCESS', [bad]: 'FAILED' });
      assert.equal(ps.total, 2);
      // Without --all, only active runs: none here.
      assert.deepEqual(jsonResult<PsResult>(await accio(['ps', '--json'])).runs, []);
    });

    it("includes each node's status and cache hit flag in inspect --json", async () => {
      const chain = 'id: chain\nparams:\n  - {name: value, type: integer}\ngraph:\n'
        + '  - op: NoOp\n    name: A\n    inputs: {value: {param: value}}\n'
        + '  - op: Sleep\n    name: B\n    inputs: {duration: 10ms, value: {reference: A/value}}\n';
      await push('chain.yaml', chain);
      const first = jsonResult<SubmitResult>(await accio(['submit', 'chain', 'value=5', '--wait', '--json'])).ids[0];
      const second = jsonResult<SubmitResult>(await accio(['submit', 'chain', 'value=5', '--wait', '--json'])).ids[0];

      const nodes = async (id: string) =>
        jsonResult<InspectResult>(await accio(['inspect', id, '--json'])).run.state.nodes.map((n) => [n.name, n.status, n.cacheHit]);
      assert.deepEqual(await nodes(first), [['A', 'SUCCESS', false], ['B', 'SUCCESS', false]]);
      assert.deepEqual(await nodes(second), [['A', 'SUCCESS', true], ['B', 'SUCCESS', true]]);

      const b = jsonResult<InspectResult>(await accio(['inspect', second.slice(0, 12), 'B', '--json']));
      assert.equal(b.run.id, second, 'a unique prefix names the run');
      assert.equal(b.node!.cacheHit, true);
      assert.equal(b.node!.result!.outputs.value, 5);
    });

    it('exits 3 for an unknown run, in text and in --json', async () => {
      const r = await accio(['inspect', 'ffffffffffff']);
      assert.equal(r.code, 3, describeResult(r));
      assert.match(r.stderr, /run not found: ffffffffffff/);
      const json = jsonError(await accio(['inspect', 'ffffffffffff', '--json']), 3);
      assert.equal(json.code, 'NOT_FOUND');
    });
  });

  describe('logs and kill', () => {
    it("prints the lines a running Sleep node logged so far, and with -f follows them until the node ends", async () => {
      await push('sleep.yaml', sleepWorkflow('sleepy', '6s'));
      const id = jsonResult<SubmitResult>(await accio(['submit', 'sleepy', '--json'])).ids[0];
      await waitForRunning(id, 'First');

      const soFar = await waitFor('a line logged by First', async () => {
        const r = await accio(['logs', id, 'First']);
        assert.equal(r.code, 0, describeResult(r));
        return r.stdout.trim() ? r : undefined;
      }, 30_000, 200);
      assert.match(soFar.stdout, /^slept 1s of 6s\n/);
      assert.equal((await nodeOf(id, 'First')).status, 'RUNNING', 'the node was still running when logs answered');

      const follow = startAccio(['logs', id, 'First', '-f'], { addr, cwd: dir });
      const ended = await follow.exited;
      assert.equal(ended.code, 0, describeResult(ended));
      assert.ok(isTerminalNode((await nodeOf(id, 'First')).status), 'logs -f returned once the node ended');
      const all = [1, 2, 3, 4, 5, 6].map((n) => `slept ${n}s of 6s`);
      assert.deepEqual(ended.stdout.trim().split('\n'), all);

      const json = jsonResult<LogsResult>(await accio(['logs', id, 'First', '--json']));
      assert.deepEqual(json.lines.filter((l) => l.stream === 'stdout').map((l) => l.message), all);
      await waitForRun(t.client, id);
    });

    it('kills a running run (exit 0), and killing it again once it is finished also exits 0', async () => {
      await push('sleep.yaml', sleepWorkflow('killme', '60s'));
      const id = jsonResult<SubmitResult>(await accio(['submit', 'killme', '--json'])).ids[0];
      await waitForRunning(id, 'First');

      const killed = jsonResult<KillResult>(await accio(['kill', id, '--json']));
      assert.deepEqual(killed.runs, [{ id, outcome: 'killed', status: 'KILLED' }]);
      const run: Run = await t.client.getRun(id);
      assert.deepEqual(run.state.nodes.map((n) => [n.name, n.status]), [['First', 'KILLED'], ['Second', 'CANCELLED']]);

      const again = await accio(['kill', id]);
      assert.equal(again.code, 0, describeResult(again));
      assert.match(again.stdout, new RegExp(`${id} already finished \\(KILLED\\)`));
      const againJson = jsonResult<KillResult>(await accio(['kill', id.slice(0, 10), '--json']));
      assert.deepEqual(againJson.runs, [{ id, outcome: 'already finished', status: 'KILLED' }]);
    });
  });

  describe('export', () => {
    it('writes artifacts.csv with one row per param combination with --aggregate', async () => {
      await push('noop.yaml', noOpWorkflow('noop'));
      const sweep = file('sweep.yaml', 'workflow: noop\nrepeat: 2\nparams:\n  value: {values: [10, 20, 30]}\n');
      const parent = jsonResult<SubmitResult>(await accio(['submit', sweep, '--wait', '--json'])).ids[0];
      const out = path.join(dir, 'results');

      const result = jsonResult<ExportResult>(await accio(['export', parent, '--aggregate', '--out', out, '--json']));
      assert.equal(result.runs, 6, 'the parent expands to its 6 children');
      assert.deepEqual([...result.files].sort(), ['artifacts.csv', 'metrics.csv']);
      const rows = fs.readFileSync(path.join(out, 'artifacts.csv'), 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
      assert.deepEqual(rows[0], ['value', 'count', 'NoOp/value']);
      assert.deepEqual(rows.slice(1).sort(), [['10', '2', '10'], ['20', '2', '20'], ['30', '2', '30']]);

      const again = await accio(['export', parent, '--aggregate', '--out', out]);
      assert.equal(again.code, 1, `an export never mixes into a directory that holds files\n${describeResult(again)}`);
    });
  });

  describe('version and reaching the agent', () => {
    it("shows the agent's version and plugins in version --json", async () => {
      const v = jsonResult<VersionResult>(await accio(['version', '--json']));
      assert.equal(v.agent?.addr, addr);
      assert.deepEqual(v.agent?.plugins, { storage: 'sqlite', statemgr: 'local', uploader: 'local', scheduler: 'local' });
      assert.equal(v.cli.version, v.agent?.version);
    });

    it('exits 4 with a message that says how to start an agent when none listens at the address', async () => {
      const nobody = `127.0.0.1:${await freePort()}`;
      const r = await runAccio(['ps'], { addr: nobody, cwd: dir });
      assert.equal(r.code, 4, describeResult(r));
      assert.match(r.stderr, new RegExp(`cannot reach the agent at ${nobody}`));
      assert.match(r.stderr, /accio agent/);

      const json = jsonError(await runAccio(['submit', 'noop', 'value=1', '--json'], { addr: nobody, cwd: dir }), 4);
      assert.equal(json.code, 'UNAVAILABLE');
      assert.ok(json.actions.some((a) => a.includes('accio agent')), JSON.stringify(json.actions));
    });
  });
});
