/**
 * `accio submit <run file | workflow[:version]> [key=value...]`: creates a run or a sweep, and
 * optionally waits for it to finish.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ClientApi } from '../../api/service';
import { InvalidDefinitionError, formatIssue } from '../../core/errors';
import { RunStatus } from '../../core/run';
import { RunSpec } from '../../core/run-spec';
import { ClientCommand, currentUser } from '../shared/accio-command';
import { CommandFailedError, UsageError } from '../shared/errors';
import { elapsed, statusText } from '../shared/format';
import { readInputFile } from '../shared/files';
import { Io } from '../shared/io';
import { PollOptions, systemClock, waitForRun } from '../shared/runs';

export interface SubmitResult {
  /** Parent first for a sweep, then its children; one id for a single run. */
  ids: string[];
  /** With --wait: how the run (the parent, for a sweep) ended. */
  status?: RunStatus;
}

export interface SubmitOptions {
  /** A run definition file, or a workflow reference `id[:version]`. */
  target: string;
  /** `key=value` params; they replace the file's values for those params. */
  overrides: readonly string[];
  name?: string;
  /** Added to the definition's tags. */
  tags?: readonly string[];
  notes?: string;
  seed?: number;
  repeat?: number;
  /** Wait until the run is finished; a run that does not succeed fails the command (exit 4). */
  wait?: boolean;
  /** Who submits: the owner unless the definition names one. */
  user: string;
}

export interface SubmitDeps {
  read?: (file: string) => Promise<string>;
  isFile?: (file: string) => boolean;
  /** How to poll with --wait. */
  poll?: PollOptions;
}

type SubmitClient = Pick<ClientApi, 'parseRun' | 'createRun' | 'getRun'>;

/** `key=value` arguments as a map; a later key wins. */
export function parseOverrides(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`expected a param as key=value, got "${arg}"`, { actions: ['Example: accio submit my_workflow epsilon=0.1 window=10s'] });
    }
    out[arg.slice(0, eq).trim()] = arg.slice(eq + 1);
  }
  return out;
}

const DEFINITION_FILE = /\.(ya?ml|json)$/i;

function defaultIsFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The run definition to parse: the file's content, or, when the argument names no file, a
 * definition that only names the workflow. An argument that looks like a file name (a path, a
 * YAML or JSON extension) but is not one is a usage error rather than an unknown workflow.
 */
export async function runDefinitionFor(target: string, deps: SubmitDeps = {}): Promise<{ content: string; filename?: string }> {
  const isFile = deps.isFile ?? defaultIsFile;
  if (isFile(target)) return { content: await (deps.read ?? readInputFile)(target), filename: path.basename(target) };
  if (DEFINITION_FILE.test(target) || target.includes('/') || target.includes(path.sep)) {
    throw new UsageError(`cannot read ${target}: no such file`);
  }
  // JSON is YAML too, and quoting keeps `name:version` one string.
  return { content: JSON.stringify({ workflow: target }) };
}

/** The parsed spec with the command-line flags applied over it. */
export function applyFlags(spec: RunSpec, options: SubmitOptions): RunSpec {
  const tags = [...spec.tags];
  for (const t of options.tags ?? []) if (t && !tags.includes(t)) tags.push(t);
  return {
    ...spec,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.notes !== undefined ? { notes: options.notes } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.repeat !== undefined ? { repeat: options.repeat } : {}),
    tags,
  };
}

export async function submitRun(client: SubmitClient, options: SubmitOptions, io: Io, deps: SubmitDeps = {}): Promise<SubmitResult> {
  const overrides = parseOverrides(options.overrides);
  const { content, filename } = await runDefinitionFor(options.target, deps);
  const parsed = await client.parseRun(content, overrides, filename);
  if (parsed.errors.length > 0 || parsed.spec === undefined) {
    throw new InvalidDefinitionError('run definition', parsed.errors, parsed.warnings);
  }
  const spec = applyFlags(parsed.spec, options);
  const created = await client.createRun({ spec, user: options.user });
  for (const w of [...parsed.warnings, ...created.warnings]) io.warn(formatIssue(w));
  for (const id of created.ids) io.out(id);
  if (created.ids.length > 1) io.err(`sweep of ${created.ids.length - 1} runs (parent ${created.ids[0]} first)`);
  if (!options.wait) return { ids: created.ids };

  const id = created.ids[0];
  const run = await waitForRun(client, id, io, deps.poll ?? { clock: systemClock });
  const status = run.state.status;
  io.out(`${id} ${statusText(status, io.color)} in ${elapsed(run.state.startedAtMs ?? run.createdAtMs, run.state.completedAtMs, Date.now())}`);
  if (status !== 'SUCCESS') {
    throw new CommandFailedError(`run ${id} ended ${status}`, 4, {
      data: { ids: created.ids, status },
      actions: [`accio inspect ${id}`],
    });
  }
  return { ids: created.ids, status };
}

export default class Submit extends ClientCommand<SubmitResult> {
  static override summary = 'Create a run (or a sweep) from a run definition or a workflow.';
  static override description =
    'The first argument is a run definition file, or a workflow `id[:version]` (the active version when ' +
    'none is given). Params given as key=value replace the definition\'s values; flags replace its name, ' +
    'notes, seed and repeat, and add tags. Prints the created run ids, parent first for a sweep. With ' +
    '--wait, shows progress on stderr until the run finishes and exits 4 if it did not succeed.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> sweep.yaml',
    '<%= config.bin %> <%= command.id %> my_workflow epsilon=0.1 window=10s --name baseline --tags paper,v2',
    '<%= config.bin %> <%= command.id %> my_workflow:3f2a9c1e --repeat 5 --seed 42 --wait',
    '<%= config.bin %> <%= command.id %> sweep.yaml --json',
  ];
  static override strict = false;
  static override args = {
    target: Args.string({ description: 'Run definition file, or workflow id[:version].', required: true }),
  };
  static override flags = {
    name: Flags.string({ summary: 'Run name.' }),
    tags: Flags.string({ summary: 'Tags to add, comma separated.', multiple: true, delimiter: ',' }),
    notes: Flags.string({ summary: 'Free-text notes.' }),
    seed: Flags.integer({ summary: 'Seed of the run (of the parent, for a sweep).', min: 0 }),
    repeat: Flags.integer({ summary: 'Runs per param combination.', min: 1 }),
    wait: Flags.boolean({ summary: 'Wait until the run is finished; exit 4 if it did not succeed.', default: false }),
  };

  async run(): Promise<SubmitResult> {
    const { args, argv, flags } = await this.parse(Submit);
    const client = await this.connect(flags.addr);
    const overrides = (argv as string[]).slice(1);
    return submitRun(
      client,
      {
        target: args.target,
        overrides,
        name: flags.name,
        tags: flags.tags?.map((t) => t.trim()).filter(Boolean),
        notes: flags.notes,
        seed: flags.seed,
        repeat: flags.repeat,
        wait: flags.wait,
        user: currentUser(),
      },
      this.io,
      { poll: { clock: systemClock, signal: this.signal } },
    );
  }
}
