/**
 * Options of the engine, compiled once: code past compileEngineOptions never writes `?? default`.
 */
import { compileRetryPolicy } from '../core/retry-policy';
import { RetryPolicy } from '../core/run';

export interface EngineOptions {
  /** Address executors call back, `host:port`. */
  agentAddr: string;
  /** How often executors heartbeat. @default 5000 */
  heartbeatIntervalMs?: number;
  /** A RUNNING task silent for this long is LOST. @default 30000 */
  heartbeatTimeoutMs?: number;
  /** How often the lost-task detector looks. @default 5000 */
  lostCheckIntervalMs?: number;
  /** A sweep larger than this is refused before anything is created. @default 100000 */
  maxChildren?: number;
  /** Retry policy of every node. @default DEFAULT_RETRY_POLICY */
  retry?: Partial<RetryPolicy>;
  /** A sweep parent's state is recomputed at most this often while children change. @default 250 */
  parentUpdateDelayMs?: number;
  /** How many runs are launched at once after a sweep is created or on resume. @default 8 */
  launchConcurrency?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Where engine events worth a person's attention go. @default console.error with a prefix */
  log?: (message: string, err?: unknown) => void;
}

export type CompiledEngineOptions = Required<Omit<EngineOptions, 'retry'>> & { retry: RetryPolicy };

export function compileEngineOptions(options: EngineOptions): CompiledEngineOptions {
  return {
    agentAddr: options.agentAddr,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5000,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 30_000,
    lostCheckIntervalMs: options.lostCheckIntervalMs ?? 5000,
    maxChildren: options.maxChildren ?? 100_000,
    retry: compileRetryPolicy(options.retry),
    parentUpdateDelayMs: options.parentUpdateDelayMs ?? 250,
    launchConcurrency: options.launchConcurrency ?? 8,
    now: options.now ?? Date.now,
    log: options.log ?? ((message, err) => console.error(`[engine] ${message}`, err ?? '')),
  };
}
