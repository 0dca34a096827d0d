/**
 * The executor app: runs one task per process (see main.ts), pulling it from an agent. May import
 * anything below it; nothing imports it but tests.
 */
export { runTask, TaskEnd, errorInfoOf } from './executor';
export { ExecutorOptions, CompiledExecutorOptions, compileExecutorOptions } from './executor-options';
export { BackoffOptions, DEFAULT_BACKOFF, withRetry } from './with-retry';
