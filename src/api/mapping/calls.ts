/**
 * One codec per AgentService method: the domain arguments ↔ the request struct, the domain result
 * ↔ the response struct, and the typed exceptions the method declares in accio.thrift. The server
 * and the client are both written over this table, so a method is mapped in one place.
 */
import { AgentApi } from '../service';
import * as wire from '../gen-nodejs/accio_types';
import { DeclaredException } from './errors';
import { operatorFromWire, operatorToWire } from './operators';
import { compact, fromI64, mapValues, need, needList, opt, optFromI64, optToI32, optToI64, toI64 } from './primitives';
import { logLineFromWire, logLineToWire, logStream, runFromWire, runSpecFromWire, runSpecToWire, runStatus, runToWire } from './runs';
import { logEntryFromWire, logEntryToWire, outcomeFromWire, outcomeToWire, startTaskFromWire, startTaskToWire } from './tasks';
import { issueToWire, issuesFromWire, workflowFromWire, workflowSpecFromWire, workflowSpecToWire, workflowToWire } from './workflows';

/** The name of an AgentService method. */
export type ApiMethod = keyof AgentApi;
type Args<M extends ApiMethod> = Parameters<AgentApi[M]>;
type Result<M extends ApiMethod> = Awaited<ReturnType<AgentApi[M]>>;

/** How one method crosses the wire, both ways. */
export interface CallCodec<M extends ApiMethod, Req, Res> {
  /** Typed exceptions the method declares, besides ServerError (keep in step with accio.thrift). */
  readonly throws: readonly DeclaredException[];
  /**
   * Calling twice has the effect of calling once (reads; kill, update, push of an identical spec):
   * the client may send it again on a new connection when the first one dropped before the answer.
   */
  readonly idempotent: boolean;
  /** Client side: the caller's arguments as the request struct. */
  encodeRequest(...args: Args<M>): Req;
  /** Server side: the arguments to call the implementation with. */
  decodeRequest(request: Req): Args<M>;
  /** Server side: the implementation's answer as the response struct. */
  encodeResponse(result: Result<M>): Res;
  /** Client side: the answer the caller gets. */
  decodeResponse(response: Res): Result<M>;
}

/** Fixes the method first so that the request and response types are inferred from the codec. */
const codec = <M extends ApiMethod>() => <Req, Res>(c: CallCodec<M, Req, Res>): CallCodec<M, Req, Res> => c;

const NOT_FOUND: DeclaredException[] = ['notFound'];
const INVALID_TASK: DeclaredException[] = ['invalidTask'];

const listOfRuns = (list: wire.Run[] | null | undefined) => needList(list, 'results', (r, at) => runFromWire(r, at));

