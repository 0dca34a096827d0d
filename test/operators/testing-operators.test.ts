import assert from 'node:assert/strict';
import { OperatorFailure } from '../../src/operators/operator';
import { fail } from '../../src/operators/testing/fail';
import { noOp } from '../../src/operators/testing/no-op';
import { sleep } from '../../src/operators/testing/sleep';
import { OperatorHarness } from '../support/operator-harness';

describe('testing operators', () => {
  let h: OperatorHarness;
  beforeEach(async () => {
    h = await OperatorHarness.create();
  });
  afterEach(() => h.dispose());

  it('Sleep waits for its duration, logs a line per second and returns its value', async () => {
    const t0 = Date.now();
    const { outputs } = await h.run(sleep, { duration: 1500, value: 7 });
    assert.ok(Date.now() - t0 >= 1500);
    assert.deepEqual(outputs, { value: 7 });
    assert.deepEqual(h.lines('stdout'), ['slept 1s of 1s500ms', 'slept 1s500ms of 1s500ms']);
  });

  it('Sleep stops promptly with classifier "aborted" when aborted', async () => {
    const running = h.run(sleep, { duration: 60_000 });
    setTimeout(() => h.abort(), 50);
    const t0 = Date.now();
    await assert.rejects(running, (e: unknown) => e instanceof OperatorFailure && e.classifier === 'aborted');
    assert.ok(Date.now() - t0 < 500);
  });

  it('Fail always fails with its message', async () => {
    await assert.rejects(h.run(fail, { message: 'boom' }), (e: unknown) => e instanceof OperatorFailure && e.classifier === 'fail' && e.message === 'boom');
  });

  it('NoOp returns its value, 0 by default', async () => {
    assert.deepEqual((await h.run(noOp, { value: 3 })).outputs, { value: 3 });
    assert.deepEqual((await h.run(noOp, {})).outputs, { value: 0 });
  });
});
