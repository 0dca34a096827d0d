/**
 * The agent's API: the AgentApi interface in domain types, a Thrift server that exposes an
 * implementation of it, and a Thrift client that implements it. The generated code and the wire
 * mapping stay inside this folder. src/api imports only src/core.
 */
export * from './service';
export { serveAgentApi } from './thrift-server';
export type { AgentServer, ServeAgentApiOptions } from './thrift-server';
export { connectAgent } from './thrift-client';
export type { AgentClient, ConnectAgentOptions } from './thrift-client';
