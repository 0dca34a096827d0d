/**
 * Run definitions, runs with their node states, and log lines ↔ wire. Same conventions as
 * operators.ts: `xToWire` / `xFromWire`, `field` for error messages. Statuses travel as Thrift enums.
 */
import { Exploration, RunSpec } from '../../core/run-spec';
import { ErrorInfo, LogLine, LogStream, NodeState, NodeStatus, OpResult, Run, RunState, RunStatus } from '../../core/run';
import * as wire from '../gen-nodejs/accio_types';
import {
  compact, enumCodec, fromI64, malformed, mapValues, need, needList, needMap, opt, optFromI64, optToI64, rawFromJson,
  rawToJson, toI32, toI64, valueFromJson, valueToJson,
} from './primitives';

/** RunStatus ↔ its Thrift enum. */
export const runStatus = enumCodec<RunStatus, wire.RunStatus>('RunStatus', {
  SCHEDULED: wire.RunStatus.SCHEDULED,
  RUNNING: wire.RunStatus.RUNNING,
  SUCCESS: wire.RunStatus.SUCCESS,
  FAILED: wire.RunStatus.FAILED,
  KILLED: wire.RunStatus.KILLED,
});

/** NodeStatus ↔ its Thrift enum. */
export const nodeStatus = enumCodec<NodeStatus, wire.NodeStatus>('NodeStatus', {
  WAITING: wire.NodeStatus.WAITING,
  SCHEDULED: wire.NodeStatus.SCHEDULED,
  RUNNING: wire.NodeStatus.RUNNING,
  SUCCESS: wire.NodeStatus.SUCCESS,
  FAILED: wire.NodeStatus.FAILED,
  LOST: wire.NodeStatus.LOST,
  KILLED: wire.NodeStatus.KILLED,
  CANCELLED: wire.NodeStatus.CANCELLED,
});

/** LogStream (`stdout`, `stderr`) ↔ its Thrift enum (STDOUT, STDERR). */
export const logStream = enumCodec<LogStream, wire.LogStream>('LogStream', {
  stdout: wire.LogStream.STDOUT,
  stderr: wire.LogStream.STDERR,
});

type LogBase = NonNullable<Extract<Exploration, { kind: 'range' }>['log']>;
const LOG_BASES: Record<string, LogBase> = { '10': 10, '2': 2, e: 'e' };

export function explorationToWire(e: Exploration, field: string): wire.Exploration {
  switch (e.kind) {
    case 'single':
      return new wire.Exploration({ single: new wire.SingleExploration({ valueJson: rawToJson(e.value, field), text: e.text }) });
    case 'values':
      return new wire.Exploration({ valuesJson: e.values.map((v, i) => rawToJson(v, `${field}[${i}]`)) });
    case 'range':
      return new wire.Exploration({
        range: new wire.RangeExploration({
          fromJson: rawToJson(e.from, `${field}.from`),
          toJson: rawToJson(e.to, `${field}.to`),
          stepJson: rawToJson(e.step, `${field}.step`),
          log: e.log === undefined ? undefined : String(e.log),
        }),
      });
  }
}

export function explorationFromWire(w: wire.Exploration, field: string): Exploration {
  const single = opt(w.single);
  const values = opt(w.valuesJson);
  const range = opt(w.range);
  if ([single, values, range].filter((x) => x !== undefined).length !== 1) {
    throw malformed(field, 'must set exactly one of single, valuesJson, range');
  }
  if (single !== undefined) {
    return compact({ kind: 'single' as const, value: rawFromJson(single.valueJson, `${field}.valueJson`), text: opt(single.text) });
  }
  if (values !== undefined) return { kind: 'values', values: values.map((v, i) => rawFromJson(v, `${field}[${i}]`)) };
  const log = opt(range!.log);
  if (log !== undefined && !(log in LOG_BASES)) throw malformed(`${field}.log`, `must be 10, 2 or e, got ${JSON.stringify(log)}`);
  return compact({
    kind: 'range' as const,
    from: rawFromJson(range!.fromJson, `${field}.from`),
    to: rawFromJson(range!.toJson, `${field}.to`),
    step: rawFromJson(range!.stepJson, `${field}.step`),
    log: log === undefined ? undefined : LOG_BASES[log],
  });
}

