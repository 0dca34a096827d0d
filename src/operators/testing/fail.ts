/** Fail: always fails, for tests of failure handling. */
import { T } from '../../core/types';
import { stringInput } from '../inputs';
import { BuiltinOperator, OperatorFailure } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';

export const fail: BuiltinOperator = {
  def: {
    name: 'Fail',
    version: '1',
    category: 'testing',
    help: 'Always fails with the given message (classifier "fail").',
    inputs: [port('message', T.string, { default: 'failed on purpose', help: 'The error message.' })],
    outputs: [],
    resources: SMALL_RESOURCES,
    unstable: false,
  },
  async run(inputs) {
    throw new OperatorFailure('fail', stringInput(inputs, 'message'));
  },
};
