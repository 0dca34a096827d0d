/**
 * Scheduler plugin: starts and kills one executor per task and reports its exit, its
 * implementations and the registry that picks one by configuration. Knows nothing of runs or
 * graphs. Imports only src/core.
 */
export type { ExecutorExit, ExecutorJob, Scheduler, SchedulerStats } from './scheduler';
export { LocalScheduler, compileLocalSchedulerOptions, SPAWN_FAILED_EXIT_CODE } from './local';
export type { CompiledLocalSchedulerOptions, LocalSchedulerOptions } from './local';
export { createScheduler, schedulerTypes } from './registry';
export type { LocalSchedulerConfig, SchedulerConfig } from './registry';
