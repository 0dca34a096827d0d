/**
 * Workflow validation time: a generated workflow of chains and fan-outs with params, parsed from
 * YAML text, parsed from an already parsed object, and validated as a structured spec. Prints the
 * median and p95 per validation, then the object pass at 2x and 4x the size: the time per node
 * should stay flat (validation is linear in the number of nodes).
 *
 *   npx tsx bench/validate-workflow.ts [nodes] [runs]
 */
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { parseWorkflowObject, parseWorkflowText } from '../src/core/workflow-parse';
import { validateWorkflowSpec } from '../src/core/workflow-validate';
import { testRegistry } from '../test/support/test-operators';

const [nodes = 1000, runs = 50] = process.argv.slice(2).map(Number);
const WARMUP_RUNS = 5;
/** Nodes per group: Source, a chain of 9 Transforms, then 5 Noisy fanning out from the chain's end, each scored. */
const GROUP_SIZE = 20;
const CHAIN_LENGTH = 9;
const FAN_OUT = 5;

const registry = testRegistry();

/** A valid definition of about `n` nodes (a whole number of groups), with one epsilon param per group. */
function generate(n: number): Record<string, unknown> {
  const groups = Math.max(1, Math.round(n / GROUP_SIZE));
  const params: Record<string, unknown>[] = [
    { name: 'factor', type: 'float', default: 1.5, help: 'scale of every transform' },
    { name: 'label', type: 'string' },
  ];
  const graph: Record<string, unknown>[] = [];
  for (let g = 0; g < groups; g++) {
    params.push({ name: `epsilon${g}`, type: 'float', default: 0.01 * (g + 1) });
    graph.push({ op: 'Source', name: `Source${g}` });
    let previous = `Source${g}`;
    for (let c = 0; c < CHAIN_LENGTH; c++) {
      const name = `T${g}_${c}`;
      const inputs: Record<string, unknown> = { data: { reference: `${previous}/data` }, factor: c % 2 ? { param: 'factor' } : 0.5 * c };
      if (c === 0) inputs.label = { param: 'label' };
      graph.push({ op: 'Transform', name, inputs });
      previous = name;
    }
    for (let f = 0; f < FAN_OUT; f++) {
      graph.push({ op: 'Noisy', name: `N${g}_${f}`, inputs: { data: { reference: `${previous}/data` }, epsilon: { param: `epsilon${g}` } } });
      graph.push({ op: 'Score', name: `S${g}_${f}`, inputs: { data: { reference: `N${g}_${f}/data` } } });
    }
  }
  return { id: 'bench', name: 'Validation benchmark', params, graph };
}

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

function measure(label: string, size: number, fn: () => { errors: unknown[] }): number {
  const times: number[] = [];
  for (let i = 0; i < WARMUP_RUNS + runs; i++) {
    const start = performance.now();
    const { errors } = fn();
    const elapsedMs = performance.now() - start;
    if (errors.length) throw new Error(`${label}: the generated workflow should be valid, got ${JSON.stringify(errors.slice(0, 3))}`);
    if (i >= WARMUP_RUNS) times.push(elapsedMs);
  }
  times.sort((a, b) => a - b);
  const median = percentile(times, 50);
  console.log(
    `${label.padEnd(28)} ${String(size).padStart(5)} nodes  median ${median.toFixed(2).padStart(7)} ms  p95 ${percentile(times, 95).toFixed(2).padStart(7)} ms  ` +
      `${((median * 1000) / size).toFixed(1).padStart(6)} µs/node`,
  );
  return median;
}

const doc = generate(nodes);
const size = (doc.graph as unknown[]).length;
const yamlText = stringify(doc);
const jsonText = JSON.stringify(doc, null, 2);
const spec = parseWorkflowObject(doc, registry).spec!;

console.log(`workflow: ${size} nodes, ${(doc.params as unknown[]).length} params; YAML ${(yamlText.length / 1024).toFixed(0)} KiB; ${runs} runs after ${WARMUP_RUNS} warm-up`);
measure('parseWorkflowText (YAML)', size, () => parseWorkflowText(yamlText, registry));
measure('parseWorkflowText (JSON)', size, () => parseWorkflowText(jsonText, registry));
measure('parseWorkflowObject', size, () => parseWorkflowObject(doc, registry));
measure('validateWorkflowSpec', size, () => validateWorkflowSpec(spec, registry));

console.log('scaling of parseWorkflowObject (time per node should stay flat):');
for (const factor of [2, 4]) {
  const big = generate(nodes * factor);
  measure('parseWorkflowObject', (big.graph as unknown[]).length, () => parseWorkflowObject(big, registry));
}
