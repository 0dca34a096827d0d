/**
 * The agent app: configuration, plugin wiring, the Thrift server and the engine. Thin: decisions
 * live in src/engine and src/plugins.
 */
export { startAgent, StartAgentOptions, RunningAgent, executorCommand } from './agent';
export { loadAgentConfig, AgentConfig, DEFAULT_CONFIG } from './config';
export { ACCIO_VERSION } from './version';
