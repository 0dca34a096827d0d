/**
 * A real agent for end-to-end tests: Thrift on a random loopback port, SQLite storage, local
 * scheduler running real executor processes, in a fresh data directory per test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startAgent, RunningAgent, executorCommand } from '../../src/agent';
import { connectAgent } from '../../src/api/thrift-client';
import { AgentClient } from '../../src/api/thrift-client';
import { isTerminalRun, Run } from '../../src/core/run';
import { waitFor } from './wait-for';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const STOP_TIMEOUT_MS = 20_000;
const BUILT_EXECUTOR = path.join(REPO_ROOT, 'dist', 'src', 'executor', 'main.js');

/** The compiled executor when the build exists (fast to start), else the TypeScript one under tsx. */
export function testExecutorCommand(): string[] {
  return fs.existsSync(BUILT_EXECUTOR) ? [process.execPath, BUILT_EXECUTOR] : executorCommand();
}

export interface TestAgent {
  agent: RunningAgent;
  client: AgentClient;
  dataDir: string;
  /** Stops the agent (keeping its data directory, for restart tests). */
  stop(): Promise<void>;
  /** Stops the agent and removes its data directory. */
  cleanup(): Promise<void>;
}

export interface TestAgentOptions {
  dataDir?: string;
  port?: number;
  /** Extra YAML configuration. */
  config?: string;
}

export async function startTestAgent(options: TestAgentOptions = {}): Promise<TestAgent> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'accio-e2e-'));
  let configFile: string | undefined;
  if (options.config) {
    configFile = path.join(dataDir, 'config.yaml');
    fs.writeFileSync(configFile, options.config);
  }
  const agent = await startAgent({
    dataDir,
    port: options.port ?? 0,
    configFile,
    env: {},
    executorCommand: testExecutorCommand(),
    log: () => undefined,
  });
  const client = connectAgent(agent.addr);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client.close();
    // Bounded: once, under CI load, shutting down after the reusable-executor tests hung (not
    // reproduced since); a hung shutdown must show as a warning, not stall the suite's hooks.
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)));
    const outcome = await Promise.race([agent.stop().then(() => 'stopped' as const), gaveUp]);
    clearTimeout(timer);
    if (outcome === 'timeout') console.warn(`[test] the agent at ${agent.addr} did not stop within ${STOP_TIMEOUT_MS} ms`);
  };
  return {
    agent,
    client,
    dataDir,
    stop,
    cleanup: async () => {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until a run is terminal and returns it. */
export function waitForRun(client: AgentClient, id: string, timeoutMs = 60_000): Promise<Run> {
  return waitFor(`run ${id} to finish`, async () => {
    const run = await client.getRun(id);
    return isTerminalRun(run.state.status) ? run : undefined;
  }, timeoutMs, 100);
}
