/**
 * `accio ps`: lists runs, the active ones by default.
 */
import { Flags } from '@oclif/core';
import { ClientApi, ListRunsRequest } from '../../api/service';
import { RUN_STATUSES, Run, RunStatus } from '../../core/run';
import { ClientCommand } from '../shared/accio-command';
import { UsageError } from '../shared/errors';
import { elapsed, percent, relativeTime, shortId, statusText } from '../shared/format';
import { Io } from '../shared/io';
import { resolveRunId } from '../shared/runs';
import { renderTable } from '../shared/table';

export interface PsResult {
  runs: Run[];
  /** Runs matching the filters, of which `runs` are the first. */
  total: number;
}

export interface PsOptions {
  /** Every status; otherwise only active runs (SCHEDULED, RUNNING) unless `status` says. */
  all?: boolean;
  status?: RunStatus[];
  owner?: string;
  name?: string;
  tags?: string[];
  workflow?: string;
  /** Children of this sweep parent. */
  parent?: string;
  query?: string;
  /** @default 25 */
  limit?: number;
  /** Show full ids and untruncated cells. */
  noTrunc?: boolean;
}

export const ACTIVE_STATUSES: RunStatus[] = ['SCHEDULED', 'RUNNING'];

/**
 * The listRuns request for the options: active runs only, unless `all`, explicit statuses, or
 * `parent` (the children of a sweep are wanted whatever their state).
 */
export function psRequest(options: PsOptions): ListRunsRequest {
  const status = options.status?.length ? options.status : options.all || options.parent ? undefined : ACTIVE_STATUSES;
  const req: ListRunsRequest = { limit: options.limit ?? 25 };
  if (status) req.status = status;
  if (options.owner) req.owner = options.owner;
  if (options.name) req.name = options.name;
  if (options.tags?.length) req.tags = options.tags;
  if (options.workflow) req.workflowId = options.workflow;
  if (options.parent) req.parent = options.parent;
  if (options.query) req.q = options.query;
  return req;
}

/** `(3) sweep name` for a sweep parent: the count of its children first. */
export function runLabel(run: Run): string {
  const name = run.name ?? '';
  return run.children.length > 0 ? `(${run.children.length}) ${name}`.trimEnd() : name;
}

export function runsTable(runs: readonly Run[], nowMs: number, options: { noTrunc?: boolean; color: boolean }): string[] {
  const idLength = options.noTrunc ? undefined : 12;
  return renderTable<Run>(
    [
      { header: 'id', cell: (r) => shortId(r.id, idLength) },
      { header: 'name', cell: runLabel },
      { header: 'workflow', cell: (r) => `${r.workflow.id}:${shortId(r.workflow.version, options.noTrunc ? undefined : 8)}` },
      { header: 'status', cell: (r) => r.state.status, style: (t, r) => statusText(r.state.status, options.color) },
      { header: 'progress', cell: (r) => percent(r.state.progress), align: 'right' },
      { header: 'created', cell: (r) => relativeTime(r.createdAtMs, nowMs) },
      { header: 'duration', cell: (r) => elapsed(r.state.startedAtMs, r.state.completedAtMs, nowMs), align: 'right' },
    ],
    runs,
    { truncate: !options.noTrunc },
  );
}

export async function listRunsTable(client: Pick<ClientApi, 'listRuns'>, options: PsOptions, io: Io, nowMs = Date.now()): Promise<PsResult> {
  const parent = options.parent === undefined ? undefined : await resolveRunId(client, options.parent);
  const page = await client.listRuns(psRequest({ ...options, parent }));
  if (page.results.length === 0) {
    io.err(options.all || options.status?.length || parent ? 'No runs.' : 'No active runs (--all shows every run).');
  } else {
    for (const line of runsTable(page.results, nowMs, { noTrunc: options.noTrunc, color: io.color })) io.out(line);
  }
  const more = page.total - page.results.length;
  if (more > 0) io.out(`${more} more...`);
  return { runs: page.results, total: page.total };
}

export default class Ps extends ClientCommand<PsResult> {
  static override summary = 'List runs (active ones unless --all or --status).';
  static override description =
    'Newest first. Sweep parents show their number of children before the name; --parent lists the ' +
    'children of one sweep. Ids are cut to 12 characters (any unique prefix works as a run id); --no-trunc ' +
    'shows them in full.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --all -n 100',
    '<%= config.bin %> <%= command.id %> --status FAILED --status KILLED --owner alice',
    '<%= config.bin %> <%= command.id %> --parent 0123456789ab --all',
    '<%= config.bin %> <%= command.id %> -q epsilon --json',
  ];
  static override flags = {
    all: Flags.boolean({ char: 'a', summary: 'Runs of every status, not only active ones.', default: false }),
    status: Flags.string({
      summary: `Only runs with this status (repeatable): ${RUN_STATUSES.join(', ')}.`,
      multiple: true,
      parse: async (s) => {
        const up = s.trim().toUpperCase();
        if (!(RUN_STATUSES as readonly string[]).includes(up)) throw new UsageError(`unknown status "${s}": expected one of ${RUN_STATUSES.join(', ')}`);
        return up;
      },
    }),
    owner: Flags.string({ summary: 'Only runs of this owner.' }),
    name: Flags.string({ summary: 'Only runs with this name.' }),
    tags: Flags.string({ summary: 'Only runs with all these tags, comma separated.', multiple: true, delimiter: ',' }),
    workflow: Flags.string({ summary: 'Only runs of this workflow id.' }),
    parent: Flags.string({ summary: 'The children of this sweep parent (of every status unless --status).' }),
    query: Flags.string({ char: 'q', summary: 'Free-text search.' }),
    limit: Flags.integer({ char: 'n', summary: 'How many runs to show.', default: 25, min: 1, max: 1000 }),
    trunc: Flags.boolean({ summary: 'Cut ids and long cells (--no-trunc shows them in full).', default: true, allowNo: true }),
  };

  async run(): Promise<PsResult> {
    const { flags } = await this.parse(Ps);
    const client = await this.connect(flags.addr);
    return listRunsTable(
      client,
      {
        all: flags.all,
        status: flags.status as RunStatus[] | undefined,
        owner: flags.owner,
        name: flags.name,
        tags: flags.tags?.map((t) => t.trim()).filter(Boolean),
        workflow: flags.workflow,
        parent: flags.parent,
        query: flags.query,
        limit: flags.limit,
        noTrunc: !flags.trunc,
      },
      this.io,
    );
  }
}
