/**
 * What executors send and receive: task payloads, log entries, outcomes ↔ wire. Same conventions
 * as operators.ts: `xToWire` / `xFromWire`, `field` for error messages.
 */
import { OpPayload } from '../../core/run';
import { ExecutorApi, StartTaskResponse, TaskOutcome } from '../service';
import * as wire from '../gen-nodejs/accio_types';
import { resourcesFromWire, resourcesToWire } from './operators';
import { fromI64, malformed, mapValues, need, needMap, opt, toI64, valueFromJson, valueToJson } from './primitives';
import { errorInfoFromWire, errorInfoToWire, logStream, opResultFromWire, opResultToWire } from './runs';

/** One log line as an executor sends it (the agent knows its run and node from the task). */
export type LogEntry = Parameters<ExecutorApi['streamLogs']>[2][number];

export function payloadToWire(p: OpPayload): wire.OpPayload {
  return new wire.OpPayload({
    op: p.op,
    opVersion: p.opVersion,
    seed: toI64(p.seed, 'payload.seed'),
    inputsJson: mapValues(p.inputs, (v, k) => valueToJson(v, `payload.inputs.${k}`)),
    cacheKey: p.cacheKey,
    resources: resourcesToWire(p.resources, 'payload.resources'),
  });
}

export function payloadFromWire(w: wire.OpPayload | null | undefined, field: string): OpPayload {
  const p = need(w, field);
  return {
    op: need(p.op, `${field}.op`),
    opVersion: need(p.opVersion, `${field}.opVersion`),
    seed: fromI64(p.seed, `${field}.seed`),
    inputs: needMap(p.inputsJson, `${field}.inputs`, valueFromJson),
    cacheKey: need(p.cacheKey, `${field}.cacheKey`),
    resources: resourcesFromWire(p.resources, `${field}.resources`),
  };
}

export function startTaskToWire(r: StartTaskResponse): wire.StartTaskResponse {
  return new wire.StartTaskResponse({
    runId: r.runId,
    node: r.node,
    payload: payloadToWire(r.payload),
    heartbeatIntervalMs: toI64(r.heartbeatIntervalMs, 'heartbeatIntervalMs'),
  });
}

export function startTaskFromWire(w: wire.StartTaskResponse, field: string): StartTaskResponse {
  return {
    runId: need(w.runId, `${field}.runId`),
    node: need(w.node, `${field}.node`),
    payload: payloadFromWire(w.payload, `${field}.payload`),
    heartbeatIntervalMs: fromI64(w.heartbeatIntervalMs, `${field}.heartbeatIntervalMs`),
  };
}

export function logEntryToWire(l: LogEntry, field: string): wire.LogEntry {
  return new wire.LogEntry({ stream: logStream.toWire(l.stream), atMs: toI64(l.atMs, `${field}.atMs`), message: l.message });
}

export function logEntryFromWire(w: wire.LogEntry, field: string): LogEntry {
  return {
    stream: logStream.fromWire(w.stream, `${field}.stream`),
    atMs: fromI64(w.atMs, `${field}.atMs`),
    message: need(w.message, `${field}.message`),
  };
}

export function outcomeToWire(o: TaskOutcome): wire.TaskOutcome {
  switch (o.kind) {
    case 'success':
      return new wire.TaskOutcome({ success: opResultToWire(o.result, 'outcome.result') });
    case 'failure':
      return new wire.TaskOutcome({ failure: new wire.TaskFailure({ error: errorInfoToWire(o.error), metrics: { ...o.metrics } }) });
  }
}

export function outcomeFromWire(w: wire.TaskOutcome | null | undefined, field: string): TaskOutcome {
  const o = need(w, field);
  const success = opt(o.success);
  const failure = opt(o.failure);
  if ((success === undefined) === (failure === undefined)) throw malformed(field, 'must set exactly one of success, failure');
  if (success !== undefined) return { kind: 'success', result: opResultFromWire(success, `${field}.success`) };
  return {
    kind: 'failure',
    error: errorInfoFromWire(failure!.error, `${field}.failure.error`),
    metrics: need(failure!.metrics, `${field}.failure.metrics`),
  };
}
