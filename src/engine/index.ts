/**
 * The engine: run lifecycle over the plugins (workflows, runs, tasks, cache, lost-task detection).
 * Imports core, api (types only), plugin interfaces and nothing from the apps.
 */
export { Engine, EnginePlugins } from './engine';
export { EngineOptions } from './engine-options';
export { AgentHandler } from './agent-handler';
