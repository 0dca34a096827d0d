import { strict as assert } from 'node:assert';
import { buildDag, descendants, findCycle, roots, topologicalOrder } from '../../../src/core/graph';
import { NodeSpec } from '../../../src/core/workflow';

const node = (name: string, ...refs: string[]): NodeSpec => ({
  name,
  op: 'Op',
  inputs: Object.fromEntries(refs.map((r, i) => [`in${i}`, { kind: 'reference' as const, node: r, port: 'out' }])),
});

describe('graph', () => {
  it('finds a cycle and prints it as a closed path', () => {
    const dag = buildDag([node('A', 'C'), node('B', 'A'), node('C', 'B'), node('D')]);
    const cycle = findCycle(dag)!;
    assert.equal(cycle[0], cycle[cycle.length - 1]);
    assert.deepEqual(new Set(cycle), new Set(['A', 'B', 'C']));
  });

  it('finds no cycle in a 20,000-node chain without overflowing the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => (i === 0 ? node('N0') : node(`N${i}`, `N${i - 1}`)));
    const dag = buildDag(chain);
    assert.equal(findCycle(dag), undefined);
    assert.equal(topologicalOrder(dag).length, 20_000);
    assert.equal(descendants(dag, 'N0').size, 19_999);
  });

  it('lists roots, and transitive descendants beyond direct successors', () => {
    const dag = buildDag([node('A'), node('B', 'A'), node('C', 'B'), node('D')]);
    assert.deepEqual(roots(dag), ['A', 'D']);
    assert.deepEqual([...descendants(dag, 'A')].sort(), ['B', 'C']);
  });
});
