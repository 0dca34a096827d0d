/**
 * `accio kill <run...>`: stops runs; a sweep parent stops its children.
 */
import { Args } from '@oclif/core';
import { ClientApi } from '../../api/service';
import { RunStatus, isTerminalRun } from '../../core/run';
import { ClientCommand } from '../shared/accio-command';
import { forEachTarget } from '../shared/files';
import { statusText } from '../shared/format';
import { Io } from '../shared/io';
import { resolveRunId } from '../shared/runs';

export interface KilledRun {
  id: string;
  /** `already finished`: nothing was left to kill, which is a success. */
  outcome: 'killed' | 'already finished';
  status: RunStatus;
}

export interface KillResult {
  runs: KilledRun[];
}

type KillClient = Pick<ClientApi, 'getRun' | 'listRuns' | 'killRun'>;

export async function killRun(client: KillClient, ref: string, io: Io): Promise<KilledRun> {
  const id = await resolveRunId(client, ref);
  const before = await client.getRun(id);
  if (isTerminalRun(before.state.status)) {
    io.out(`${id} already finished (${statusText(before.state.status, io.color)})`);
    return { id, outcome: 'already finished', status: before.state.status };
  }
  const after = await client.killRun(id);
  io.out(`${id} ${statusText(after.state.status, io.color)}`);
  return { id, outcome: 'killed', status: after.state.status };
}

export async function killRuns(client: KillClient, refs: readonly string[], io: Io): Promise<KillResult> {
  return { runs: await forEachTarget(refs, (r) => killRun(client, r, io), io, 'runs') };
}

export default class Kill extends ClientCommand<KillResult> {
  static override summary = 'Kill runs; a sweep parent kills its children.';
  static override description =
    'Running nodes are killed and waiting ones cancelled. Killing a run that already finished changes ' +
    'nothing and is not an error. An unknown run exits 3.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> 0123456789ab',
    '<%= config.bin %> <%= command.id %> 0123456789ab fedcba987654 --json',
  ];
  static override strict = false;
  static override args = {
    run: Args.string({ description: 'Run ids (or unique prefixes).', required: true }),
  };

  async run(): Promise<KillResult> {
    const { argv, flags } = await this.parse(Kill);
    const client = await this.connect(flags.addr);
    return killRuns(client, argv as string[], this.io);
  }
}
