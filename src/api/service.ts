/**
 * The agent's API in domain types. The agent implements it (over the engine); `src/api/thrift`
 * exposes an implementation over Thrift and offers a client that implements it too, so the CLI and
 * the executor are written against this interface, not against generated code.
 *
 * Errors: implementations throw the errors of src/core/errors.ts (InvalidDefinitionError,
 * NotFoundError, InvalidTaskError, ...); the Thrift layer carries them across the wire as typed
 * exceptions and rebuilds them on the client side. Any other error reaches the client as an
 * INTERNAL AccioError without a stack trace.
 */
import { OperatorDef } from '../core/operator';
import { LogLine, LogStream, OpPayload, OpResult, Run, RunStatus, ErrorInfo } from '../core/run';
import { RunSpec } from '../core/run-spec';
import { ValidationIssue } from '../core/errors';
import { Workflow, WorkflowSpec } from '../core/workflow';

export interface ParseResult<T> {
  /** Present when there are no errors. */
  spec?: T;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

export interface ListPage<T> {
  results: T[];
  total: number;
}

export interface ListWorkflowsRequest {
  owner?: string;
  name?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface ListRunsRequest {
  owner?: string;
  name?: string;
  workflowId?: string;
  status?: RunStatus[];
  tags?: string[];
  parent?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface CreateRunRequest {
  spec: RunSpec;
  /** Who submits; the run's owner unless the spec names one. */
  user?: string;
}

export interface CreateRunResponse {
  /** Parent first, then children in expansion order; one id for a single run. */
  ids: string[];
  warnings: ValidationIssue[];
}

export interface UpdateRunRequest {
  id: string;
  name?: string;
  notes?: string;
  tags?: string[];
}

export interface ListLogsRequest {
  runId: string;
  node: string;
  stream?: LogStream;
  /** Only lines strictly after this time (for following). */
  sinceMs?: number;
  limit?: number;
}

export interface AgentInfo {
  version: string;
  /** Plugin name -> implementation type, e.g. storage -> sqlite. */
  plugins: Record<string, string>;
}

export interface StartTaskResponse {
  runId: string;
  node: string;
  payload: OpPayload;
  /** How often the executor should heartbeat. */
  heartbeatIntervalMs: number;
}

export type TaskOutcome =
  | { kind: 'success'; result: OpResult }
  | { kind: 'failure'; error: ErrorInfo; metrics: Record<string, number> };

/** Calls made by users (CLI, gateway). */
export interface ClientApi {
  getOperator(name: string): Promise<OperatorDef>;
  listOperators(options?: { includeDeprecated?: boolean }): Promise<OperatorDef[]>;

  /** Parses and validates a workflow definition without storing it; errors are returned, not thrown. */
  parseWorkflow(content: string, filename?: string): Promise<ParseResult<WorkflowSpec>>;
  /** Validates and stores a new version (or returns the existing one when identical). Throws InvalidDefinitionError. */
  pushWorkflow(spec: WorkflowSpec, user?: string): Promise<{ workflow: Workflow; warnings: ValidationIssue[] }>;
  getWorkflow(id: string, version?: string): Promise<Workflow>;
  listWorkflows(request: ListWorkflowsRequest): Promise<ListPage<Workflow>>;

  /** Parses a run definition and applies `key=value` overrides; validates against the workflow. */
  parseRun(content: string, overrides: Record<string, string>, filename?: string): Promise<ParseResult<RunSpec>>;
  /** Creates a single run or a sweep (parent + children), stored before this returns. */
  createRun(request: CreateRunRequest): Promise<CreateRunResponse>;
  getRun(id: string): Promise<Run>;
  listRuns(request: ListRunsRequest): Promise<ListPage<Run>>;
  /** Kills a run (a parent kills its children); killing a finished run changes nothing. */
  killRun(id: string): Promise<Run>;
  /** Deletes a run (a parent deletes its children), killing it first if it is active. */
  deleteRun(id: string): Promise<void>;
  updateRun(request: UpdateRunRequest): Promise<Run>;
  listLogs(request: ListLogsRequest): Promise<LogLine[]>;
  info(): Promise<AgentInfo>;
}

/** Calls made by executors; each checks the task's token. */
export interface ExecutorApi {
  startTask(taskId: string, token: string): Promise<StartTaskResponse>;
  heartbeat(taskId: string, token: string): Promise<void>;
  streamLogs(taskId: string, token: string, lines: { stream: LogStream; atMs: number; message: string }[]): Promise<void>;
  completeTask(taskId: string, token: string, outcome: TaskOutcome): Promise<void>;
}

export interface AgentApi extends ClientApi, ExecutorApi {}
