/**
 * One task, start to end: startTask, stage inputs in, run the operator in-process, stage outputs
 * out, completeTask; heartbeats and log streaming run alongside. The outcome travels only through
 * completeTask: an operator failure is a successful report of a failure.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskOutcome } from '../api/service';
import { InvalidTaskError, isRetryable, UnavailableError } from '../core/errors';
import { OperatorDef } from '../core/operator';
import { ErrorInfo, OpPayload } from '../core/run';
import { coerceValue, Value } from '../core/values';
import { BuiltinOperator, OperatorFailure, OperatorOutput } from '../operators/operator';
import { CompiledExecutorOptions, compileExecutorOptions, ExecutorOptions } from './executor-options';
import { captureOutput, LogBuffer } from './log-buffer';
import { LogShipper } from './log-shipper';
import { stageIn, stageOut } from './staging';
import { withRetry } from './with-retry';

export { ExecutorOptions } from './executor-options';

/**
 * How a task ended for this executor: `completed` once the agent accepted the outcome (success or
 * failure); `abandoned` when the agent no longer knows the task (killed, or given to another
 * executor) or the executor was told to stop; nothing more is reported then.
 */
export type TaskEnd = 'completed' | 'abandoned';

/** Unwinds the task once it is abandoned; never leaves this module. */
class Abandoned extends Error {
  constructor() {
    super('the task was abandoned');
    this.name = 'Abandoned';
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The ErrorInfo of what an operator threw: OperatorFailure chooses its classifier, others are classified by name. */
export function errorInfoOf(err: unknown): ErrorInfo {
  if (err instanceof Error) {
    const classifier = err instanceof OperatorFailure ? err.classifier : err.name;
    return { classifier, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  }
  return { classifier: 'Error', message: String(err) };
}

type Prepared = { ok: true; values: Record<string, Value> } | { ok: false; error: ErrorInfo };

/** Applies defaults and checks every value against its port type. */
function checkPorts(ports: OperatorDef['inputs'], given: Record<string, Value>, what: 'input' | 'output'): Prepared {
  const values: Record<string, Value> = {};
  for (const p of ports) {
    const raw = given[p.name] ?? (what === 'input' ? p.default : undefined);
    if (raw === undefined) {
      if (what === 'input' && p.optional) continue;
      const message = what === 'input' ? `input ${p.name} is required and was not given` : `the operator returned no value for output ${p.name}`;
      return { ok: false, error: { classifier: `missing-${what}`, message } };
    }
    const c = coerceValue(p.type, raw);
    if (!c.ok) return { ok: false, error: { classifier: `invalid-${what}`, message: `${what} ${p.name}: ${c.message}` } };
    values[p.name] = c.value;
  }
  return { ok: true, values };
}

class TaskSession {
  private readonly stop = new AbortController();
  private readonly abandoned: Promise<void>;
  /** Set when the executor gives up on the agent: runTask then rejects with it. */
  private fatal: Error | undefined;
  private readonly buffer: LogBuffer;

  constructor(private readonly o: CompiledExecutorOptions) {
    this.abandoned = new Promise((resolve) => this.stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    this.buffer = new LogBuffer(o.now, o.maxBufferedLogLines);
  }

  async run(): Promise<TaskEnd> {
    const external = this.o.signal;
    if (external?.aborted) return 'abandoned';
    const onExternalAbort = (): void => this.abandon();
    external?.addEventListener('abort', onExternalAbort, { once: true });
    try {
      return await this.runStarted();
    } catch (err) {
      if (this.fatal) throw this.fatal;
      if (this.stop.signal.aborted) return 'abandoned';
      throw err;
    } finally {
      external?.removeEventListener('abort', onExternalAbort);
    }
  }

  private abandon(): void {
    this.stop.abort();
  }

  /** Into the task's logs (while they are still streamed) and to the executor's own stderr. */
  private diag(message: string): void {
    const line = `[executor] ${message}`;
    this.buffer.push('stderr', line);
    this.o.onDiagnostic(line);
  }

  /** Retries transport errors until the deadline; stops waiting once the task is abandoned. */
  private retrying = <T>(fn: () => Promise<T>, what = 'call', signal: AbortSignal = this.stop.signal): Promise<T> =>
    withRetry(fn, {
      backoff: this.o.retry,
      now: this.o.now,
      random: this.o.random,
      signal,
      onRetry: (err, delayMs) => this.diag(`${what} failed (${messageOf(err)}); retrying in ${Math.round(delayMs)} ms`),
    });

  /** A call to the agent: retried, and an InvalidTaskError abandons the task. */
  private async callAgent<T>(what: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await this.retrying(fn, what, signal);
    } catch (err) {
      if (err instanceof InvalidTaskError) {
        this.abandon();
        throw new Abandoned();
      }
      throw err;
    }
  }

  private async runStarted(): Promise<TaskEnd> {
    const { api, taskId, token } = this.o;
    const start = await this.callAgent('startTask', () => api.startTask(taskId, token));
    const heartbeatMs = start.heartbeatIntervalMs > 0 ? start.heartbeatIntervalMs : this.o.heartbeatIntervalMs;
    const heartbeats = this.startHeartbeats(heartbeatMs);
    const shipper = new LogShipper({
      buffer: this.buffer,
      send: (lines) => this.callAgent('streamLogs', () => api.streamLogs(taskId, token, lines)),
      intervalMs: this.o.logFlushIntervalMs,
      batchLines: this.o.logBatchLines,
      onDropped: (count, err) => {
        if (!(err instanceof Abandoned)) this.diag(`${count} log lines could not be sent: ${messageOf(err)}`);
      },
    });
    shipper.start();
    const restore = this.o.captureOutput ? captureOutput((stream, line) => this.buffer.push(stream, line)) : () => {};
    let outcome: TaskOutcome | undefined;
    try {
      outcome = await this.execute(start.payload);
    } finally {
      restore();
      heartbeats.stop();
      // Logs before completeTask: once the task is complete the agent forgets it and refuses more lines.
      await shipper.stop(outcome !== undefined && !this.stop.signal.aborted);
    }
    if (this.stop.signal.aborted) throw new Abandoned();
    await this.callAgent('completeTask', () => api.completeTask(taskId, token, outcome));
    return 'completed';
  }

  /**
   * Heartbeats every `intervalMs` (the first one after a full interval). A transport failure that
   * outlasts the retry deadline means the agent will consider the task lost: the operator is then
   * stopped and runTask rejects. Other errors are noted and the next heartbeat tried.
   */
  private startHeartbeats(intervalMs: number): { stop(): void } {
    // Stopped on its own at the end of the task, and with everything else when the task is abandoned.
    const own = new AbortController();
    const signal = own.signal;
    const onAbandon = (): void => own.abort();
    this.stop.signal.addEventListener('abort', onAbandon, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const tick = async (): Promise<void> => {
      try {
        await this.callAgent('heartbeat', () => this.o.api.heartbeat(this.o.taskId, this.o.token), signal);
      } catch (err) {
        if (signal.aborted || err instanceof Abandoned) return;
        if (isRetryable(err)) {
          this.fatal = new UnavailableError(`lost contact with the agent: ${messageOf(err)}`, { cause: err });
          this.abandon();
          return;
        }
        this.diag(`heartbeat failed: ${messageOf(err)}`);
      }
      if (!signal.aborted) timer = setTimeout(tick, intervalMs);
    };
    timer = setTimeout(tick, intervalMs);
    return {
      stop: () => {
        this.stop.signal.removeEventListener('abort', onAbandon);
        own.abort();
        clearTimeout(timer);
      },
    };
  }

  private usage(startMs: number, cpuStart: NodeJS.CpuUsage): Record<string, number> {
    const cpu = process.cpuUsage(cpuStart);
    return {
      wall_time_ms: this.o.now() - startMs,
      cpu_time_ms: (cpu.user + cpu.system) / 1000,
      // maxRSS is in kilobytes.
      peak_memory_bytes: process.resourceUsage().maxRSS * 1024,
    };
  }

  /** Runs the payload; resolves with what to report, or throws Abandoned. */
  private async execute(payload: OpPayload): Promise<TaskOutcome> {
    const failure = (error: ErrorInfo, metrics: Record<string, number> = {}): TaskOutcome => ({ kind: 'failure', error, metrics });
    const op = this.o.operators(payload.op);
    if (!op) return failure({ classifier: 'unknown-operator', message: `this executor has no operator ${payload.op}` });
    if (op.def.version !== payload.opVersion) {
      return failure({ classifier: 'version-mismatch', message: `this executor has ${op.def.name} version ${op.def.version}, the task needs version ${payload.opVersion}` });
    }
    const prepared = checkPorts(op.def.inputs, payload.inputs, 'input');
    if (!prepared.ok) return failure(prepared.error);

    let inputs: Record<string, Value>;
    try {
      inputs = await stageIn(op.def.inputs, prepared.values, this.o.downloader, join(this.o.workDir, 'inputs'), (fn) => this.retrying(fn, 'download'));
    } catch (err) {
      if (this.stop.signal.aborted) throw new Abandoned();
      return failure({ ...errorInfoOf(err), classifier: 'stage-in', message: `cannot stage input data in: ${messageOf(err)}` });
    }

    const startMs = this.o.now();
    const cpuStart = process.cpuUsage();
    const result = await this.runOperator(op, inputs, payload.seed);
    const metrics = { ...finiteOnly(result.ok ? result.output.metrics : undefined), ...this.usage(startMs, cpuStart) };
    if (!result.ok) return failure(errorInfoOf(result.error), metrics);

    const checked = checkPorts(op.def.outputs, result.output.outputs, 'output');
    if (!checked.ok) return failure(checked.error, metrics);
    try {
      const outputs = await stageOut(op.def.outputs, checked.values, this.o.uploader, {
        cacheKey: payload.cacheKey,
        taskId: this.o.taskId,
        retrying: (fn) => this.retrying(fn, 'upload'),
      });
      return { kind: 'success', result: { outputs, metrics } };
    } catch (err) {
      if (this.stop.signal.aborted) throw new Abandoned();
      return failure({ ...errorInfoOf(err), classifier: 'stage-out', message: `cannot stage output data out: ${messageOf(err)}` }, metrics);
    }
  }

  /**
   * Runs the operator until it settles or the task is abandoned; then the operator is aborted and
   * given abortGraceMs to stop, after which it is left behind (the process is about to exit).
   */
  private async runOperator(op: BuiltinOperator, inputs: Record<string, Value>, seed: number): Promise<{ ok: true; output: OperatorOutput } | { ok: false; error: unknown }> {
    const workDir = join(this.o.workDir, 'outputs');
    await mkdir(workDir, { recursive: true });
    const running = Promise.resolve()
      .then(() =>
        op.run(inputs, {
          seed,
          workDir,
          signal: this.stop.signal,
          log: (line, stream = 'stdout') => {
            for (const l of line.split('\n')) this.buffer.push(stream, l);
          },
        }),
      )
      .then(
        (output) => ({ ok: true as const, output }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    const first = await Promise.race([running, this.abandoned.then(() => undefined)]);
    if (first === undefined || this.stop.signal.aborted) {
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((r) => (grace = setTimeout(r, this.o.abortGraceMs)))]);
      clearTimeout(grace);
      throw new Abandoned();
    }
    return first;
  }
}

function finiteOnly(metrics: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics ?? {}).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)));
}

/**
 * Runs one task to its end. Resolves `completed` once the outcome is reported, `abandoned` when
 * the agent disowned the task or `signal` fired. Rejects only when the agent could not be reached
 * (startTask, heartbeats or completeTask past the retry deadline) or refused a call for another
 * reason: then nothing could be reported.
 */
export async function runTask(options: ExecutorOptions): Promise<TaskEnd> {
  return new TaskSession(compileExecutorOptions(options)).run();
}

