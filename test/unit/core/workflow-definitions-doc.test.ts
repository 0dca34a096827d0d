import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RESOURCES, InMemoryOperatorRegistry, OperatorDef, PortDef } from '../../../src/core/operator';
import { DataType, T } from '../../../src/core/types';
import { parseWorkflowText } from '../../../src/core/workflow-parse';
import { paramIsRequired } from '../../../src/core/workflow-validate';

/** The signatures the example of docs/workflow-definitions.md assumes. */
function docRegistry(): InMemoryOperatorRegistry {
  const port = (name: string, type: DataType, extra: Partial<PortDef> = {}): PortDef => ({ name, type, optional: false, ...extra });
  const op = (name: string, inputs: PortDef[], outputs: PortDef[], extra: Partial<OperatorDef> = {}): OperatorDef => ({
    name, version: '1', category: 'lppm', help: name, inputs, outputs, resources: DEFAULT_RESOURCES, unstable: false, ...extra,
  });
  return new InMemoryOperatorRegistry([
    op('EventSource', [port('url', T.dataset), port('users', T.list(T.string), { optional: true })], [port('data', T.dataset)]),
    op('DurationSplitting', [port('data', T.dataset), port('duration', T.duration)], [port('data', T.dataset)]),
    op('GeoIndistinguishability', [port('data', T.dataset), port('epsilon', T.float, { default: 0.001 })], [port('data', T.dataset)], { unstable: true }),
    op('SpatialDistortion', [port('train', T.dataset), port('test', T.dataset), port('labels', T.map(T.string), { optional: true })], [port('avg', T.float)]),
  ]);
}

function codeBlocks(language: string): string[] {
  const doc = readFileSync(join(__dirname, '../../../docs/workflow-definitions.md'), 'utf8');
  return [...doc.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

describe('docs/workflow-definitions.md', () => {
  const registry = docRegistry();

  it('has a full YAML example that is valid, without warnings', () => {
    const outcome = parseWorkflowText(codeBlocks('yaml')[0], registry);
    assert.deepEqual([outcome.errors, outcome.warnings], [[], []]);
    assert.deepEqual(outcome.spec?.graph.map((n) => n.name), ['Source', 'DurationSplitting', 'GeoI', 'SpatialDistortion']);
    assert.deepEqual(outcome.spec?.graph[1].inputs.duration, { kind: 'value', value: 4 * 3_600_000 });
  });

  it('says the example params are optional, as its help text claims', () => {
    const spec = parseWorkflowText(codeBlocks('yaml')[0], registry).spec!;
    assert.deepEqual(spec.params.map((p) => paramIsRequired(p, spec, registry)), [false, false]);
  });

  it('has a JSON example that is valid', () => {
    const outcome = parseWorkflowText(codeBlocks('json')[0], registry);
    assert.deepEqual(outcome.errors, []);
    assert.ok(outcome.spec);
  });
});
