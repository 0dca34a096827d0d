/**
 * Scheduler: starts one executor per task and stops it on request. It knows nothing of runs or
 * graphs. It reports an executor that ended without the agent hearing its completion as lost; the
 * engine decides what that means (the executor may have completed just before it exited).
 */
import { Resources } from '../../core/operator';

export interface ExecutorJob {
  taskId: string;
  /** Secret the executor presents on every call to the agent. */
  token: string;
  /** Agent address the executor calls back, `host:port`. */
  agentAddr: string;
  resources: Resources;
  /** Labels for humans and for Kubernetes (run, node). */
  labels: Record<string, string>;
}

export interface ExecutorExit {
  taskId: string;
  /** Exit code, or undefined when the process was killed by a signal. */
  exitCode?: number;
  signal?: string;
  /** The scheduler killed it on request. */
  killed: boolean;
}

export interface SchedulerStats {
  queued: number;
  running: number;
}

export interface Scheduler {
  /** Queues or starts the job; resolves once it is accepted (not started). */
  submit(job: ExecutorJob): Promise<void>;
  /** Stops the job's executor, or drops it from the queue. Unknown ids are ignored. */
  kill(taskId: string): Promise<void>;
  /** Called once for every job that ended, whatever the reason (not for jobs dropped from the queue). */
  onExit(listener: (exit: ExecutorExit) => void): void;
  stats(): SchedulerStats;
  /** Kills every executor it started. */
  close(): Promise<void>;
}
