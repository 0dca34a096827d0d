/**
 * `accio workflows`: lists stored workflows.
 */
import { Flags } from '@oclif/core';
import { ClientApi, ListWorkflowsRequest } from '../../api/service';
import { Workflow } from '../../core/workflow';
import { ClientCommand } from '../shared/accio-command';
import { relativeTime, shortId } from '../shared/format';
import { Io } from '../shared/io';
import { renderTable } from '../shared/table';

export interface WorkflowsResult {
  workflows: Workflow[];
  /** Workflows matching the filters, of which `workflows` are the first. */
  total: number;
}

export interface WorkflowsOptions {
  owner?: string;
  name?: string;
  query?: string;
  /** @default 25 */
  limit?: number;
  noTrunc?: boolean;
}

export async function listWorkflowsTable(client: Pick<ClientApi, 'listWorkflows'>, options: WorkflowsOptions, io: Io, nowMs = Date.now()): Promise<WorkflowsResult> {
  const request: ListWorkflowsRequest = { limit: options.limit ?? 25 };
  if (options.owner) request.owner = options.owner;
  if (options.name) request.name = options.name;
  if (options.query) request.q = options.query;
  const page = await client.listWorkflows(request);
  if (page.results.length === 0) {
    io.err('No workflows.');
  } else {
    const lines = renderTable<Workflow>(
      [
        { header: 'id', cell: (w) => w.id },
        { header: 'version', cell: (w) => shortId(w.version, options.noTrunc ? undefined : 12) },
        { header: 'name', cell: (w) => w.name ?? '' },
        { header: 'owner', cell: (w) => w.owner ?? '' },
        { header: 'created', cell: (w) => relativeTime(w.createdAtMs, nowMs) },
      ],
      page.results,
      { truncate: !options.noTrunc },
    );
    for (const line of lines) io.out(line);
  }
  const more = page.total - page.results.length;
  if (more > 0) io.out(`${more} more...`);
  return { workflows: page.results, total: page.total };
}

export default class Workflows extends ClientCommand<WorkflowsResult> {
  static override summary = 'List workflows.';
  static override description = 'Newest first. Versions are cut to 12 characters; --no-trunc shows them in full.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --owner alice -n 50',
    '<%= config.bin %> <%= command.id %> -q geo --json',
  ];
  static override flags = {
    owner: Flags.string({ summary: 'Only workflows of this owner.' }),
    name: Flags.string({ summary: 'Only workflows with this name.' }),
    query: Flags.string({ char: 'q', summary: 'Free-text search.' }),
    limit: Flags.integer({ char: 'n', summary: 'How many workflows to show.', default: 25, min: 1, max: 1000 }),
    trunc: Flags.boolean({ summary: 'Cut versions and long cells (--no-trunc shows them in full).', default: true, allowNo: true }),
  };

  async run(): Promise<WorkflowsResult> {
    const { flags } = await this.parse(Workflows);
    const client = await this.connect(flags.addr);
    return listWorkflowsTable(
      client,
      { owner: flags.owner, name: flags.name, query: flags.query, limit: flags.limit, noTrunc: !flags.trunc },
      this.io,
    );
  }
}
