import { strict as assert } from 'node:assert';
import { formatPath, ValidationIssue } from '../../../src/core/errors';
import { ParseOutcome } from '../../../src/core/parse-outcome';
import { T } from '../../../src/core/types';
import { coerceValue } from '../../../src/core/values';
import { WorkflowSpec } from '../../../src/core/workflow';
import { parseWorkflowObject, parseWorkflowText } from '../../../src/core/workflow-parse';
import { LEGACY, testRegistry } from '../../support/test-operators';

const registry = testRegistry();

type Doc = Record<string, unknown> & { params: Record<string, unknown>[]; graph: Record<string, unknown>[] };

/** A valid four-node chain Source -> Transform -> Noisy -> Score with one param. */
function aDoc(): Doc {
  return {
    id: 'flow',
    params: [{ name: 'epsilon', type: 'float', default: 0.1 }],
    graph: [
      { op: 'Source' },
      { op: 'Transform', inputs: { data: { reference: 'Source/data' } } },
      { op: 'Noisy', inputs: { data: { reference: 'Transform/data' }, epsilon: { param: 'epsilon' } } },
      { op: 'Score', inputs: { data: { reference: 'Noisy/data' } } },
    ],
  };
}

function parse(doc: unknown): ParseOutcome<WorkflowSpec> {
  return parseWorkflowObject(doc, registry);
}

/** Asserts exactly one error and returns it, for tests about one mistake. */
function theError(outcome: ParseOutcome<WorkflowSpec>): ValidationIssue {
  assert.equal(outcome.spec, undefined, 'no spec when there is an error');
  assert.equal(outcome.errors.length, 1, `expected one error, got:\n${outcome.errors.map((e) => `${formatPath(e.path)}: ${e.message}`).join('\n')}`);
  return outcome.errors[0];
}

function errorPaths(outcome: ParseOutcome<WorkflowSpec>): string[] {
  return outcome.errors.map((e) => formatPath(e.path)).sort();
}

