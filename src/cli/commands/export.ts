/**
 * `accio export <run...>`: writes the outputs and metrics of runs as CSV files.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ClientApi } from '../../api/service';
import { Run } from '../../core/run';
import { ClientCommand } from '../shared/accio-command';
import { UsageError } from '../shared/errors';
import { ExportFile, buildExport } from '../shared/export';
import { Io } from '../shared/io';
import { listChildren, resolveRunId } from '../shared/runs';

export interface ExportResult {
  /** The output directory. */
  dir: string;
  /** Runs exported (sweep parents replaced by their children). */
  runs: number;
  /** Files written, relative to `dir`. */
  files: string[];
}

export interface ExportOptions {
  /** Output directory; created, and must be empty if it exists. */
  out: string;
  aggregate?: boolean;
  split?: boolean;
}

type ExportClient = Pick<ClientApi, 'getRun' | 'listRuns'>;

/** How many runs are fetched at once. */
const CONCURRENCY = 8;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The runs to export, with their results: each sweep parent replaced by all its children (every
 * page), each run once. Runs are read one by one because listings may leave node results out.
 */
export async function collectRuns(client: ExportClient, refs: readonly string[]): Promise<Run[]> {
  const ids: string[] = [];
  const fetched = new Map<string, Run>();
  for (const ref of refs) {
    const run = await client.getRun(await resolveRunId(client, ref));
    if (run.children.length === 0) {
      ids.push(run.id);
      fetched.set(run.id, run);
    } else {
      ids.push(...(await listChildren(client, run)).map((c) => c.id));
    }
  }
  const unique = [...new Set(ids)];
  return mapLimit(unique, CONCURRENCY, async (id) => fetched.get(id) ?? client.getRun(id));
}

async function ensureEmptyDir(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UsageError(`${dir} exists and is not a directory`);
    throw err;
  }
  if (entries.length > 0) {
    throw new UsageError(`${dir} already exists and is not empty`, { actions: ['Choose another directory with --out, or remove this one'] });
  }
}

export async function writeExport(dir: string, files: readonly ExportFile[]): Promise<void> {
  await ensureEmptyDir(dir);
  for (const f of files) {
    const target = path.join(dir, ...f.path.split('/'));
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.writeFile(target, f.content, 'utf8');
  }
}

export async function exportRuns(client: ExportClient, refs: readonly string[], options: ExportOptions, io: Io): Promise<ExportResult> {
  const runs = await collectRuns(client, refs);
  const files = buildExport(runs, { aggregate: options.aggregate, split: options.split });
  await writeExport(options.out, files);
  io.out(`Exported ${runs.length} run${runs.length === 1 ? '' : 's'} to ${options.out}`);
  for (const f of files) io.out(`  ${f.path}`);
  return { dir: options.out, runs: runs.length, files: files.map((f) => f.path) };
}

/** `accio-export-<8 hex>`: a fresh name, so that two exports never mix. */
export function defaultExportDir(): string {
  return `accio-export-${randomBytes(4).toString('hex')}`;
}

export default class Export extends ClientCommand<ExportResult> {
  static override summary = 'Export the outputs and metrics of runs as CSV.';
  static override description =
    'Sweep parents are replaced by their children. Writes artifacts.csv (one row per run: run_id, run_name, ' +
    'each param, then a Node/port column per output; lists and maps as JSON, datasets as URIs) and metrics.csv ' +
    '(one row per run, node and metric). --aggregate writes one row per distinct param combination, with ' +
    'numbers averaged over the repeats and a count column; --split writes one directory per combination.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> 0123456789ab',
    '<%= config.bin %> <%= command.id %> 0123456789ab --aggregate --out results',
    '<%= config.bin %> <%= command.id %> 0123456789ab fedcba987654 --split --json',
  ];
  static override strict = false;
  static override args = {
    run: Args.string({ description: 'Run ids (or unique prefixes); sweep parents expand to their children.', required: true }),
  };
  static override flags = {
    out: Flags.string({ char: 'o', summary: 'Output directory (default accio-export-<8 hex>); must not hold files yet.' }),
    aggregate: Flags.boolean({ summary: 'One row per distinct param combination, numbers averaged.', default: false }),
    split: Flags.boolean({ summary: 'One sub-directory per distinct param combination.', default: false }),
  };

  async run(): Promise<ExportResult> {
    const { argv, flags } = await this.parse(Export);
    const client = await this.connect(flags.addr);
    return exportRuns(client, argv as string[], { out: flags.out ?? defaultExportDir(), aggregate: flags.aggregate, split: flags.split }, this.io);
  }
}
