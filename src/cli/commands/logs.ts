/**
 * `accio logs <run> <node>`: what a node's operator printed, optionally followed until the node ends.
 */
import { Args, Flags } from '@oclif/core';
import { ClientApi, ListLogsRequest } from '../../api/service';
import { NotFoundError } from '../../core/errors';
import { LogLine, LogStream, NodeStatus, isTerminalNode } from '../../core/run';
import { ClientCommand } from '../shared/accio-command';
import { Io } from '../shared/io';
import { PollOptions, resolveRunId, systemClock } from '../shared/runs';

export interface LogsResult {
  runId: string;
  node: string;
  lines: LogLine[];
}

export interface LogsOptions {
  /** Run id or unique prefix. */
  run: string;
  node: string;
  /** Only this stream; both when absent. */
  stream?: LogStream;
  /** At most this many lines (oldest first). */
  limit?: number;
  /** Keep reading until the node is finished. */
  follow?: boolean;
}

type LogsClient = Pick<ClientApi, 'getRun' | 'listRuns' | 'listLogs'>;

/**
 * Reads new lines after the last one seen. `sinceMs` is exclusive and several lines may share a
 * millisecond, some arriving after we read: so each read starts 1 ms before the last time seen and
 * skips the lines already printed at that time.
 */
class LogCursor {
  private lastAtMs?: number;
  private seenAtLast = new Set<string>();

  constructor(private readonly client: LogsClient, private readonly base: ListLogsRequest) {}

  async next(limit?: number): Promise<LogLine[]> {
    const request: ListLogsRequest = { ...this.base };
    if (this.lastAtMs !== undefined) request.sinceMs = this.lastAtMs - 1;
    if (limit !== undefined) request.limit = limit + this.seenAtLast.size;
    const fresh: LogLine[] = [];
    for (const line of await this.client.listLogs(request)) {
      const key = `${line.stream}\u0000${line.message}`;
      if (line.atMs === this.lastAtMs && this.seenAtLast.has(key)) continue;
      if (this.lastAtMs === undefined || line.atMs > this.lastAtMs) {
        this.lastAtMs = line.atMs;
        this.seenAtLast = new Set();
      }
      this.seenAtLast.add(key);
      fresh.push(line);
    }
    return limit === undefined ? fresh : fresh.slice(0, limit);
  }
}

export async function showLogs(client: LogsClient, options: LogsOptions, io: Io, poll: PollOptions = { clock: systemClock }): Promise<LogsResult> {
  const runId = await resolveRunId(client, options.run);
  const nodeStatus = async (): Promise<NodeStatus> => {
    const run = await client.getRun(runId);
    const node = run.state.nodes.find((n) => n.name === options.node);
    if (!node) {
      throw new NotFoundError('node', `${options.node} in run ${runId}`, {
        actions: [`Nodes of this run: ${run.state.nodes.map((n) => n.name).join(', ') || '(none: a sweep parent has no nodes)'}`],
      });
    }
    return node.status;
  };
  const base: ListLogsRequest = { runId, node: options.node, ...(options.stream ? { stream: options.stream } : {}) };
  const cursor = new LogCursor(client, base);
  const all: LogLine[] = [];
  const print = (lines: LogLine[]): void => {
    for (const l of lines) (l.stream === 'stderr' ? io.err : io.out)(l.message);
    all.push(...lines);
  };
  // Reads until a read brings nothing new: the agent may cap how many lines one call returns.
  const drain = async (): Promise<void> => {
    for (;;) {
      const remaining = options.limit === undefined ? undefined : options.limit - all.length;
      if (remaining !== undefined && remaining <= 0) return;
      const lines = await cursor.next(remaining);
      if (lines.length === 0) return;
      print(lines);
    }
  };

  let finished = isTerminalNode(await nodeStatus());
  await drain();
  if (options.follow) {
    // The status is read before the logs: once the node is seen finished, one more read gets its last lines.
    while (!finished) {
      await poll.clock.sleep(poll.intervalMs ?? 1000, poll.signal);
      finished = isTerminalNode(await nodeStatus());
      const lines = await cursor.next();
      print(lines);
    }
    await drain();
  }
  return { runId, node: options.node, lines: all };
}

export default class Logs extends ClientCommand<LogsResult> {
  static override summary = 'Print the logs of a node of a run.';
  static override description =
    'Lines the operator wrote to stdout go to stdout, lines it wrote to stderr go to stderr. With --follow, ' +
    'keeps reading until the node is finished, then prints the rest and exits.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> 0123456789ab Train',
    '<%= config.bin %> <%= command.id %> 0123456789ab Train --follow',
    '<%= config.bin %> <%= command.id %> 0123456789ab Train --stream stderr -n 100',
  ];
  static override args = {
    run: Args.string({ description: 'Run id (or a unique prefix).', required: true }),
    node: Args.string({ description: 'Node name.', required: true }),
  };
  static override flags = {
    stream: Flags.option({ summary: 'Only this stream.', options: ['stdout', 'stderr'] as const })(),
    limit: Flags.integer({ char: 'n', summary: 'At most this many lines, oldest first (with --follow: of the lines already there).', min: 1 }),
    follow: Flags.boolean({ char: 'f', summary: 'Keep reading until the node is finished.', default: false }),
  };

  async run(): Promise<LogsResult> {
    const { args, flags } = await this.parse(Logs);
    const client = await this.connect(flags.addr);
    return showLogs(
      client,
      { run: args.run, node: args.node, stream: flags.stream, limit: flags.limit, follow: flags.follow },
      this.io,
      { clock: systemClock, signal: this.signal },
    );
  }
}
