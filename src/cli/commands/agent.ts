/**
 * `accio agent`: runs an agent in the foreground until Ctrl-C or SIGTERM.
 */
import { existsSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { AccioCommand } from '../shared/accio-command';
import { UsageError } from '../shared/errors';
import { Io } from '../shared/io';

export interface AgentResult {
  /** `host:port` the agent listened on. */
  addr: string;
}

/** What `accio agent` passes to the agent; absent fields come from the configuration file or its defaults. */
export interface AgentStartOptions {
  configFile?: string;
  port?: number;
  host?: string;
  dataDir?: string;
}

export type StartAgent = (options: AgentStartOptions) => Promise<{ addr: string; stop(): Promise<void> }>;

/** Starts an agent, prints where it listens, and stops it cleanly once `signal` is aborted. */
export async function runAgent(start: StartAgent, options: AgentStartOptions, io: Io, signal: AbortSignal): Promise<AgentResult> {
  const agent = await start(options);
  io.out(`Agent listening on ${agent.addr}`);
  io.err('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  io.err('Stopping the agent...');
  await agent.stop();
  io.err('Agent stopped.');
  return { addr: agent.addr };
}

export default class Agent extends AccioCommand<AgentResult> {
  static override summary = 'Start an agent in the foreground.';
  static override description =
    'Serves the API that the CLI and executors call, and runs the engine, with the plugins of the ' +
    'configuration file (embedded SQLite storage and local executors by default). Flags override the file. ' +
    'Stops cleanly on Ctrl-C (exit 130) or SIGTERM (exit 0).';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 9090 --data-dir /tmp/accio',
    '<%= config.bin %> <%= command.id %> --config accio.yaml',
  ];
  static override flags = {
    config: Flags.string({ summary: 'YAML configuration file.' }),
    port: Flags.integer({ summary: 'Port to listen on (default 9999; 0 picks a free one).', min: 0, max: 65535 }),
    host: Flags.string({ summary: 'Address to listen on (default 127.0.0.1).' }),
    'data-dir': Flags.string({ summary: 'Where the embedded storage and artifacts live (default ~/.accio).' }),
  };
  // Stopping waits for the server and plugins to close; a second Ctrl-C still exits at once.
  static override interruptGraceMs = 30_000;

  async run(): Promise<AgentResult> {
    const { flags } = await this.parse(Agent);
    if (flags.config !== undefined && !existsSync(flags.config)) {
      throw new UsageError(`cannot read ${flags.config}: no such file`);
    }
    // Loaded here only: the other commands must not pay for the engine and its plugins.
    const { startAgent } = await import('../../agent');
    // Only flags given are passed: defaults belong to the configuration, which flags override.
    const options: AgentStartOptions = {
      ...(flags.config !== undefined ? { configFile: flags.config } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.host !== undefined ? { host: flags.host } : {}),
      ...(flags['data-dir'] !== undefined ? { dataDir: flags['data-dir'] } : {}),
    };
    return runAgent(startAgent, options, this.io, this.signal);
  }
}
