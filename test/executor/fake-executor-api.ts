/**
 * An in-process ExecutorApi that records every call, for unit tests of the executor's logic (the
 * real wire is covered end to end). Behaviour is scripted per method with `failWith`.
 */
import { ExecutorApi, StartTaskResponse, TaskOutcome } from '../../src/api/service';
import { LogStream, OpPayload } from '../../src/core/run';

export interface StreamedLine {
  stream: LogStream;
  atMs: number;
  message: string;
}

export type Method = 'startTask' | 'heartbeat' | 'streamLogs' | 'completeTask';

export class FakeExecutorApi implements ExecutorApi {
  /** Every call in order, with the time it was made. */
  readonly calls: { method: Method; atMs: number }[] = [];
  readonly lines: StreamedLine[] = [];
  readonly outcomes: TaskOutcome[] = [];
  private readonly scripted = new Map<Method, (call: number) => Error | undefined>();

  constructor(
    private readonly payload: OpPayload,
    private readonly heartbeatIntervalMs = 60_000,
    readonly taskId = 'task-1',
    readonly token = 'token-1',
  ) {}

  /** Makes the n-th call (from 1) of `method` throw what `error` returns for it, if anything. */
  failWith(method: Method, error: (call: number) => Error | undefined): this {
    this.scripted.set(method, error);
    return this;
  }

  count(method: Method): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  private record(method: Method): void {
    this.calls.push({ method, atMs: Date.now() });
    const err = this.scripted.get(method)?.(this.count(method));
    if (err) throw err;
  }

  private check(taskId: string, token: string): void {
    if (taskId !== this.taskId || token !== this.token) throw new Error(`unexpected task ${taskId}/${token}`);
  }

  async startTask(taskId: string, token: string): Promise<StartTaskResponse> {
    this.check(taskId, token);
    this.record('startTask');
    return { runId: 'run-1', node: 'Node', payload: this.payload, heartbeatIntervalMs: this.heartbeatIntervalMs };
  }

  async heartbeat(taskId: string, token: string): Promise<void> {
    this.check(taskId, token);
    this.record('heartbeat');
  }

  async streamLogs(taskId: string, token: string, lines: StreamedLine[]): Promise<void> {
    this.check(taskId, token);
    this.record('streamLogs');
    this.lines.push(...lines);
  }

  async completeTask(taskId: string, token: string, outcome: TaskOutcome): Promise<void> {
    this.check(taskId, token);
    this.record('completeTask');
    this.outcomes.push(outcome);
  }
}
