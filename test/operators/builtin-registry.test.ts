import assert from 'node:assert/strict';
import { OPERATOR_NAME } from '../../src/core/operator';
import { coerceValue } from '../../src/core/values';
import { builtinOperators, builtinRegistry, findBuiltin } from '../../src/operators';

describe('builtin operator library', () => {
  it('registers every builtin operator under its name', () => {
    const names = builtinRegistry().list().map((d) => d.name);
    assert.deepEqual(names, builtinOperators().map((op) => op.def.name).sort());
    for (const name of ['GenerateTraces', 'TemporalSampling', 'GeoIndistinguishability', 'PoisExtraction', 'SpatialDistortion', 'PoisRetrieval', 'Command', 'Sleep', 'Fail', 'NoOp']) {
      assert.equal(findBuiltin(name)?.def.name, name);
    }
    assert.equal(findBuiltin('Nope'), undefined);
  });

  it('declares well-formed definitions: valid names, help on every port, defaults of the port type', () => {
    for (const { def } of builtinOperators()) {
      assert.match(def.name, OPERATOR_NAME);
      assert.ok(def.help.length > 0 && def.version.length > 0 && def.category.length > 0, def.name);
      for (const p of [...def.inputs, ...def.outputs]) {
        assert.ok(p.help, `${def.name}.${p.name} has no help`);
        if (p.default !== undefined) {
          const c = coerceValue(p.type, p.default);
          assert.ok(c.ok && JSON.stringify(c.value) === JSON.stringify(p.default), `${def.name}.${p.name}: default is not canonical`);
        }
      }
    }
  });

  it('marks exactly the operators that draw random numbers as unstable', () => {
    const unstable = builtinOperators().filter((op) => op.def.unstable).map((op) => op.def.name).sort();
    assert.deepEqual(unstable, ['GenerateTraces', 'GeoIndistinguishability']);
  });
});
