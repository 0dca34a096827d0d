/**
 * `accio rm <run...>`: deletes runs (a sweep parent with its children), killing active ones first.
 */
import { Args } from '@oclif/core';
import { ClientApi } from '../../api/service';
import { isTerminalRun } from '../../core/run';
import { ClientCommand } from '../shared/accio-command';
import { forEachTarget } from '../shared/files';
import { Io } from '../shared/io';
import { resolveRunId } from '../shared/runs';

export interface RemovedRun {
  id: string;
  /** Whether the run was still active and had to be killed first. */
  killed: boolean;
}

export interface RmResult {
  runs: RemovedRun[];
}

type RmClient = Pick<ClientApi, 'getRun' | 'listRuns' | 'killRun' | 'deleteRun'>;

export async function removeRun(client: RmClient, ref: string, io: Io): Promise<RemovedRun> {
  const id = await resolveRunId(client, ref);
  const run = await client.getRun(id);
  // The agent kills before deleting too; doing it here first reports it, and an unknown id fails before anything changes.
  const active = !isTerminalRun(run.state.status);
  if (active) await client.killRun(id);
  await client.deleteRun(id);
  io.out(`${id} deleted${active ? ' (killed first)' : ''}`);
  return { id, killed: active };
}

export async function removeRuns(client: RmClient, refs: readonly string[], io: Io): Promise<RmResult> {
  return { runs: await forEachTarget(refs, (r) => removeRun(client, r, io), io, 'runs') };
}

export default class Rm extends ClientCommand<RmResult> {
  static override summary = 'Delete runs; a sweep parent is deleted with its children.';
  static override description = 'An active run is killed first. An unknown run exits 3.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> 0123456789ab',
    '<%= config.bin %> <%= command.id %> 0123456789ab fedcba987654 --json',
  ];
  static override strict = false;
  static override args = {
    run: Args.string({ description: 'Run ids (or unique prefixes).', required: true }),
  };

  async run(): Promise<RmResult> {
    const { argv, flags } = await this.parse(Rm);
    const client = await this.connect(flags.addr);
    return removeRuns(client, argv as string[], this.io);
  }
}
