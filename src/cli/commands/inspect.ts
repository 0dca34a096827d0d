/**
 * `accio inspect <run> [node]`: everything known about a run, or about one of its nodes.
 */
import { Args } from '@oclif/core';
import { ClientApi } from '../../api/service';
import { NotFoundError } from '../../core/errors';
import { NodeState, Run, isTerminalRun } from '../../core/run';
import { ClientCommand } from '../shared/accio-command';
import { colour, elapsed, percent, relativeTime, statusText, valuePreview } from '../shared/format';
import { Io } from '../shared/io';
import { listChildren, resolveRunId } from '../shared/runs';
import { renderFields, renderTable } from '../shared/table';

export interface InspectResult {
  /** The run, with its nodes (status, cache hit, results) as the agent returned it. */
  run: Run;
  /** The children of a sweep parent. */
  children?: Run[];
  /** The node asked for. */
  node?: NodeState;
}

export interface InspectOptions {
  /** A run id or unique prefix. */
  run: string;
  node?: string;
}

type InspectClient = Pick<ClientApi, 'getRun' | 'listRuns'>;

function time(ms: number | undefined, nowMs: number): string | undefined {
  if (ms === undefined) return undefined;
  return `${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')} (${relativeTime(ms, nowMs)})`;
}

/** The detail view of a run: its fields, params, then its nodes or, for a sweep parent, its children. */
export function runDetail(run: Run, children: readonly Run[] | undefined, nowMs: number, color: boolean): string[] {
  const s = run.state;
  const lines = renderFields([
    ['Id', run.id],
    ['Workflow', `${run.workflow.id}:${run.workflow.version}`],
    ['Parent', run.parent],
    ['Owner', run.owner],
    ['Name', run.name],
    ['Tags', run.tags.length ? run.tags.join(', ') : undefined],
    ['Notes', run.notes],
    ['Seed', String(run.seed)],
    ['Status', statusText(s.status, color)],
    ['Progress', isTerminalRun(s.status) ? undefined : percent(s.progress)],
    ['Created', time(run.createdAtMs, nowMs)],
    ['Started', time(s.startedAtMs, nowMs)],
    ['Completed', time(s.completedAtMs, nowMs)],
    ['Duration', s.startedAtMs === undefined ? undefined : elapsed(s.startedAtMs, s.completedAtMs, nowMs)],
  ]);
  const params = Object.keys(run.params).sort();
  if (params.length > 0) {
    lines.push('', colour('Params:', 'bold', color));
    lines.push(...renderFields(params.map((p) => [p, valuePreview(run.params[p])]), '  '));
  }
  if (children !== undefined) {
    lines.push('', colour(`Child runs (${children.length}):`, 'bold', color));
    lines.push(
      ...renderTable<Run>(
        [
          { header: 'id', cell: (r) => r.id },
          { header: 'name', cell: (r) => r.name ?? '' },
          { header: 'status', cell: (r) => r.state.status, style: (_t, r) => statusText(r.state.status, color) },
          { header: 'progress', cell: (r) => percent(r.state.progress), align: 'right' },
          { header: 'seed', cell: (r) => String(r.seed), align: 'right' },
        ],
        children,
        { indent: '  ' },
      ),
    );
  } else if (s.nodes.length > 0) {
    lines.push('', colour('Nodes:', 'bold', color));
    lines.push(
      ...renderTable<NodeState>(
        [
          { header: 'name', cell: (n) => n.name },
          { header: 'status', cell: (n) => n.status, style: (_t, n) => statusText(n.status, color) },
          { header: 'attempts', cell: (n) => String(n.attempts), align: 'right' },
          { header: 'duration', cell: (n) => (n.cacheHit ? 'cache hit' : elapsed(n.startedAtMs, n.completedAtMs, nowMs)), align: 'right' },
          { header: 'error', cell: (n) => (n.error ? `${n.error.classifier}: ${n.error.message}` : ''), maxWidth: 60 },
        ],
        s.nodes,
        { indent: '  ' },
      ),
    );
  }
  return lines;
}

/** The detail view of one node of a run. */
export function nodeDetail(run: Run, node: NodeState, nowMs: number, color: boolean): string[] {
  const lines = renderFields([
    ['Run', run.id],
    ['Node', node.name],
    ['Status', statusText(node.status, color)],
    ['Attempts', String(node.attempts)],
    ['Started', time(node.startedAtMs, nowMs)],
    ['Completed', time(node.completedAtMs, nowMs)],
    ['Duration', node.cacheHit ? 'cache hit' : node.startedAtMs === undefined ? undefined : elapsed(node.startedAtMs, node.completedAtMs, nowMs)],
    ['Cache key', node.cacheKey],
    ['Cache hit', node.cacheHit ? 'yes' : 'no'],
    ['Task', node.taskId],
    ['Retry at', time(node.retryAtMs, nowMs)],
  ]);
  if (node.error) {
    lines.push('', colour('Error:', 'bold', color), `  ${node.error.classifier}: ${node.error.message}`);
    if (node.error.stack) lines.push(...node.error.stack.split('\n').map((l) => `    ${l}`));
  }
  const outputs = Object.entries(node.result?.outputs ?? {});
  if (outputs.length > 0) {
    lines.push('', colour('Outputs:', 'bold', color), ...renderFields(outputs.map(([k, v]) => [k, valuePreview(v)]), '  '));
  }
  const metrics = Object.entries(node.result?.metrics ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (metrics.length > 0) {
    lines.push('', colour('Metrics:', 'bold', color), ...renderFields(metrics.map(([k, v]) => [k, String(v)]), '  '));
  }
  return lines;
}

export async function inspectRun(client: InspectClient, options: InspectOptions, io: Io, nowMs = Date.now()): Promise<InspectResult> {
  const run = await client.getRun(await resolveRunId(client, options.run));
  if (options.node !== undefined) {
    const node = run.state.nodes.find((n) => n.name === options.node);
    if (!node) {
      const names = run.state.nodes.map((n) => n.name);
      throw new NotFoundError('node', `${options.node} in run ${run.id}`, {
        actions: [names.length ? `Nodes of this run: ${names.join(', ')}` : 'This run has no nodes (a sweep parent): inspect one of its children'],
      });
    }
    for (const line of nodeDetail(run, node, nowMs, io.color)) io.out(line);
    return { run, node };
  }
  const children = run.children.length > 0 ? await listChildren(client, run) : undefined;
  for (const line of runDetail(run, children, nowMs, io.color)) io.out(line);
  return children ? { run, children } : { run };
}

export default class Inspect extends ClientCommand<InspectResult> {
  static override summary = 'Show a run in detail, or one of its nodes.';
  static override description =
    'A run: its workflow, owner, name, tags, notes, seed, status, times and params, then its nodes (status, ' +
    'attempts, duration or "cache hit", error) or, for a sweep, its child runs. A node: status, times, ' +
    'cache key and hit, error with stack, outputs and metrics. The run id may be a unique prefix.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> 0123456789ab',
    '<%= config.bin %> <%= command.id %> 0123456789ab Train',
    '<%= config.bin %> <%= command.id %> 0123456789ab --json',
  ];
  static override args = {
    run: Args.string({ description: 'Run id (or a unique prefix).', required: true }),
    node: Args.string({ description: 'Node name.', required: false }),
  };

  async run(): Promise<InspectResult> {
    const { args, flags } = await this.parse(Inspect);
    const client = await this.connect(flags.addr);
    return inspectRun(client, { run: args.run, node: args.node }, this.io);
  }
}