export function runSpecToWire(s: RunSpec): wire.RunSpec {
  return new wire.RunSpec({
    workflow: new wire.WorkflowSelector({ id: s.workflow.id, version: s.workflow.version }),
    name: s.name,
    notes: s.notes,
    tags: [...s.tags],
    owner: s.owner,
    seed: optToI64(s.seed, 'run.seed'),
    repeat: toI32(s.repeat, 'run.repeat'),
    params: mapValues(s.params, (e, k) => explorationToWire(e, `run.params.${k}`)),
  });
}

export function runSpecFromWire(w: wire.RunSpec | null | undefined, field: string): RunSpec {
  const s = need(w, field);
  const selector = need(s.workflow, `${field}.workflow`);
  return compact({
    workflow: compact({ id: need(selector.id, `${field}.workflow.id`), version: opt(selector.version) }),
    name: opt(s.name),
    notes: opt(s.notes),
    tags: need(s.tags, `${field}.tags`),
    owner: opt(s.owner),
    seed: optFromI64(s.seed, `${field}.seed`),
    repeat: need(s.repeat, `${field}.repeat`),
    params: needMap(s.params, `${field}.params`, explorationFromWire),
  });
}

export function errorInfoToWire(e: ErrorInfo): wire.ErrorInfo {
  return new wire.ErrorInfo({ classifier: e.classifier, message: e.message, stack: e.stack });
}

export function errorInfoFromWire(w: wire.ErrorInfo | null | undefined, field: string): ErrorInfo {
  const e = need(w, field);
  return compact({ classifier: need(e.classifier, `${field}.classifier`), message: need(e.message, `${field}.message`), stack: opt(e.stack) });
}

export function opResultToWire(r: OpResult, field: string): wire.OpResult {
  return new wire.OpResult({
    outputsJson: mapValues(r.outputs, (v, k) => valueToJson(v, `${field}.outputs.${k}`)),
    metrics: { ...r.metrics },
  });
}

export function opResultFromWire(w: wire.OpResult | null | undefined, field: string): OpResult {
  const r = need(w, field);
  return {
    outputs: needMap(r.outputsJson, `${field}.outputs`, valueFromJson),
    metrics: need(r.metrics, `${field}.metrics`),
  };
}

export function nodeStateToWire(n: NodeState, field: string): wire.NodeState {
  return new wire.NodeState({
    name: n.name,
    status: nodeStatus.toWire(n.status),
    attempts: toI32(n.attempts, `${field}.attempts`),
    startedAtMs: optToI64(n.startedAtMs, `${field}.startedAtMs`),
    completedAtMs: optToI64(n.completedAtMs, `${field}.completedAtMs`),
    cacheKey: n.cacheKey,
    cacheHit: n.cacheHit,
    result: n.result === undefined ? undefined : opResultToWire(n.result, `${field}.result`),
    error: n.error === undefined ? undefined : errorInfoToWire(n.error),
    taskId: n.taskId,
    retryAtMs: optToI64(n.retryAtMs, `${field}.retryAtMs`),
  });
}

export function nodeStateFromWire(w: wire.NodeState, field: string): NodeState {
  return compact({
    name: need(w.name, `${field}.name`),
    status: nodeStatus.fromWire(w.status, `${field}.status`),
    attempts: need(w.attempts, `${field}.attempts`),
    startedAtMs: optFromI64(w.startedAtMs, `${field}.startedAtMs`),
    completedAtMs: optFromI64(w.completedAtMs, `${field}.completedAtMs`),
    cacheKey: opt(w.cacheKey),
    cacheHit: need(w.cacheHit, `${field}.cacheHit`),
    result: w.result == null ? undefined : opResultFromWire(w.result, `${field}.result`),
    error: w.error == null ? undefined : errorInfoFromWire(w.error, `${field}.error`),
    taskId: opt(w.taskId),
    retryAtMs: optFromI64(w.retryAtMs, `${field}.retryAtMs`),
  });
}

