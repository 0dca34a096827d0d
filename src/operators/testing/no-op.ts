/** NoOp: does nothing, for throughput benchmarks of the engine and executors. */
import { T } from '../../core/types';
import { BuiltinOperator } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';

export const noOp: BuiltinOperator = {
  def: {
    name: 'NoOp',
    version: '1',
    category: 'testing',
    help: 'Returns its value unchanged.',
    inputs: [port('value', T.integer, { default: 0, help: 'Returned unchanged.' })],
    outputs: [port('value', T.integer, { help: 'The input value.' })],
    resources: SMALL_RESOURCES,
    unstable: false,
  },
  async run(inputs) {
    return { outputs: { value: inputs.value } };
  },
};
