/**
 * State machine throughput: a 1,000-node layered DAG (fan-out and fan-in between layers) driven
 * from start to completion through scheduled, started and succeeded events, the way the engine
 * would, one event at a time on an immutable state.
 *
 *   npx tsx bench/state-machine.ts [layers] [width] [runs]
 */
import { performance } from 'node:perf_hooks';
import { Dag, buildDag } from '../src/core/graph';
import { compileRetryPolicy } from '../src/core/retry-policy';
import { RunEvent, applyEvent, initialRunState, readyNodes } from '../src/core/state-machine';
import { NodeSpec } from '../src/core/workflow';

const [layers = 20, width = 50, runs = 9] = process.argv.slice(2).map(Number);
const WARMUP_RUNS = 2;
const MAX_FAN_IN = 4;

/** Each node of layer k > 0 reads 1..MAX_FAN_IN nodes of layer k-1, chosen by a fixed LCG. */
function layeredDag(): Dag {
  let seed = 42;
  // The high bits: an LCG's low bits cycle with a short period.
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  const name = (layer: number, i: number): string => `L${layer}N${i}`;
  const graph: NodeSpec[] = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < width; i++) {
      const inputs: NodeSpec['inputs'] = {};
      if (layer > 0) {
        const fanIn = 1 + next(MAX_FAN_IN);
        for (let k = 0; k < fanIn; k++) inputs[`in${k}`] = { kind: 'reference', node: name(layer - 1, next(width)), port: 'out' };
      }
      graph.push({ name: name(layer, i), op: 'Op', inputs });
    }
  }
  return buildDag(graph);
}

function driveToCompletion(dag: Dag): { events: number; elapsedMs: number } {
  const policy = compileRetryPolicy();
  const policyOf = () => policy;
  const result = { outputs: { out: 1 }, metrics: {} };
  let now = 0;
  let events = 0;
  const start = performance.now();
  let state = initialRunState(dag.nodes);
  const queue = readyNodes(state, dag, now);
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q];
    const taskId = `task-${q}`;
    const steps: RunEvent[] = [
      { kind: 'scheduled', atMs: ++now, node, taskId },
      { kind: 'started', atMs: ++now, node, taskId },
      { kind: 'succeeded', atMs: ++now, node, taskId, result, cacheKey: node },
    ];
    for (const event of steps) {
      const t = applyEvent(state, dag, event, policyOf);
      if (!t.changed) throw new Error(`${event.kind} ${node} did not apply`);
      state = t.state;
      events++;
      queue.push(...t.ready);
    }
  }
  const elapsedMs = performance.now() - start;
  if (state.status !== 'SUCCESS') throw new Error(`run ended ${state.status}, expected SUCCESS`);
  return { events, elapsedMs };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dag = layeredDag();
const edges = [...dag.predecessors.values()].reduce((n, p) => n + p.length, 0);
for (let i = 0; i < WARMUP_RUNS; i++) driveToCompletion(dag);
const samples = Array.from({ length: runs }, () => driveToCompletion(dag));
const times = samples.map((s) => s.elapsedMs);
const rates = samples.map((s) => (s.events / s.elapsedMs) * 1000);

console.log(`state machine: ${dag.nodes.length} nodes, ${edges} edges, ${layers} layers of ${width}`);
console.log(`events per run: ${samples[0].events} (scheduled, started, succeeded per node)`);
console.log(`runs: ${runs} measured after ${WARMUP_RUNS} warm-up`);
console.log(`events/s (median): ${Math.round(median(rates)).toLocaleString('en-US')}`);
console.log(`time per run to completion (median): ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);
console.log(`time per event (median): ${((median(times) / samples[0].events) * 1000).toFixed(1)} µs`);
