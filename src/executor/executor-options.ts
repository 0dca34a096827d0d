/**
 * Options of one executor run, and their defaults. Only main.ts reads flags and environment; it
 * builds these.
 */
import { ExecutorApi } from '../api/service';
import { Downloader } from '../plugins/downloader/downloader';
import { Uploader } from '../plugins/uploader/uploader';
import { BuiltinOperator } from '../operators/operator';
import { BackoffOptions, DEFAULT_BACKOFF } from './with-retry';

export interface ExecutorOptions {
  api: ExecutorApi;
  taskId: string;
  /** The task's secret, presented on every call. */
  token: string;
  /** An empty directory the executor owns: inputs are staged under `inputs/`, operators write under `outputs/`. */
  workDir: string;
  uploader: Uploader;
  downloader: Downloader;
  /** Looks an operator up by name (usually findBuiltin). */
  operators: (name: string) => BuiltinOperator | undefined;
  /** Used only when the agent's startTask gives no interval (the agent's value wins). @default 15000 */
  heartbeatIntervalMs?: number;
  /** How often buffered log lines are sent. @default 500 */
  logFlushIntervalMs?: number;
  /** Backoff of retried calls (agent, uploads, downloads); fields left out take DEFAULT_BACKOFF's. */
  retry?: Partial<BackoffOptions>;
  /** Clock, Unix ms. @default Date.now */
  now?: () => number;
  /** Floats in [0, 1), for retry jitter. @default Math.random */
  random?: () => number;
  /** Ends the task early (SIGTERM): the operator is aborted and nothing is reported. */
  signal?: AbortSignal;
  /** Also stream what the process writes to stdout and stderr while the task runs. @default true */
  captureOutput?: boolean;
  /** How long an aborted operator gets to stop before the executor gives up on it. @default 5000 */
  abortGraceMs?: number;
  /** Log lines held while the agent cannot be reached; beyond, the oldest are dropped. @default 10000 */
  maxBufferedLogLines?: number;
  /** Lines per streamLogs call. @default 1000 */
  logBatchLines?: number;
  /**
   * Receives the executor's own notes (retries, lost log lines), which also go into the task's
   * logs. @default a line on the process's real stderr (not captured into the task's logs)
   */
  onDiagnostic?: (line: string) => void;
}

export type CompiledExecutorOptions = Required<Omit<ExecutorOptions, 'signal' | 'retry'>> & {
  signal: AbortSignal | undefined;
  retry: BackoffOptions;
};

// Bound now, before any output capture replaces process.stderr.write.
const rawStderrWrite = process.stderr.write.bind(process.stderr);
const writeStderrLine = (line: string): void => {
  rawStderrWrite(`${line}\n`);
};

export function compileExecutorOptions(options: ExecutorOptions): CompiledExecutorOptions {
  return {
    ...options,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 15_000,
    logFlushIntervalMs: options.logFlushIntervalMs ?? 500,
    retry: { ...DEFAULT_BACKOFF, ...stripUndefined(options.retry ?? {}) },
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    signal: options.signal,
    captureOutput: options.captureOutput ?? true,
    abortGraceMs: options.abortGraceMs ?? 5000,
    maxBufferedLogLines: options.maxBufferedLogLines ?? 10_000,
    logBatchLines: options.logBatchLines ?? 1000,
    onDiagnostic: options.onDiagnostic ?? writeStderrLine,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
