/**
 * The agent's API (src/api/service.ts) over the engine: thin translation, no logic of its own.
 */
import { AgentApi, AgentInfo, CreateRunRequest, ListLogsRequest, ListRunsRequest, ListWorkflowsRequest, StartTaskResponse, TaskOutcome, UpdateRunRequest } from '../api/service';
import { NotFoundError } from '../core/errors';
import { LogStream } from '../core/run';
import { WorkflowSpec } from '../core/workflow';
import { Engine } from './engine';

export class AgentHandler implements AgentApi {
  constructor(private readonly engine: Engine, private readonly agentInfo: AgentInfo) {}

  async getOperator(name: string) {
    const op = this.engine.plugins.operators.get(name);
    if (!op) throw new NotFoundError('operator', name, { actions: ["list operators with 'accio ops'"] });
    return op;
  }

  async listOperators(options: { includeDeprecated?: boolean } = {}) {
    return this.engine.plugins.operators.list().filter((op) => options.includeDeprecated || !op.deprecation);
  }

  async parseWorkflow(content: string, filename?: string) {
    return this.engine.workflows.parse(content, filename);
  }

  async pushWorkflow(spec: WorkflowSpec, user?: string) {
    const { workflow, warnings } = await this.engine.workflows.push(spec, user);
    return { workflow, warnings };
  }

  getWorkflow(id: string, version?: string) {
    return this.engine.workflows.get(id, version);
  }

  listWorkflows(request: ListWorkflowsRequest) {
    return this.engine.workflows.list(request);
  }

  parseRun(content: string, overrides: Record<string, string>, filename?: string) {
    return this.engine.runs.parse(content, overrides, filename);
  }

  createRun(request: CreateRunRequest) {
    return this.engine.runs.create(request.spec, request.user);
  }

  getRun(id: string) {
    return this.engine.runs.get(id);
  }

  listRuns(request: ListRunsRequest) {
    return this.engine.runs.list(request);
  }

  killRun(id: string) {
    return this.engine.runs.kill(id);
  }

  deleteRun(id: string) {
    return this.engine.runs.delete(id);
  }

  updateRun(request: UpdateRunRequest) {
    const { id, ...patch } = request;
    return this.engine.runs.update(id, patch);
  }

  async listLogs(request: ListLogsRequest) {
    await this.engine.runs.get(request.runId);
    return this.engine.plugins.storage.listLogs(request);
  }

  async info() {
    return this.agentInfo;
  }

  async startTask(taskId: string, token: string): Promise<StartTaskResponse> {
    const task = await this.engine.coordinator.startTask(taskId, token);
    return { runId: task.runId, node: task.node, payload: task.payload, heartbeatIntervalMs: this.engine.options.heartbeatIntervalMs };
  }

  heartbeat(taskId: string, token: string) {
    return this.engine.coordinator.heartbeat(taskId, token);
  }

  async streamLogs(taskId: string, token: string, lines: { stream: LogStream; atMs: number; message: string }[]) {
    const task = await this.engine.coordinator.authorise(taskId, token);
    await this.engine.plugins.storage.appendLogs(lines.map((l) => ({ ...l, runId: task.runId, node: task.node })));
  }

  completeTask(taskId: string, token: string, outcome: TaskOutcome) {
    return this.engine.coordinator.completeTask(taskId, token, outcome.kind === 'success' ? { result: outcome.result } : { error: outcome.error });
  }
}
