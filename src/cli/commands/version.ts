/**
 * `accio version`: the CLI's version and, when an agent answers, the agent's version and plugins.
 */
import { AgentInfo, ClientApi } from '../../api/service';
import { ClientCommand } from '../shared/accio-command';
import { renderFields } from '../shared/table';
import { Io } from '../shared/io';

export interface VersionResult {
  cli: { version: string; node: string };
  /** Absent when no agent answered at `addr`. */
  agent?: AgentInfo & { addr: string };
  /** Why the agent could not be asked (it is not an error for this command). */
  agentError?: string;
}

export async function showVersion(
  cliVersion: string,
  addr: string,
  connect: () => Promise<Pick<ClientApi, 'info'>>,
  io: Io,
): Promise<VersionResult> {
  const result: VersionResult = { cli: { version: cliVersion, node: process.version } };
  try {
    const client = await connect();
    result.agent = { addr, ...(await client.info()) };
  } catch (err) {
    result.agentError = err instanceof Error ? err.message : String(err);
  }
  const fields: [string, string | undefined][] = [
    ['CLI', cliVersion],
    ['Node', process.version],
    ['Agent', result.agent ? `${result.agent.version} at ${addr}` : `not reachable at ${addr}`],
  ];
  if (result.agent) {
    for (const [plugin, impl] of Object.entries(result.agent.plugins).sort(([a], [b]) => a.localeCompare(b))) {
      fields.push([`  ${plugin}`, impl]);
    }
  }
  for (const line of renderFields(fields)) io.out(line);
  return result;
}

export default class Version extends ClientCommand<VersionResult> {
  static override summary = 'Show the CLI version and, if an agent is reachable, its version and plugins.';
  static override description =
    'An agent that cannot be reached is reported, not an error: the command still exits 0.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --addr 10.0.0.5:9999 --json'];

  async run(): Promise<VersionResult> {
    const { flags } = await this.parse(Version);
    // A short timeout: this command answers at once even when nothing listens at the address.
    return showVersion(this.config.version, flags.addr, () => this.connect(flags.addr, { timeoutMs: 2000 }), this.io);
  }
}
