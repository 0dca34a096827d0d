import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../src/core/canonical';
import { Workflow, WorkflowSpec } from '../../../src/core/workflow';
import { parseWorkflowText } from '../../../src/core/workflow-parse';
import { workflowVersion } from '../../../src/core/workflow-version';
import { testRegistry } from '../../support/test-operators';

const registry = testRegistry();

function specOf(text: string): WorkflowSpec {
  const outcome = parseWorkflowText(text, registry);
  assert.deepEqual(outcome.errors, []);
  return outcome.spec!;
}

const YAML_BLOCK = `
id: geo-i
name: Geo-I
params:
  - name: epsilon
    type: float
    default: 0.5
graph:
  - op: Generate
    name: Gen
    inputs:
      count: 10
      window: 10s
      tags: {value: {b: x, a: y}}
  - op: Noisy
    inputs:
      data: {reference: Gen/data}
      epsilon: {param: epsilon}
`;

// The same definition: JSON, every mapping's keys in another order, the duration in milliseconds,
// the node name of Noisy written out, the reference in object form.
const JSON_REORDERED = JSON.stringify({
  graph: [
    { inputs: { tags: { value: { a: 'y', b: 'x' } }, window: 10000, count: 10 }, name: 'Gen', op: 'Generate' },
    { name: 'Noisy', inputs: { epsilon: { param: 'epsilon' }, data: { reference: { port: 'data', node: 'Gen' } } }, op: 'Noisy' },
  ],
  params: [{ default: 0.5, type: 'float', name: 'epsilon' }],
  name: 'Geo-I',
  id: 'geo-i',
});

describe('workflowVersion', () => {
  it('is 16 lower-case hex digits', () => {
    assert.match(workflowVersion(specOf(YAML_BLOCK)), /^[0-9a-f]{16}$/);
  });

  it('is the prefix of SHA-256 over the canonical JSON of the spec fields', () => {
    const spec = specOf(YAML_BLOCK);
    const content = {
      id: spec.id,
      name: spec.name,
      params: [{ name: 'epsilon', type: 'float', default: 0.5 }],
      graph: spec.graph,
    };
    assert.equal(workflowVersion(spec), createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 16));
  });

  it('is the same for the same definition in YAML and in JSON with other key order and formatting', () => {
    assert.equal(workflowVersion(specOf(JSON_REORDERED)), workflowVersion(specOf(YAML_BLOCK)));
  });

  it('is the same for a stored workflow and its spec', () => {
    const spec = specOf(YAML_BLOCK);
    const stored: Workflow = { ...spec, version: 'whatever', createdAtMs: 1, active: true };
    assert.equal(workflowVersion(stored), workflowVersion(spec));
  });

  it('changes when a constant changes', () => {
    assert.notEqual(workflowVersion(specOf(YAML_BLOCK.replace('count: 10', 'count: 11'))), workflowVersion(specOf(YAML_BLOCK)));
  });

  it('changes with any change of meaning: a default, a constant, a map entry, the name, owner or id, a node name, a param replaced by a constant', () => {
    const base = workflowVersion(specOf(YAML_BLOCK));
    const variants = [
      YAML_BLOCK.replace('default: 0.5', 'default: 0.25'),
      YAML_BLOCK.replace('    default: 0.5\n', ''),
      YAML_BLOCK.replace('window: 10s', 'window: 11s'),
      YAML_BLOCK.replace('{value: {b: x, a: y}}', '{value: {b: x}}'),
      YAML_BLOCK.replace('name: Geo-I', 'name: Geo-I v2'),
      YAML_BLOCK.replace('name: Geo-I', 'owner: jane'),
      YAML_BLOCK.replace('id: geo-i', 'id: geo-j'),
      YAML_BLOCK.replace('  - op: Noisy\n', '  - op: Noisy\n    name: Perturb\n'),
      YAML_BLOCK.replace('epsilon: {param: epsilon}', 'epsilon: 0.1').replace(/params:[\s\S]*?graph:/, 'graph:'),
    ];
    const versions = variants.map((text) => workflowVersion(specOf(text)));
    assert.equal(new Set([base, ...versions]).size, variants.length + 1, `versions: ${[base, ...versions].join(' ')}`);
  });
});