describe('parseWorkflowText', () => {
  it('normalizes a YAML definition: node names from operators, constants coerced to their port types', () => {
    const outcome = parseWorkflowText(
      [
        'id: geo-i',
        'name: Geo-I',
        'owner: Jane Doe <jane@example.org>',
        'params:',
        '  - {name: epsilon, type: float, default: 1, help: privacy budget}',
        'graph:',
        '  - op: Generate',
        '    name: Gen',
        '    inputs: {count: 3, window: 1m30s, tags: {value: {a: b}}, ks: [1, 2]}',
        '  - op: Noisy',
        '    inputs: {data: {reference: Gen/data}, epsilon: {param: epsilon}}',
      ].join('\n'),
      registry,
    );
    assert.deepEqual(outcome.errors, []);
    assert.deepEqual(outcome.spec, {
      id: 'geo-i',
      name: 'Geo-I',
      owner: 'Jane Doe <jane@example.org>',
      params: [{ name: 'epsilon', type: T.float, default: 1, help: 'privacy budget' }],
      graph: [
        {
          name: 'Gen',
          op: 'Generate',
          inputs: {
            count: { kind: 'value', value: 3 },
            window: { kind: 'value', value: 90_000 },
            tags: { kind: 'value', value: { a: 'b' } },
            ks: { kind: 'value', value: [1, 2] },
          },
        },
        {
          name: 'Noisy',
          op: 'Noisy',
          inputs: { data: { kind: 'reference', node: 'Gen', port: 'data' }, epsilon: { kind: 'param', param: 'epsilon' } },
        },
      ],
    });
  });

  it('reads JSON to the same spec as the equivalent YAML', () => {
    const yaml = parseWorkflowText('id: flow\ngraph:\n  - op: Source\n  - op: Score\n    inputs:\n      data: {reference: Source/data}\n', registry);
    const json = parseWorkflowText(JSON.stringify({ graph: [{ op: 'Source' }, { inputs: { data: { reference: 'Source/data' } }, op: 'Score' }], id: 'flow' }, null, '\t'), registry);
    assert.ok(yaml.spec);
    assert.deepEqual(json, yaml);
  });

  it('reports a YAML syntax error alone, with its line and column', () => {
    const outcome = parseWorkflowText('id: flow\ngraph:\n  - op: Source\n    inputs: {data: [1, 2}\n', registry, { filename: 'flow.yaml' });
    const error = theError(outcome);
    assert.deepEqual(error.path, []);
    assert.match(error.message, /^invalid YAML at line 4, column \d+: .+ in flow\.yaml$/);
  });

  it('reports a key given twice in YAML as a syntax error', () => {
    const error = theError(parseWorkflowText('id: flow\nid: other\ngraph: [{op: Source}]\n', registry));
    assert.match(error.message, /^invalid YAML at line 2, column 1: /);
  });

  it('takes a missing id from the file name, up to its first dot', () => {
    const outcome = parseWorkflowText('graph: [{op: Source}]', registry, { filename: '/home/jane/flows/geo-i.v2.yaml' });
    assert.equal(outcome.spec?.id, 'geo-i');
  });

  it('prefers the id written in the document to the file name', () => {
    const outcome = parseWorkflowText('id: written\ngraph: [{op: Source}]', registry, { filename: 'other.yaml' });
    assert.equal(outcome.spec?.id, 'written');
  });

  it('reports a missing id at `id` when there is no file name', () => {
    const error = theError(parseWorkflowText('graph: [{op: Source}]', registry));
    assert.deepEqual(error.path, ['id']);
    assert.match(error.message, /add `id: /);
  });

  it('reports at `id` a file name that does not give a valid id', () => {
    const error = theError(parseWorkflowText('graph: [{op: Source}]', registry, { filename: 'flows/2024-run.yaml' }));
    assert.deepEqual(error.path, ['id']);
    assert.match(error.message, /"2024-run"/);
  });

  it('reports an empty text as a document of the wrong shape', () => {
    assert.deepEqual(theError(parseWorkflowText('', registry)).path, []);
  });
});

describe('parseWorkflowObject: document shape', () => {
  it('accepts the valid base document without errors or warnings', () => {
    const outcome = parse(aDoc());
    assert.deepEqual([outcome.errors, outcome.warnings], [[], []]);
    assert.deepEqual(outcome.spec?.graph.map((n) => n.name), ['Source', 'Transform', 'Noisy', 'Score']);
  });

  it('reports a document that is not a mapping at the empty path', () => {
    const error = theError(parse([aDoc()]));
    assert.deepEqual(error.path, []);
    assert.match(error.message, /got a list/);
  });

  it('reports an unknown top-level field at its name, suggesting the closest one', () => {
    const error = theError(parse({ ...aDoc(), nmae: 'x' }));
    assert.deepEqual(error.path, ['nmae']);
    assert.match(error.message, /did you mean "name"/);
  });

  it('reports a graph that is not a list at `graph`', () => {
    assert.deepEqual(theError(parse({ ...aDoc(), graph: { op: 'Source' } })).path, ['graph']);
  });

  it('reports a missing graph at `graph`', () => {
    const { graph: _graph, ...doc } = aDoc();
    assert.deepEqual(theError(parse(doc)).path, ['graph']);
  });

  it('reports an empty graph at `graph`', () => {
    assert.deepEqual(theError(parse({ ...aDoc(), params: [], graph: [] })).path, ['graph']);
  });

  it('reports params that are not a list at `params`', () => {
    const doc = aDoc();
    doc.graph[2].inputs = { data: { reference: 'Transform/data' }, epsilon: 0.5 };
    assert.deepEqual(theError(parse({ ...doc, params: { epsilon: 'float' } })).path, ['params']);
  });

  it('reports a node that is not a mapping by its index', () => {
    const doc = aDoc();
    doc.graph.push('Score' as unknown as Record<string, unknown>);
    assert.deepEqual(theError(parse(doc)).path, ['graph[4]']);
  });

  it('reports a missing operator by the node name when it has one, else by its index', () => {
    const named = aDoc();
    named.graph.push({ name: 'Extra' });
    assert.deepEqual(theError(parse(named)).path, ['graph', 'Extra', 'op']);
    const anonymous = aDoc();
    anonymous.graph.push({});
    assert.deepEqual(theError(parse(anonymous)).path, ['graph[4]', 'op']);
  });

  it('reports an unknown node field at its path', () => {
    const doc = aDoc();
    doc.graph[0].input = {};
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Source', 'input']);
    assert.match(error.message, /did you mean "inputs"/);
  });

  it('reports a map constant written without {value: ...} at its port, saying how to write it', () => {
    const doc = aDoc();
    doc.graph.push({ op: 'Generate', inputs: { count: 1, tags: { a: 'b' } } });
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Generate', 'inputs', 'tags']);
    assert.match(error.message, /\{value: \{\.\.\.\}\}/);
  });

  it('reports an empty binding at its port rather than as an unbound required input', () => {
    const doc = aDoc();
    doc.graph[3].inputs = { data: null };
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Score', 'inputs', 'data']);
    assert.match(error.message, /^empty binding/);
  });

  it('reports a reference that is not Node/port at its port', () => {
    const doc = aDoc();
    doc.graph[3].inputs = { data: { reference: 'Noisy.data' } };
    assert.deepEqual(theError(parse(doc)).path, ['graph', 'Score', 'inputs', 'data']);
  });

  it('accepts a reference written as {node, port}', () => {
    const doc = aDoc();
    doc.graph[3].inputs = { data: { reference: { node: 'Noisy', port: 'data' } } };
    assert.deepEqual(parse(doc).spec?.graph[3].inputs.data, { kind: 'reference', node: 'Noisy', port: 'data' });
  });

  it('treats a bare "Node/port" text as a text constant, not a reference', () => {
    const doc = aDoc();
    doc.graph[1].inputs = { data: { reference: 'Source/data' }, label: 'Source/data' };
    assert.deepEqual(parse(doc).spec?.graph[1].inputs.label, { kind: 'value', value: 'Source/data' });
  });
});

describe('parseWorkflowObject: names', () => {
  it('reports a bad workflow id at `id`', () => {
    const error = theError(parse({ ...aDoc(), id: '9lives' }));
    assert.deepEqual(error.path, ['id']);
    assert.match(error.message, /"9lives"/);
  });

  it('reports a second node of the same name by its index, naming the first', () => {
    const doc = aDoc();
    doc.graph.push({ op: 'Score', inputs: { data: { reference: 'Source/data' } } });
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph[4]', 'name']);
    assert.match(error.message, /duplicate node name "Score" \(first used at graph\[3\]\)/);
  });

  it('reports a bad node name by the node index', () => {
    const doc = aDoc();
    doc.graph[3].name = 'score';
    assert.deepEqual(theError(parse(doc)).path, ['graph[3]', 'name']);
  });

  it('reports the errors inside a node without a usable name under its index', () => {
    const doc = aDoc();
    doc.graph[3] = { op: 'Score', name: 'bad-name', inputs: { data: { reference: 'Nowhere/data' } } };
    assert.deepEqual(errorPaths(parse(doc)), ['graph[3].inputs.data', 'graph[3].name']);
  });

  it('reports a bad param name by the param index', () => {
    const doc = aDoc();
    doc.params.push({ name: 'Window', type: 'duration' });
    assert.deepEqual(errorPaths(parse(doc)), ['params[1].name']);
  });

  it('reports a second param of the same name by its index', () => {
    const doc = aDoc();
    doc.params.push({ name: 'epsilon', type: 'float' });
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['params[1]', 'name']);
    assert.match(error.message, /duplicate param "epsilon"/);
  });
});

describe('parseWorkflowObject: operators and ports', () => {
  it('reports an unknown operator at the node op, suggesting a close name', () => {
    const doc = aDoc();
    doc.graph.push({ op: 'Scroe', name: 'Extra' });
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Extra', 'op']);
    assert.match(error.message, /unknown operator "Scroe" \(did you mean "Score"\?\)/);
  });

  it('reports an unknown input port bound to a constant, listing the ports', () => {
    const doc = aDoc();
    doc.graph[1].inputs = { data: { reference: 'Source/data' }, fatcor: 2 };
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Transform', 'inputs', 'fatcor']);
    assert.match(error.message, /no input "fatcor" \(did you mean "factor"\?\); its inputs are: data, factor, label/);
  });

  it('reports an unknown input port bound to a reference', () => {
    const doc = aDoc();
    doc.graph[3].inputs = { data: { reference: 'Noisy/data' }, extra: { reference: 'Source/data' } };
    assert.deepEqual(theError(parse(doc)).path, ['graph', 'Score', 'inputs', 'extra']);
  });

  it('reports a constant of the wrong type with the message of coerceValue', () => {
    const doc = aDoc();
    doc.graph[1].inputs = { data: { reference: 'Source/data' }, factor: 'high' };
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Transform', 'inputs', 'factor']);
    const expected = coerceValue(T.float, 'high');
    assert.equal(expected.ok, false);
    assert.equal(error.message, !expected.ok ? expected.message : '');
  });

  it('reports a required input left unbound at that port', () => {
    const doc = aDoc();
    doc.graph[1].inputs = {};
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Transform', 'inputs', 'data']);
    assert.match(error.message, /required input "data" \(dataset\) is not bound/);
  });

  it('lets inputs with a default or marked optional stay unbound', () => {
    const outcome = parse(aDoc());
    assert.deepEqual(outcome.errors, []);
    assert.deepEqual(Object.keys(outcome.spec!.graph[1].inputs), ['data']);
  });

  it('reports a reference to an unknown node at the referring port', () => {
    const doc = aDoc();
    doc.graph[3].inputs = { data: { reference: 'Noisey/data' } };
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Score', 'inputs', 'data']);
    assert.match(error.message, /unknown node "Noisey"/);
  });

  it('reports a reference to an unknown output port, listing the outputs', () => {
    const doc = aDoc();
    doc.graph[1].inputs = { data: { reference: 'Source/dataset' } };
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Transform', 'inputs', 'data']);
    assert.match(error.message, /no output "dataset".*its outputs are: data, n/);
  });

  it('reports a reference whose output type differs from the input type', () => {
    const doc = aDoc();
    doc.graph[1].inputs = { data: { reference: 'Source/n' } };
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Transform', 'inputs', 'data']);
    assert.equal(error.message, 'Source/n is integer but this input takes dataset');
  });

  it('does not report the ports of a node whose operator is unknown, only the operator', () => {
    const doc = aDoc();
    doc.graph.push({ op: 'Mystery', inputs: { whatever: 1, data: { reference: 'Source/data' } } });
    doc.graph.push({ op: 'Score', name: 'Downstream', inputs: { data: { reference: 'Mystery/out' } } });
    assert.deepEqual(errorPaths(parse(doc)), ['graph.Mystery.op']);
  });
});

describe('parseWorkflowObject: params', () => {
  it('reports a param used but not declared at the binding, suggesting a declared one', () => {
    const doc = aDoc();
    doc.graph[2].inputs = { data: { reference: 'Transform/data' }, epsilon: { param: 'epsilno' } };
    const outcome = parse(doc);
    const error = theError(outcome);
    assert.deepEqual(error.path, ['graph', 'Noisy', 'inputs', 'epsilon']);
    assert.match(error.message, /undeclared param "epsilno" \(did you mean "epsilon"\?\)/);
  });

  it('reports an unknown param type at its type', () => {
    const doc = aDoc();
    doc.params[0].type = 'real';
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['params', 'epsilon', 'type']);
    assert.match(error.message, /unknown type "real"/);
  });

  it('reports a param default of the wrong type at its default', () => {
    const doc = aDoc();
    doc.params[0].default = 'small';
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['params', 'epsilon', 'default']);
    assert.match(error.message, /expected float, got "small"/);
  });

  it('coerces a param default to its type', () => {
    const doc = aDoc();
    doc.params.push({ name: 'window', type: 'duration', default: '2h' });
    doc.graph.push({ op: 'Generate', inputs: { count: 1, window: { param: 'window' } } });
    assert.equal(parse(doc).spec?.params[1].default, 7_200_000);
  });

  it('reports a param declared with a type other than a port it is bound to, at that binding', () => {
    const doc = aDoc();
    doc.params[0] = { name: 'epsilon', type: 'integer' };
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph', 'Noisy', 'inputs', 'epsilon']);
    assert.match(error.message, /declared integer but this input takes float/);
  });

  it('reports a param bound to ports of different types at the param', () => {
    const doc = aDoc();
    doc.params.push({ name: 'k', type: 'integer' });
    doc.graph.push({ op: 'Generate', inputs: { count: { param: 'k' }, window: { param: 'k' } } });
    const outcome = parse(doc);
    const atParam = outcome.errors.find((e) => formatPath(e.path) === 'params.k');
    assert.ok(atParam, 'an error at params.k');
    assert.match(atParam.message, /different types: Generate\.count \(integer\), Generate\.window \(duration\)/);
    // The binding whose type differs from the declaration is reported too, at the binding.
    assert.deepEqual(errorPaths(outcome), ['graph.Generate.inputs.window', 'params.k']);
  });
});

describe('parseWorkflowObject: graph shape', () => {
  it('reports a cycle at `graph`, as a closed path', () => {
    const doc = aDoc();
    doc.graph.push({ op: 'Transform', name: 'A', inputs: { data: { reference: 'B/data' } } });
    doc.graph.push({ op: 'Transform', name: 'B', inputs: { data: { reference: 'A/data' } } });
    const error = theError(parse(doc));
    assert.deepEqual(error.path, ['graph']);
    assert.equal(error.message, 'cycle: A -> B -> A');
  });

  it('reports a node reading its own output as a cycle', () => {
    const doc = aDoc();
    doc.graph.push({ op: 'Transform', name: 'Loop', inputs: { data: { reference: 'Loop/data' } } });
    assert.equal(theError(parse(doc)).message, 'cycle: Loop -> Loop');
  });

  it('accepts a chain of 10,000 nodes (no recursion as deep as the graph)', () => {
    const graph: Record<string, unknown>[] = [{ op: 'Source' }];
    for (let i = 0; i < 10_000; i++) graph.push({ op: 'Transform', name: `T${i}`, inputs: { data: { reference: `${i ? `T${i - 1}` : 'Source'}/data` } } });
    const outcome = parse({ id: 'long', graph });
    assert.deepEqual(outcome.errors, []);
    assert.equal(outcome.spec?.graph.length, 10_001);
  });

  it('reports a short cycle above a chain of 10,000 nodes as that cycle', () => {
    const graph: Record<string, unknown>[] = [
      { op: 'Source' },
      { op: 'Transform', name: 'A', inputs: { data: { reference: 'B/data' } } },
      { op: 'Transform', name: 'B', inputs: { data: { reference: 'A/data' } } },
    ];
    for (let i = 0; i < 10_000; i++) graph.push({ op: 'Transform', name: `T${i}`, inputs: { data: { reference: `${i ? `T${i - 1}` : 'B'}/data` } } });
    assert.equal(theError(parse({ id: 'long', graph })).message, 'cycle: A -> B -> A');
  });

  it('reports a graph where every node has a predecessor as having no root', () => {
    const outcome = parse({
      id: 'flow',
      graph: [
        { op: 'Transform', name: 'A', inputs: { data: { reference: 'B/data' } } },
        { op: 'Transform', name: 'B', inputs: { data: { reference: 'A/data' } } },
      ],
    });
    assert.deepEqual(outcome.errors.map((e) => [formatPath(e.path), e.message.split(':')[0]]), [['graph', 'cycle'], ['graph', 'no root node']]);
  });
});

describe('parseWorkflowObject: warnings', () => {
  it('warns about a deprecated operator with its deprecation message, and still gives the spec', () => {
    const doc = aDoc();
    doc.graph.push({ op: 'Legacy', inputs: { data: { reference: 'Source/data' } } });
    const outcome = parse(doc);
    assert.deepEqual(outcome.errors, []);
    assert.ok(outcome.spec);
    assert.deepEqual(outcome.warnings, [{ path: ['graph', 'Legacy', 'op'], message: `operator Legacy is deprecated: ${LEGACY.deprecation}` }]);
  });

  it('warns about a declared param bound to no input', () => {
    const doc = aDoc();
    doc.params.push({ name: 'unused', type: 'string' });
    const outcome = parse(doc);
    assert.deepEqual(outcome.errors, []);
    assert.ok(outcome.spec);
    assert.deepEqual(outcome.warnings.map((w) => formatPath(w.path)), ['params.unused']);
  });

  it('keeps warnings apart from errors when both occur', () => {
    const doc = aDoc();
    doc.params.push({ name: 'unused', type: 'string' });
    doc.graph.push({ op: 'Legacy', inputs: {} });
    const outcome = parse(doc);
    assert.deepEqual(errorPaths(outcome), ['graph.Legacy.inputs.data']);
    assert.deepEqual(outcome.warnings.map((w) => formatPath(w.path)).sort(), ['graph.Legacy.op', 'params.unused']);
  });
});

describe('parseWorkflowObject: many mistakes', () => {
  it('reports every mistake of a document at once, each at its own path', () => {
    const outcome = parse({
      id: 'bad id',
      params: [
        { name: 'Eps', type: 'float' },
        { name: 'epsilon', type: 'flaot' },
        { name: 'k', type: 'integer', default: 'ten' },
      ],
      graph: [
        { op: 'Source' },
        { op: 'Source' },
        { op: 'Nope', name: 'X' },
        { op: 'Transform', inputs: { data: { reference: 'Source/n' }, factor: 'x', colour: 1 } },
        { op: 'Score', inputs: { data: { reference: 'Ghost/data' } } },
        { op: 'Noisy', inputs: { data: { reference: 'Source/out' }, epsilon: { param: 'missing' } } },
        { op: 'Generate', inputs: { window: { param: 'k' } } },
        { op: 'Transform', name: 'A', inputs: { data: { reference: 'B/data' } } },
        { op: 'Transform', name: 'B', inputs: { data: { reference: 'A/data' } } },
      ],
    });
    assert.deepEqual(errorPaths(outcome), [
      'graph',
      'graph.Generate.inputs.count',
      'graph.Generate.inputs.window',
      'graph.Noisy.inputs.data',
      'graph.Noisy.inputs.epsilon',
      'graph.Score.inputs.data',
      'graph.Transform.inputs.colour',
      'graph.Transform.inputs.data',
      'graph.Transform.inputs.factor',
      'graph.X.op',
      'graph[1].name',
      'id',
      'params.epsilon.type',
      'params.k.default',
      'params[0].name',
    ]);
    assert.equal(outcome.spec, undefined);
  });
});