/** The codec of every AgentService method. */
export const CALLS = {
  getOperator: codec<'getOperator'>()({
    idempotent: true,
    throws: NOT_FOUND,
    encodeRequest: (name) => new wire.GetOperatorRequest({ name }),
    decodeRequest: (r: wire.GetOperatorRequest) => [need(r.name, 'name')],
    encodeResponse: (def) => new wire.GetOperatorResponse({ operatorDef: operatorToWire(def) }),
    decodeResponse: (r: wire.GetOperatorResponse) => operatorFromWire(r.operatorDef, 'operatorDef'),
  }),
  listOperators: codec<'listOperators'>()({
    idempotent: true,
    throws: [],
    encodeRequest: (options) => new wire.ListOperatorsRequest({ includeDeprecated: options?.includeDeprecated }),
    decodeRequest: (r: wire.ListOperatorsRequest) => [compact({ includeDeprecated: opt(r.includeDeprecated) })],
    encodeResponse: (defs) => new wire.ListOperatorsResponse({ operators: defs.map(operatorToWire) }),
    decodeResponse: (r: wire.ListOperatorsResponse) => needList(r.operators, 'operators', operatorFromWire),
  }),
  parseWorkflow: codec<'parseWorkflow'>()({
    idempotent: true,
    throws: [],
    encodeRequest: (content, filename) => new wire.ParseWorkflowRequest({ content, filename }),
    decodeRequest: (r: wire.ParseWorkflowRequest) => [need(r.content, 'content'), opt(r.filename)],
    encodeResponse: (p) => new wire.ParseWorkflowResponse({
      spec: p.spec === undefined ? undefined : workflowSpecToWire(p.spec),
      errors: p.errors.map(issueToWire),
      warnings: p.warnings.map(issueToWire),
    }),
    decodeResponse: (r: wire.ParseWorkflowResponse) => compact({
      spec: r.spec == null ? undefined : workflowSpecFromWire(r.spec, 'spec'),
      errors: issuesFromWire(r.errors, 'errors'),
      warnings: issuesFromWire(r.warnings, 'warnings'),
    }),
  }),
  pushWorkflow: codec<'pushWorkflow'>()({
    idempotent: true,
    throws: ['invalidDefinition'],
    encodeRequest: (spec, user) => new wire.PushWorkflowRequest({ spec: workflowSpecToWire(spec), user }),
    decodeRequest: (r: wire.PushWorkflowRequest) => [workflowSpecFromWire(r.spec, 'spec'), opt(r.user)],
    encodeResponse: (p) => new wire.PushWorkflowResponse({ workflow: workflowToWire(p.workflow), warnings: p.warnings.map(issueToWire) }),
    decodeResponse: (r: wire.PushWorkflowResponse) => ({
      workflow: workflowFromWire(r.workflow, 'workflow'),
      warnings: issuesFromWire(r.warnings, 'warnings'),
    }),
  }),
  getWorkflow: codec<'getWorkflow'>()({
    idempotent: true,
    throws: NOT_FOUND,
    encodeRequest: (id, version) => new wire.GetWorkflowRequest({ id, version }),
    decodeRequest: (r: wire.GetWorkflowRequest) => [need(r.id, 'id'), opt(r.version)],
    encodeResponse: (wf) => new wire.GetWorkflowResponse({ workflow: workflowToWire(wf) }),
    decodeResponse: (r: wire.GetWorkflowResponse) => workflowFromWire(r.workflow, 'workflow'),
  }),
  listWorkflows: codec<'listWorkflows'>()({
    idempotent: true,
    throws: [],
    encodeRequest: (q) => new wire.ListWorkflowsRequest({
      owner: q.owner, name: q.name, q: q.q, limit: optToI32(q.limit, 'limit'), offset: optToI32(q.offset, 'offset'),
    }),
    decodeRequest: (r: wire.ListWorkflowsRequest) => [compact({
      owner: opt(r.owner), name: opt(r.name), q: opt(r.q), limit: opt(r.limit), offset: opt(r.offset),
    })],
    encodeResponse: (page) => new wire.ListWorkflowsResponse({ results: page.results.map(workflowToWire), total: toI64(page.total, 'total') }),
    decodeResponse: (r: wire.ListWorkflowsResponse) => ({
      results: needList(r.results, 'results', workflowFromWire),
      total: fromI64(r.total, 'total'),
    }),
  }),
  parseRun: codec<'parseRun'>()({
    idempotent: true,
    throws: NOT_FOUND,
    encodeRequest: (content, overrides, filename) => new wire.ParseRunRequest({ content, overrides: { ...overrides }, filename }),
    decodeRequest: (r: wire.ParseRunRequest) => [need(r.content, 'content'), need(r.overrides, 'overrides'), opt(r.filename)],
    encodeResponse: (p) => new wire.ParseRunResponse({
      spec: p.spec === undefined ? undefined : runSpecToWire(p.spec),
      errors: p.errors.map(issueToWire),
      warnings: p.warnings.map(issueToWire),
    }),
    decodeResponse: (r: wire.ParseRunResponse) => compact({
      spec: r.spec == null ? undefined : runSpecFromWire(r.spec, 'spec'),
      errors: issuesFromWire(r.errors, 'errors'),
      warnings: issuesFromWire(r.warnings, 'warnings'),
    }),
  }),
  createRun: codec<'createRun'>()({
    idempotent: false,
    throws: ['invalidDefinition', 'notFound'],
    encodeRequest: (req) => new wire.CreateRunRequest({ spec: runSpecToWire(req.spec), user: req.user }),
    decodeRequest: (r: wire.CreateRunRequest) => [compact({ spec: runSpecFromWire(r.spec, 'spec'), user: opt(r.user) })],
    encodeResponse: (res) => new wire.CreateRunResponse({ ids: [...res.ids], warnings: res.warnings.map(issueToWire) }),
    decodeResponse: (r: wire.CreateRunResponse) => ({ ids: need(r.ids, 'ids'), warnings: issuesFromWire(r.warnings, 'warnings') }),
  }),
  getRun: codec<'getRun'>()({
    idempotent: true,
    throws: NOT_FOUND,
    encodeRequest: (id) => new wire.GetRunRequest({ id }),
    decodeRequest: (r: wire.GetRunRequest) => [need(r.id, 'id')],
    encodeResponse: (run) => new wire.GetRunResponse({ run: runToWire(run) }),
    decodeResponse: (r: wire.GetRunResponse) => runFromWire(r.run, 'run'),
  }),
  listRuns: codec<'listRuns'>()({
    idempotent: true,
    throws: [],
    encodeRequest: (q) => new wire.ListRunsRequest({
      owner: q.owner,
      name: q.name,
      workflowId: q.workflowId,
      status: q.status?.map(runStatus.toWire),
      tags: q.tags && [...q.tags],
      parent: q.parent,
      q: q.q,
      limit: optToI32(q.limit, 'limit'),
      offset: optToI32(q.offset, 'offset'),
    }),
    decodeRequest: (r: wire.ListRunsRequest) => [compact({
      owner: opt(r.owner),
      name: opt(r.name),
      workflowId: opt(r.workflowId),
      status: r.status == null ? undefined : r.status.map((s, i) => runStatus.fromWire(s, `status[${i}]`)),
      tags: opt(r.tags),
      parent: opt(r.parent),
      q: opt(r.q),
      limit: opt(r.limit),
      offset: opt(r.offset),
    })],
    encodeResponse: (page) => new wire.ListRunsResponse({ results: page.results.map(runToWire), total: toI64(page.total, 'total') }),
    decodeResponse: (r: wire.ListRunsResponse) => ({ results: listOfRuns(r.results), total: fromI64(r.total, 'total') }),
  }),
  killRun: codec<'killRun'>()({
    idempotent: true,
    throws: NOT_FOUND,
    encodeRequest: (id) => new wire.KillRunRequest({ id }),
    decodeRequest: (r: wire.KillRunRequest) => [need(r.id, 'id')],
    encodeResponse: (run) => new wire.KillRunResponse({ run: runToWire(run) }),
    decodeResponse: (r: wire.KillRunResponse) => runFromWire(r.run, 'run'),
  }),
  deleteRun: codec<'deleteRun'>()({
    idempotent: false,
    throws: NOT_FOUND,
    encodeRequest: (id) => new wire.DeleteRunRequest({ id }),
    decodeRequest: (r: wire.DeleteRunRequest) => [need(r.id, 'id')],
    encodeResponse: () => new wire.DeleteRunResponse(),
    decodeResponse: (_r: wire.DeleteRunResponse) => undefined,
  }),
  updateRun: codec<'updateRun'>()({
    idempotent: true,
    throws: ['invalidDefinition', 'notFound'],
    encodeRequest: (req) => new wire.UpdateRunRequest({ id: req.id, name: req.name, notes: req.notes, tags: req.tags && [...req.tags] }),
    decodeRequest: (r: wire.UpdateRunRequest) => [compact({ id: need(r.id, 'id'), name: opt(r.name), notes: opt(r.notes), tags: opt(r.tags) })],
    encodeResponse: (run) => new wire.UpdateRunResponse({ run: runToWire(run) }),
    decodeResponse: (r: wire.UpdateRunResponse) => runFromWire(r.run, 'run'),
  }),
  listLogs: codec<'listLogs'>()({
    idempotent: true,
    throws: NOT_FOUND,
    encodeRequest: (q) => new wire.ListLogsRequest({
      runId: q.runId,
      node: q.node,
      stream: q.stream === undefined ? undefined : logStream.toWire(q.stream),
      sinceMs: optToI64(q.sinceMs, 'sinceMs'),
      limit: optToI32(q.limit, 'limit'),
    }),
    decodeRequest: (r: wire.ListLogsRequest) => [compact({
      runId: need(r.runId, 'runId'),
      node: need(r.node, 'node'),
      stream: r.stream == null ? undefined : logStream.fromWire(r.stream, 'stream'),
      sinceMs: optFromI64(r.sinceMs, 'sinceMs'),
      limit: opt(r.limit),
    })],
    encodeResponse: (lines) => new wire.ListLogsResponse({ lines: lines.map((l, i) => logLineToWire(l, `lines[${i}]`)) }),
    decodeResponse: (r: wire.ListLogsResponse) => needList(r.lines, 'lines', logLineFromWire),
  }),
  info: codec<'info'>()({
    idempotent: true,
    throws: [],
    encodeRequest: () => new wire.InfoRequest(),
    decodeRequest: (_r: wire.InfoRequest) => [],
    encodeResponse: (i) => new wire.InfoResponse({ version: i.version, plugins: { ...i.plugins } }),
    decodeResponse: (r: wire.InfoResponse) => ({ version: need(r.version, 'version'), plugins: mapValues(need(r.plugins, 'plugins'), (v) => v) }),
  }),
  startTask: codec<'startTask'>()({
    idempotent: false,
    throws: INVALID_TASK,
    encodeRequest: (taskId, token) => new wire.StartTaskRequest({ taskId, token }),
    decodeRequest: (r: wire.StartTaskRequest) => [need(r.taskId, 'taskId'), need(r.token, 'token')],
    encodeResponse: startTaskToWire,
    decodeResponse: (r: wire.StartTaskResponse) => startTaskFromWire(r, 'response'),
  }),
  heartbeat: codec<'heartbeat'>()({
    idempotent: true,
    throws: INVALID_TASK,
    encodeRequest: (taskId, token) => new wire.HeartbeatRequest({ taskId, token }),
    decodeRequest: (r: wire.HeartbeatRequest) => [need(r.taskId, 'taskId'), need(r.token, 'token')],
    encodeResponse: () => new wire.HeartbeatResponse(),
    decodeResponse: (_r: wire.HeartbeatResponse) => undefined,
  }),
  streamLogs: codec<'streamLogs'>()({
    idempotent: false,
    throws: INVALID_TASK,
    encodeRequest: (taskId, token, lines) => new wire.StreamLogsRequest({
      taskId, token, lines: lines.map((l, i) => logEntryToWire(l, `lines[${i}]`)),
    }),
    decodeRequest: (r: wire.StreamLogsRequest) => [need(r.taskId, 'taskId'), need(r.token, 'token'), needList(r.lines, 'lines', logEntryFromWire)],
    encodeResponse: () => new wire.StreamLogsResponse(),
    decodeResponse: (_r: wire.StreamLogsResponse) => undefined,
  }),
  completeTask: codec<'completeTask'>()({
    idempotent: false,
    throws: INVALID_TASK,
    encodeRequest: (taskId, token, outcome) => new wire.CompleteTaskRequest({ taskId, token, outcome: outcomeToWire(outcome) }),
    decodeRequest: (r: wire.CompleteTaskRequest) => [need(r.taskId, 'taskId'), need(r.token, 'token'), outcomeFromWire(r.outcome, 'outcome')],
    encodeResponse: () => new wire.CompleteTaskResponse(),
    decodeResponse: (_r: wire.CompleteTaskResponse) => undefined,
  }),
} satisfies { [M in ApiMethod]: CallCodec<M, unknown, unknown> };

/** Every method of AgentService, in the order of the table. */
export const API_METHODS = Object.keys(CALLS) as ApiMethod[];
