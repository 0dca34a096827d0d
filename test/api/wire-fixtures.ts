/**
 * Domain objects that exercise every field of the wire structs: every kind of value, optional
 * fields both present and absent, i64 timestamps past 2^32 and below the epoch, the largest safe seed.
 */
import { InvalidDefinitionError } from '../../src/core/errors';
import { OperatorDef } from '../../src/core/operator';
import { LogLine, NodeState, Run } from '../../src/core/run';
import { RunSpec } from '../../src/core/run-spec';
import { T } from '../../src/core/types';
import { Value } from '../../src/core/values';
import { Workflow, WorkflowSpec } from '../../src/core/workflow';
import { StartTaskResponse } from '../../src/api/service';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** One value of every type, including nested lists and maps, as the core represents them. */
export const VALUES: Record<string, Value> = {
  flag: true,
  off: false,
  count: -42,
  big: Number.MAX_SAFE_INTEGER,
  ratio: 0.1,
  tiny: 5e-324,
  label: 'héllo "wörld"\n\u0000 ✓',
  empty: '',
  window: 14_400_000,
  at: '2026-01-31T12:00:00.123Z',
  data: { uri: 's3://bucket/traces/2026', digest: DIGEST },
  bare: { uri: 'file:///data/traces' },
  ks: [1, 2, 3],
  nothing: [],
  tags: { a: 'x', 'with space': 'y' },
  grid: [{ a: [1.5, 2.5] }, { b: [] }],
  datasets: [{ uri: 'file:///a', digest: DIGEST }, { uri: 'http://host/b' }],
};

export const FULL_OPERATOR: OperatorDef = {
  name: 'Generate',
  version: '2.1',
  category: 'source',
  help: 'Generates data',
  description: 'A longer description.\nOn two lines.',
  inputs: [
    { name: 'count', type: T.integer, optional: false, help: 'how many' },
    { name: 'window', type: T.duration, default: 10_000, optional: false },
    { name: 'tags', type: T.map(T.string), optional: true },
    { name: 'grid', type: T.list(T.map(T.list(T.float))), default: [{ a: [1.5] }], optional: false },
    { name: 'data', type: T.dataset, default: { uri: 'file:///x', digest: DIGEST }, optional: false },
    { name: 'at', type: T.timestamp, default: '1969-12-31T23:59:59.999Z', optional: false },
  ],
  outputs: [{ name: 'data', type: T.dataset, optional: false }],
  resources: { cpu: 0.25, memoryMb: 2048, diskMb: 100_000 },
  unstable: true,
  deprecation: 'use Generate2 instead: it is faster',
};

export const MINIMAL_OPERATOR: OperatorDef = {
  name: 'Noop',
  version: '1',
  category: 'test',
  help: '',
  inputs: [],
  outputs: [],
  resources: { cpu: 1, memoryMb: 0, diskMb: 0 },
  unstable: false,
};

export const WORKFLOW_SPEC: WorkflowSpec = {
  id: 'geo.privacy-v2',
  name: 'Geo privacy',
  owner: 'alice',
  params: [
    { name: 'epsilon', type: T.float, default: 0.1, help: 'privacy budget' },
    { name: 'window', type: T.duration },
    { name: 'inputs', type: T.list(T.dataset), default: [VALUES.data, VALUES.bare] },
  ],
  graph: [
    { name: 'Source', op: 'Source', inputs: {} },
    {
      name: 'Generate',
      op: 'Generate',
      inputs: {
        count: { kind: 'value', value: 3 },
        tags: { kind: 'value', value: VALUES.tags },
        window: { kind: 'param', param: 'window' },
        data: { kind: 'reference', node: 'Source', port: 'data' },
      },
    },
  ],
};

export const MINIMAL_WORKFLOW_SPEC: WorkflowSpec = { id: 'w', params: [], graph: [] };

export const WORKFLOW: Workflow = { ...WORKFLOW_SPEC, version: 'f'.repeat(64), createdAtMs: 1_764_000_000_123, active: true };

export const MINIMAL_WORKFLOW: Workflow = { ...MINIMAL_WORKFLOW_SPEC, version: '0', createdAtMs: -86_400_000, active: false };

