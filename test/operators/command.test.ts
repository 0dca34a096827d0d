import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetAt, localPath } from '../../src/operators/datasets';
import { command } from '../../src/operators/generic/command';
import { OperatorFailure } from '../../src/operators/operator';
import { OperatorHarness } from '../support/operator-harness';

describe('Command', () => {
  let h: OperatorHarness;
  beforeEach(async () => {
    h = await OperatorHarness.create();
  });
  afterEach(() => h.dispose());

  it('runs a shell program that reads its input dataset and writes its output dataset', async () => {
    const input = h.dir('input');
    await mkdir(input);
    await writeFile(join(input, 'words.txt'), 'b\na\nc\n');
    const { outputs } = await h.run(command, {
      command: ['sh', '-c', 'sort "$ACCIO_INPUT_DIR/words.txt" > "$ACCIO_OUTPUT_DIR/sorted.txt"; echo done; echo careful >&2'],
      input: datasetAt(input),
    });
    assert.equal(outputs.exitCode, 0);
    assert.equal(await readFile(join(localPath(outputs.output, 'output'), 'sorted.txt'), 'utf8'), 'a\nb\nc\n');
    assert.deepEqual(h.lines('stdout'), ['done']);
    assert.deepEqual(h.lines('stderr'), ['careful']);
  });

  it('passes args as ACCIO_ARG_ variables and reads metrics.json, without leaking the executor\'s ACCIO_ variables', async () => {
    process.env.ACCIO_TASK_TOKEN = 'secret-token';
    try {
      const script = `
        const fs = require('fs');
        const out = process.env.ACCIO_OUTPUT_DIR;
        fs.writeFileSync(out + '/env.json', JSON.stringify({ rate: process.env.ACCIO_ARG_LEARNING_RATE, token: process.env.ACCIO_TASK_TOKEN ?? null, input: process.env.ACCIO_INPUT_DIR ?? null }));
        fs.writeFileSync(out + '/metrics.json', JSON.stringify({ accuracy: Number(process.env.ACCIO_ARG_LEARNING_RATE) * 10, label: 'x' }));
      `;
      const { outputs, metrics } = await h.run(command, { command: [process.execPath, '-e', script], args: { 'learning-rate': '0.05' } });
      const env = JSON.parse(await readFile(join(localPath(outputs.output, 'output'), 'env.json'), 'utf8'));
      assert.deepEqual(env, { rate: '0.05', token: null, input: null });
      assert.deepEqual(metrics, { accuracy: 0.5 });
      assert.match(h.lines('stderr').join('\n'), /ignoring "label"/);
    } finally {
      delete process.env.ACCIO_TASK_TOKEN;
    }
  });

  it('fails with classifier "exit <code>" and the last stderr lines when the program exits non-zero', async () => {
    const err = await h.run(command, { command: ['sh', '-c', 'echo working; echo "no such file: data.csv" >&2; exit 3'] }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OperatorFailure);
    assert.equal(err.classifier, 'exit 3');
    assert.match(err.message, /exit 3/);
    assert.match(err.message, /no such file: data\.csv/);
    assert.deepEqual(h.lines('stdout'), ['working']);
  });

  it('fails with classifier "spawn ENOENT" when the program does not exist', async () => {
    await assert.rejects(h.run(command, { command: ['/no/such/program'] }), (e: unknown) => e instanceof OperatorFailure && e.classifier === 'spawn ENOENT');
  });

  it('kills the program, and the processes it started, when aborted', async () => {
    const marker = join(h.root, 'still-running');
    const running = h.run(command, { command: ['sh', '-c', `echo started; sleep 1; touch ${marker}`] });
    while (!h.lines('stdout').includes('started')) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    h.abort();
    await assert.rejects(running, (e: unknown) => e instanceof OperatorFailure && e.classifier === 'aborted');
    assert.ok(Date.now() - t0 < 1500, 'the program was not stopped promptly');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(existsSync(marker), false, 'the shell\'s child outlived the abort');
  });

  it('fails with classifier "timeout" when the program runs past its timeout', async () => {
    const t0 = Date.now();
    await assert.rejects(h.run(command, { command: ['sleep', '5'], timeout: 200 }), (e: unknown) => e instanceof OperatorFailure && e.classifier === 'timeout');
    assert.ok(Date.now() - t0 < 2000);
  });

  it('refuses args whose variable names collide', async () => {
    await assert.rejects(h.run(command, { command: ['true'], args: { 'a-b': '1', a_b: '2' } }), /both map to ACCIO_ARG_A_B/);
  });
});
