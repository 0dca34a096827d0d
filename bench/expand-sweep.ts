/**
 * Sweep expansion cost: parse + validate + expand a run definition of about 10,000 children on a
 * 5-node workflow. Prints the median and min time over several runs, then the heap and RSS held
 * by one expansion (retained: the runs are kept alive while measuring), then the time per child
 * at 2x and 4x the size: it should stay flat (expansion is linear in the number of children).
 *
 *   npx tsx bench/expand-sweep.ts [children] [runs]
 *   node --expose-gc --import tsx bench/expand-sweep.ts      # exact memory figures
 */
import { performance } from 'node:perf_hooks';
import { Run } from '../src/core/run';
import { parseRunText } from '../src/core/run-parse';
import { validateRunSpec } from '../src/core/run-validate';
import { expandRun } from '../src/core/sweep';
import { T } from '../src/core/types';
import { Workflow } from '../src/core/workflow';

const [children = 10_000, runs = 7] = process.argv.slice(2).map(Number);
const WARMUP_RUNS = 2;
const gc = (globalThis as { gc?: () => void }).gc;

const workflow: Workflow = {
  id: 'geo-i',
  version: 'v1',
  createdAtMs: 0,
  active: true,
  params: [
    { name: 'epsilon', type: T.float },
    { name: 'users', type: T.integer, default: 20 },
    { name: 'window', type: T.duration, default: 600_000 },
  ],
  graph: [
    { name: 'Generate', op: 'Generate', inputs: { count: { kind: 'param', param: 'users' }, window: { kind: 'param', param: 'window' } } },
    { name: 'Noisy', op: 'Noisy', inputs: { data: { kind: 'reference', node: 'Generate', port: 'data' }, epsilon: { kind: 'param', param: 'epsilon' } } },
    { name: 'Transform', op: 'Transform', inputs: { data: { kind: 'reference', node: 'Noisy', port: 'data' } } },
    { name: 'Score', op: 'Score', inputs: { data: { kind: 'reference', node: 'Transform', port: 'data' } } },
    { name: 'Source', op: 'Source', inputs: {} },
  ],
};

/** 100 epsilons × users × 2 repeats, sized to about `n` children. */
function definition(n: number): string {
  const users = Math.max(1, Math.round(n / 200));
  return [
    'workflow: geo-i',
    'name: bench sweep',
    'tags: [bench]',
    'seed: 42',
    'repeat: 2',
    'params:',
    '  epsilon: {from: 0.01, to: 1, step: 0.01}',
    `  users: {from: 1, to: ${users}, step: 1}`,
    '  window: {values: [10s]}',
  ].join('\n');
}

function once(text: string): Run[] {
  const parsed = parseRunText(text);
  if (!parsed.spec) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  const valid = validateRunSpec(parsed.spec, workflow);
  if (!valid.params) throw new Error(valid.errors.map((e) => e.message).join('\n'));
  let id = 0;
  const newId = () => (id++).toString(16).padStart(32, '0');
  return expandRun(parsed.spec, workflow, valid.params, { seed: parsed.spec.seed!, newId, nowMs: 0 });
}

function timeMs(text: string, count: number): { medianMs: number; minMs: number; children: number } {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < count; i++) {
    // Collect the previous iteration's runs first, so each time is one submission's own cost.
    gc?.();
    const started = performance.now();
    size = once(text).length - 1;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], minMs: times[0], children: size };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const signedMb = (bytes: number) => `${bytes < 0 ? '' : '+'}${mb(bytes)}`;

const text = definition(children);
timeMs(text, WARMUP_RUNS);
const t = timeMs(text, runs);
console.log(`expand ${t.children} children (5 nodes each): median ${t.medianMs.toFixed(1)} ms, min ${t.minMs.toFixed(1)} ms over ${runs} runs`);

gc?.();
const before = process.memoryUsage();
const kept = once(text);
gc?.();
const after = process.memoryUsage();
const heap = after.heapUsed - before.heapUsed;
console.log(
  `retained by one expansion: heap ${signedMb(heap)} (${Math.round(heap / kept.length)} bytes per run), rss ${signedMb(after.rss - before.rss)}; ` +
    `peak rss of the process ${mb(process.resourceUsage().maxRSS * 1024)}${gc ? '' : ' (run with --expose-gc for exact figures)'}`,
);

for (const factor of [1, 2, 4]) {
  const scaled = timeMs(definition(children * factor), 3);
  console.log(`  ${String(scaled.children).padStart(6)} children: ${(scaled.medianMs / scaled.children * 1000).toFixed(2)} µs per child`);
}