export const RUN_SPEC: RunSpec = {
  workflow: { id: 'geo.privacy-v2', version: 'abc' },
  name: 'sweep {epsilon}',
  notes: 'first try',
  tags: ['geo', 'nightly'],
  owner: 'alice',
  seed: Number.MAX_SAFE_INTEGER,
  repeat: 3,
  params: {
    epsilon: { kind: 'values', values: [0.1, 0.5, 1] },
    window: { kind: 'single', value: '10s' },
    typed: { kind: 'single', value: '[1,2]', text: true },
    notText: { kind: 'single', value: { nested: [true, null, 'x'] }, text: false },
    k: { kind: 'range', from: 1, to: 10, step: 2 },
    lambda: { kind: 'range', from: 0.001, to: 1, step: 10, log: 10 },
    beta: { kind: 'range', from: 1, to: 64, step: 2, log: 2 },
    gamma: { kind: 'range', from: '1', to: '100', step: '1', log: 'e' },
    duration: { kind: 'range', from: '1s', to: '1m', step: '10s' },
    empty: { kind: 'values', values: [] },
  },
};

export const MINIMAL_RUN_SPEC: RunSpec = { workflow: { id: 'w' }, tags: [], repeat: 1, params: {} };

export const FULL_NODE: NodeState = {
  name: 'Generate',
  status: 'SUCCESS',
  attempts: 2,
  startedAtMs: 1_764_000_000_000,
  completedAtMs: 1_764_000_009_999,
  cacheKey: 'c'.repeat(64),
  cacheHit: false,
  result: { outputs: { data: VALUES.data, all: VALUES.grid }, metrics: { wall_time_ms: 9999, score: 0.75, neg: -1e-9 } },
  error: { classifier: 'lost', message: 'executor vanished', stack: 'Error: x\n    at y (z.ts:1:1)' },
  taskId: 't-1',
  retryAtMs: 1_764_000_001_000,
};

export const BARE_NODE: NodeState = { name: 'Source', status: 'WAITING', attempts: 0, cacheHit: false };

export const RUN: Run = {
  id: '0123456789abcdef0123456789abcdef',
  workflow: { id: 'geo.privacy-v2', version: 'f'.repeat(64) },
  owner: 'alice',
  name: 'epsilon=0.1',
  notes: 'notes',
  tags: ['geo'],
  seed: Number.MAX_SAFE_INTEGER,
  params: VALUES,
  parent: 'fedcba9876543210fedcba9876543210',
  children: [],
  createdAtMs: 1_764_000_000_123,
  state: {
    status: 'RUNNING',
    progress: 0.5,
    startedAtMs: 1_764_000_000_500,
    nodes: [FULL_NODE, BARE_NODE, { ...BARE_NODE, name: 'Failed', status: 'FAILED', error: { classifier: 'exit 3', message: 'boom' } }],
  },
};

export const SWEEP_PARENT: Run = {
  id: 'fedcba9876543210fedcba9876543210',
  workflow: { id: 'w', version: '1' },
  tags: [],
  seed: 0,
  params: {},
  children: ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)],
  createdAtMs: 0,
  state: {
    status: 'FAILED',
    progress: 1,
    startedAtMs: 1,
    completedAtMs: 2,
    nodes: [],
    childCounts: { SUCCESS: 2, FAILED: 1 },
  },
};

export const LOG_LINES: LogLine[] = [
  { runId: RUN.id, node: 'Generate', stream: 'stdout', atMs: 1_764_000_000_001, message: 'starting' },
  { runId: RUN.id, node: 'Generate', stream: 'stderr', atMs: 1_764_000_000_002, message: '' },
];

export const START_TASK: StartTaskResponse = {
  runId: RUN.id,
  node: 'Generate',
  payload: {
    op: 'Generate',
    opVersion: '2.1',
    seed: 1234567890123,
    inputs: { count: 3, window: 10_000, tags: VALUES.tags, data: VALUES.data, at: VALUES.at },
    cacheKey: 'c'.repeat(64),
    resources: { cpu: 2, memoryMb: 512, diskMb: 1024 },
  },
  heartbeatIntervalMs: 5000,
};

/** An invalid-definition error with several errors and warnings, an empty path among them, and actions. */
export function invalidWorkflowError(): InvalidDefinitionError {
  return new InvalidDefinitionError(
    'workflow geo',
    [
      { path: ['graph', 'Train', 'inputs', 'data'], message: 'unknown node "Foo"' },
      { path: [], message: 'the graph has a cycle: A -> B -> A' },
      { path: ['params', 'epsilon', 'default'], message: 'expected float, got "x"' },
    ],
    [{ path: ['graph', 'Legacy'], message: 'Legacy is deprecated: use Transform instead' }],
    { actions: ['fix the errors above, then push again'] },
  );
}
