/**
 * The agent process: builds the plugins from configuration, serves the Thrift API and runs the
 * engine. Thin wiring only: every decision lives in the engine or the plugins.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AgentApi } from '../api/service';
import { serveAgentApi } from '../api/thrift-server';
import { UnavailableError } from '../core/errors';
import { AgentHandler, Engine } from '../engine';
import { builtinRegistry } from '../operators';
import { createScheduler, SchedulerConfig } from '../plugins/scheduler/registry';
import { createStateManager, StateManagerConfig } from '../plugins/statemgr/registry';
import { createStorage, StorageConfig } from '../plugins/storage/registry';
import { AgentConfig, loadAgentConfig } from './config';
import { ACCIO_VERSION } from './version';

export interface StartAgentOptions {
  /** A YAML configuration file. */
  configFile?: string;
  port?: number;
  host?: string;
  dataDir?: string;
  /** Environment overrides are read from here. @default process.env */
  env?: Record<string, string | undefined>;
  /** @default console.error */
  log?: (message: string, err?: unknown) => void;
  /** How executors are started. @default executorCommand() */
  executorCommand?: string[];
}

export interface RunningAgent {
  /** `host:port` the API listens on. */
  addr: string;
  config: AgentConfig;
  engine: Engine;
  stop(): Promise<void>;
}

/**
 * The command that starts an executor (`main`), or a reusable one (`worker`): the compiled one, or
 * the TypeScript one under tsx (tests).
 */
export function executorCommand(program: 'main' | 'worker' = 'main'): string[] {
  const ts = __filename.endsWith('.ts');
  const file = path.resolve(__dirname, '..', 'executor', `${program}.${ts ? 'ts' : 'js'}`);
  // tsx by absolute URL: executors run in their own sandbox directory, where a bare name does not resolve.
  return ts ? [process.execPath, '--import', pathToFileURL(require.resolve('tsx')).href, file] : [process.execPath, file];
}

export async function startAgent(options: StartAgentOptions = {}): Promise<RunningAgent> {
  const log = options.log ?? ((m: string, err?: unknown) => console.error(`[agent] ${m}`, err ?? ''));
  const config = loadAgentConfig({
    fileText: options.configFile ? fs.readFileSync(options.configFile, 'utf8') : undefined,
    fileName: options.configFile,
    env: options.env ?? process.env,
    flags: { 'agent.port': options.port, 'agent.host': options.host, 'agent.dataDir': options.dataDir },
  });
  fs.mkdirSync(config.agent.dataDir as string, { recursive: true });

  // The server starts first so that a port of 0 is known before executors are told where to call.
  let handler: AgentApi | undefined;
  const server = await serveAgentApi(delegateTo(() => handler), {
    host: config.agent.host as string,
    port: config.agent.port as number,
    logger: log,
  });
  const addr = `${config.agent.host}:${server.port}`;
  try {
    const storage = await createStorage(config.storage as StorageConfig);
    const stateManager = await createStateManager(config.statemgr as StateManagerConfig);
    const { reuseExecutors, ...schedulerConfig } = config.scheduler;
    const executor = options.executorCommand ?? executorCommand();
    const scheduler = await createScheduler({
      ...schedulerConfig,
      executorCommand: executor,
      // The worker sits beside whichever executor is used (compiled or TypeScript).
      workerCommand: reuseExecutors ? [...executor.slice(0, -1), executor[executor.length - 1].replace(/main\.(js|ts)$/, 'worker.$1')] : [],
      env: { ...stringEnv(process.env), ACCIO_UPLOADER: JSON.stringify(config.uploader) },
    } as unknown as SchedulerConfig);
    const operators = builtinRegistry();
    const e = config.engine;
    const engine = new Engine({ storage, stateManager, scheduler, operators }, {
      agentAddr: (config.agent.advertise as string | undefined) ?? addr,
      heartbeatIntervalMs: e.heartbeatIntervalMs as number | undefined,
      heartbeatTimeoutMs: e.heartbeatTimeoutMs as number | undefined,
      lostCheckIntervalMs: e.lostCheckIntervalMs as number | undefined,
      maxChildren: e.maxChildren as number | undefined,
      retry: {
        ...(e.retryMaxAttempts !== undefined ? { maxAttempts: e.retryMaxAttempts as number } : {}),
        ...(e.retryBackoffMs !== undefined ? { backoffMs: e.retryBackoffMs as number } : {}),
        ...(e.retryFailed ? { retryOn: ['LOST', 'FAILED'] as ('LOST' | 'FAILED')[] } : {}),
      },
      log,
    });
    const plugins = Object.fromEntries(['storage', 'statemgr', 'uploader', 'scheduler'].map((k) => [k, config[k].type as string]));
    handler = new AgentHandler(engine, { version: ACCIO_VERSION, plugins });
    await engine.start();
    return {
      addr,
      config,
      engine,
      stop: async () => {
        await server.close();
        await engine.stop();
        await scheduler.close();
        await stateManager.close();
        await storage.close();
      },
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}

/** An API that forwards to the handler once it exists, and answers "starting" before. */
function delegateTo(current: () => AgentApi | undefined): AgentApi {
  return new Proxy({} as AgentApi, {
    get(_target, method: string) {
      return (...args: unknown[]) => {
        const h = current();
        if (!h) throw new UnavailableError('the agent is starting; try again in a moment');
        return (h as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...args);
      };
    },
  });
}

/** The agent's environment minus unset entries: executors and command operators need PATH and HOME. */
function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
