/** Sleep: waits, for tests of timing, heartbeats, kills and logs. */
import { formatDuration } from '../../core/values';
import { T } from '../../core/types';
import { delay } from '../abort';
import { numberInput } from '../inputs';
import { BuiltinOperator } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';

const TICK_MS = 1000;

export const sleep: BuiltinOperator = {
  def: {
    name: 'Sleep',
    version: '1',
    category: 'testing',
    help: 'Waits for a duration, logging a line per second, then returns its value.',
    description: 'Stops early, failing with classifier "aborted", when the task is killed.',
    inputs: [
      port('duration', T.duration, { help: 'How long to wait.' }),
      port('value', T.integer, { default: 0, help: 'Returned unchanged.' }),
    ],
    outputs: [port('value', T.integer, { help: 'The input value.' })],
    resources: SMALL_RESOURCES,
    unstable: false,
  },
  async run(inputs, ctx) {
    const totalMs = numberInput(inputs, 'duration', { min: 0 });
    let sleptMs = 0;
    while (sleptMs < totalMs) {
      const step = Math.min(TICK_MS, totalMs - sleptMs);
      await delay(step, ctx.signal);
      sleptMs += step;
      ctx.log(`slept ${formatDuration(sleptMs)} of ${formatDuration(totalMs)}`);
    }
    return { outputs: { value: inputs.value } };
  },
};
