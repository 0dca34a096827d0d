import { strict as assert } from 'node:assert';
import { InvalidDefinitionError } from '../../../src/core/errors';
import { DEFAULT_RESOURCES, InMemoryOperatorRegistry, OperatorDef, validateOperatorDef } from '../../../src/core/operator';
import { T } from '../../../src/core/types';
import { builtinOperators } from '../../../src/operators';

const anOp = (overrides: Partial<OperatorDef> = {}): OperatorDef => ({
  name: 'Smooth',
  version: '1',
  category: 'prepare',
  help: 'smooths',
  inputs: [{ name: 'window', type: T.duration, default: 1000, optional: false }],
  outputs: [{ name: 'data', type: T.dataset, optional: false }],
  resources: DEFAULT_RESOURCES,
  unstable: false,
  ...overrides,
});

describe('operator definitions', () => {
  it('accepts a well-formed definition, and every built-in operator', () => {
    assert.deepEqual(validateOperatorDef(anOp()), []);
    for (const op of builtinOperators()) assert.deepEqual(validateOperatorDef(op.def), [], op.def.name);
  });

  it('reports every problem with its path', () => {
    const issues = validateOperatorDef(anOp({
      name: 'smooth',
      inputs: [
        { name: 'Window', type: T.duration, optional: false },
        { name: 'k', type: T.integer, default: 'five' as never, optional: false },
        { name: 'k', type: T.integer, optional: true },
      ],
      resources: { cpu: 0, memoryMb: 512, diskMb: 1 },
    })).map((i) => i.path.join('.'));
    assert.deepEqual(issues, ['name', 'inputs.Window', 'inputs.k.default', 'inputs.k', 'resources.cpu']);
  });

  it('refuses to register an invalid definition or a name twice, and lists by category sorted by name', () => {
    const registry = new InMemoryOperatorRegistry([anOp(), anOp({ name: 'Blur', category: 'prepare' }), anOp({ name: 'Count', category: 'metric' })]);
    assert.throws(() => registry.register(anOp()), InvalidDefinitionError);
    assert.throws(() => registry.register(anOp({ name: 'bad' })), InvalidDefinitionError);
    assert.deepEqual(registry.list('prepare').map((o) => o.name), ['Blur', 'Smooth']);
    assert.equal(registry.get('Count')?.category, 'metric');
    assert.equal(registry.get('Nope'), undefined);
  });
});
