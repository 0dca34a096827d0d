/**
 * A small workflow with params of every kind, for the run parsing, validation and sweep tests.
 * Built with overrides, so each test states only what it cares about.
 */
import { T } from '../../../src/core/types';
import { ParamSpec, Workflow } from '../../../src/core/workflow';
import { RunSpec } from '../../../src/core/run-spec';

export const GEO_PARAMS: ParamSpec[] = [
  { name: 'epsilon', type: T.float },
  { name: 'users', type: T.integer, default: 20 },
  { name: 'window', type: T.duration, default: 600_000 },
  { name: 'since', type: T.timestamp, default: '2026-01-01T00:00:00.000Z' },
  { name: 'label', type: T.string, default: 'geo' },
  { name: 'ks', type: T.list(T.integer), default: [] },
  { name: 'traces', type: T.dataset, default: { uri: 'file:///data/traces' } },
];

/** Workflow `geo-i`: Generate -> Noisy -> Transform -> Score, plus a Source. */
export function aWorkflow(overrides: Partial<Workflow> = {}): Workflow {
  return {
    id: 'geo-i',
    version: 'v1',
    createdAtMs: 0,
    active: true,
    params: GEO_PARAMS,
    graph: [
      { name: 'Generate', op: 'Generate', inputs: { count: { kind: 'param', param: 'users' }, window: { kind: 'param', param: 'window' } } },
      { name: 'Noisy', op: 'Noisy', inputs: { data: { kind: 'reference', node: 'Generate', port: 'data' }, epsilon: { kind: 'param', param: 'epsilon' } } },
      { name: 'Transform', op: 'Transform', inputs: { data: { kind: 'reference', node: 'Noisy', port: 'data' } } },
      { name: 'Score', op: 'Score', inputs: { data: { kind: 'reference', node: 'Transform', port: 'data' } } },
      { name: 'Source', op: 'Source', inputs: {} },
    ],
    ...overrides,
  };
}

export function aRunSpec(overrides: Partial<RunSpec> = {}): RunSpec {
  return { workflow: { id: 'geo-i' }, tags: [], repeat: 1, params: { epsilon: { kind: 'single', value: 0.1 } }, ...overrides };
}