export function runStateToWire(s: RunState, field: string): wire.RunState {
  const counts = s.childCounts;
  return new wire.RunState({
    status: runStatus.toWire(s.status),
    progress: s.progress,
    startedAtMs: optToI64(s.startedAtMs, `${field}.startedAtMs`),
    completedAtMs: optToI64(s.completedAtMs, `${field}.completedAtMs`),
    nodes: s.nodes.map((n, i) => nodeStateToWire(n, `${field}.nodes[${i}]`)),
    childCounts: counts === undefined ? undefined : (Object.entries(counts) as [RunStatus, number | undefined][])
      .filter((e): e is [RunStatus, number] => e[1] !== undefined)
      .map(([status, count]) => new wire.RunStatusCount({ status: runStatus.toWire(status), count: toI32(count, `${field}.childCounts.${status}`) })),
  });
}

export function runStateFromWire(w: wire.RunState | null | undefined, field: string): RunState {
  const s = need(w, field);
  const counts = opt(s.childCounts);
  return compact({
    status: runStatus.fromWire(s.status, `${field}.status`),
    progress: need(s.progress, `${field}.progress`),
    startedAtMs: optFromI64(s.startedAtMs, `${field}.startedAtMs`),
    completedAtMs: optFromI64(s.completedAtMs, `${field}.completedAtMs`),
    nodes: needList(s.nodes, `${field}.nodes`, nodeStateFromWire),
    childCounts: counts === undefined ? undefined : Object.fromEntries(counts.map((c, i) => [
      runStatus.fromWire(c.status, `${field}.childCounts[${i}].status`),
      need(c.count, `${field}.childCounts[${i}].count`),
    ])),
  });
}

export function runToWire(r: Run): wire.Run {
  const field = `run ${r.id}`;
  return new wire.Run({
    id: r.id,
    workflow: new wire.WorkflowRef({ id: r.workflow.id, version: r.workflow.version }),
    owner: r.owner,
    name: r.name,
    notes: r.notes,
    tags: [...r.tags],
    seed: toI64(r.seed, `${field}.seed`),
    paramsJson: mapValues(r.params, (v, k) => valueToJson(v, `${field}.params.${k}`)),
    parent: r.parent,
    children: [...r.children],
    createdAtMs: toI64(r.createdAtMs, `${field}.createdAtMs`),
    state: runStateToWire(r.state, `${field}.state`),
  });
}

export function runFromWire(w: wire.Run | null | undefined, field: string): Run {
  const r = need(w, field);
  const ref = need(r.workflow, `${field}.workflow`);
  return compact({
    id: need(r.id, `${field}.id`),
    workflow: { id: need(ref.id, `${field}.workflow.id`), version: need(ref.version, `${field}.workflow.version`) },
    owner: opt(r.owner),
    name: opt(r.name),
    notes: opt(r.notes),
    tags: need(r.tags, `${field}.tags`),
    seed: fromI64(r.seed, `${field}.seed`),
    params: needMap(r.paramsJson, `${field}.params`, valueFromJson),
    parent: opt(r.parent),
    children: need(r.children, `${field}.children`),
    createdAtMs: fromI64(r.createdAtMs, `${field}.createdAtMs`),
    state: runStateFromWire(r.state, `${field}.state`),
  });
}

export function logLineToWire(l: LogLine, field: string): wire.LogLine {
  return new wire.LogLine({
    runId: l.runId,
    node: l.node,
    stream: logStream.toWire(l.stream),
    atMs: toI64(l.atMs, `${field}.atMs`),
    message: l.message,
  });
}

export function logLineFromWire(w: wire.LogLine, field: string): LogLine {
  return {
    runId: need(w.runId, `${field}.runId`),
    node: need(w.node, `${field}.node`),
    stream: logStream.fromWire(w.stream, `${field}.stream`),
    atMs: fromI64(w.atMs, `${field}.atMs`),
    message: need(w.message, `${field}.message`),
  };
}
