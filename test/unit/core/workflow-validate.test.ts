import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { formatPath } from '../../../src/core/errors';
import { T } from '../../../src/core/types';
import { WorkflowSpec } from '../../../src/core/workflow';
import { workflowSpecToDocument } from '../../../src/core/workflow-document';
import { parseWorkflowObject } from '../../../src/core/workflow-parse';
import { paramIsRequired, validateWorkflowSpec } from '../../../src/core/workflow-validate';
import { testRegistry } from '../../support/test-operators';

const registry = testRegistry();

/** A valid structured spec, as the API would deliver it. */
function aSpec(): WorkflowSpec {
  return {
    id: 'flow',
    owner: 'jane',
    params: [
      { name: 'epsilon', type: T.float, default: 0.5, help: 'budget' },
      { name: 'label', type: T.string },
    ],
    graph: [
      { name: 'Source', op: 'Source', inputs: {} },
      {
        name: 'Scaled',
        op: 'Transform',
        inputs: {
          data: { kind: 'reference', node: 'Source', port: 'data' },
          factor: { kind: 'value', value: 2 },
          label: { kind: 'param', param: 'label' },
        },
      },
      { name: 'Noisy', op: 'Noisy', inputs: { data: { kind: 'reference', node: 'Scaled', port: 'data' }, epsilon: { kind: 'param', param: 'epsilon' } } },
      { name: 'Gen', op: 'Generate', inputs: { count: { kind: 'value', value: 3 }, tags: { kind: 'value', value: { a: 'b' } } } },
    ],
  };
}

describe('validateWorkflowSpec', () => {
  it('finds nothing wrong with a valid structured spec', () => {
    assert.deepEqual(validateWorkflowSpec(aSpec(), registry), { errors: [], warnings: [] });
  });

  it('reports the mistakes of a structured spec at the same paths as in a definition file', () => {
    const spec = aSpec();
    spec.id = '-bad';
    spec.graph[1].inputs.factor = { kind: 'value', value: 'x' };
    spec.graph[2].inputs.data = { kind: 'reference', node: 'Ghost', port: 'data' };
    spec.params[0].default = 'half';
    const { errors } = validateWorkflowSpec(spec, registry);
    assert.deepEqual(errors.map((e) => formatPath(e.path)).sort(), ['graph.Noisy.inputs.data', 'graph.Scaled.inputs.factor', 'id', 'params.epsilon.default']);
  });

  it('reports a binding that is not one of the three kinds at its port', () => {
    const spec = aSpec();
    (spec.graph[3].inputs as Record<string, unknown>).count = { kind: 'constant', value: 3 };
    const { errors } = validateWorkflowSpec(spec, registry);
    assert.deepEqual(errors.map((e) => formatPath(e.path)), ['graph.Gen.inputs.count']);
  });

  it('reports a param type that is not a DataType at its type', () => {
    const spec = aSpec();
    (spec.params[1] as unknown as Record<string, unknown>).type = { kind: 'text' };
    const { errors } = validateWorkflowSpec(spec, registry);
    assert.deepEqual(errors.map((e) => formatPath(e.path)), ['params.label.type']);
  });

  it('returns warnings too', () => {
    const spec = aSpec();
    spec.params.push({ name: 'spare', type: T.integer });
    assert.deepEqual(validateWorkflowSpec(spec, registry).warnings.map((w) => formatPath(w.path)), ['params.spare']);
  });
});

describe('workflowSpecToDocument', () => {
  it('gives a document that parses back to an equal spec', () => {
    const spec = aSpec();
    assert.deepEqual(parseWorkflowObject(workflowSpecToDocument(spec), registry).spec, spec);
  });

  it('round-trips text constants that look like references, and node names with a slash in references', () => {
    const spec = aSpec();
    spec.graph[1].inputs.label = { kind: 'value', value: 'Source/data' };
    spec.params.pop();
    assert.deepEqual(parseWorkflowObject(workflowSpecToDocument(spec), registry).spec, spec);
    assert.deepEqual(workflowSpecToDocument({ id: 'x', params: [], graph: [{ name: 'A', op: 'A', inputs: { d: { kind: 'reference', node: 'B/1', port: 'd' } } }] }).graph, [
      { op: 'A', inputs: { d: { reference: { node: 'B/1', port: 'd' } } } },
    ]);
  });

  it('round-trips any integer and text constants', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), (count, label, factor) => {
        const spec = aSpec();
        spec.graph[3].inputs.count = { kind: 'value', value: count };
        spec.graph[1].inputs.label = { kind: 'value', value: label };
        spec.graph[1].inputs.factor = { kind: 'value', value: Object.is(factor, -0) ? 0 : factor };
        spec.params.pop();
        assert.deepEqual(parseWorkflowObject(workflowSpecToDocument(spec), registry).spec, spec);
      }),
    );
  });
});

describe('paramIsRequired', () => {
  const spec = (params: WorkflowSpec['params'], bindings: Record<string, string>): WorkflowSpec => ({
    id: 'flow',
    params,
    graph: [
      { name: 'Source', op: 'Source', inputs: {} },
      {
        name: 'Transform',
        op: 'Transform',
        inputs: {
          data: { kind: 'reference', node: 'Source', port: 'data' },
          ...Object.fromEntries(Object.entries(bindings).filter(([port]) => port !== 'epsilon').map(([port, param]) => [port, { kind: 'param' as const, param }])),
        },
      },
      {
        name: 'Noisy',
        op: 'Noisy',
        inputs: {
          data: { kind: 'reference', node: 'Transform', port: 'data' },
          ...(bindings.epsilon ? { epsilon: { kind: 'param' as const, param: bindings.epsilon } } : { epsilon: { kind: 'value' as const, value: 1 } }),
        },
      },
    ],
  });

  it('requires a param without default bound to an input that is neither optional nor defaulted', () => {
    const p = { name: 'x', type: T.float };
    assert.equal(paramIsRequired(p, spec([p], { epsilon: 'x' }), registry), true);
  });

  it('does not require a param that has a default', () => {
    const p = { name: 'x', type: T.float, default: 1 };
    assert.equal(paramIsRequired(p, spec([p], { epsilon: 'x' }), registry), false);
  });

  it('does not require a param bound only to optional or defaulted inputs', () => {
    const f = { name: 'f', type: T.float };
    const l = { name: 'l', type: T.string };
    const s = spec([f, l], { factor: 'f', label: 'l' });
    assert.deepEqual(validateWorkflowSpec(s, registry).errors, []);
    assert.equal(paramIsRequired(f, s, registry), false);
    assert.equal(paramIsRequired(l, s, registry), false);
  });

  it('requires a param bound to one defaulted and one required input', () => {
    const p = { name: 'x', type: T.float };
    assert.equal(paramIsRequired(p, spec([p], { factor: 'x', epsilon: 'x' }), registry), true);
  });
});
