/**
 * `accio push <file...>`: validates workflow definitions and stores them as new versions.
 */
import path from 'node:path';
import { Args } from '@oclif/core';
import { ClientApi } from '../../api/service';
import { InvalidDefinitionError, ValidationIssue } from '../../core/errors';
import { Workflow } from '../../core/workflow';
import { ClientCommand, currentUser } from '../shared/accio-command';
import { issueLines } from '../shared/errors';
import { forEachTarget, readInputFile } from '../shared/files';
import { Io } from '../shared/io';

export interface PushedWorkflow {
  file: string;
  id: string;
  version: string;
  /** `unchanged` when this exact definition was already the active version. */
  outcome: 'created' | 'unchanged';
  warnings: ValidationIssue[];
}

export interface PushResult {
  workflows: PushedWorkflow[];
}

export interface PushOptions {
  /** Recorded as the owner when the definition names none. */
  user: string;
}

type PushClient = Pick<ClientApi, 'parseWorkflow' | 'pushWorkflow' | 'getWorkflow'>;

/** The active version before the push, or undefined for a new workflow. */
async function activeVersion(client: PushClient, id: string): Promise<Workflow | undefined> {
  try {
    return await client.getWorkflow(id);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

export async function pushWorkflow(client: PushClient, file: string, options: PushOptions, io: Io, read = readInputFile): Promise<PushedWorkflow> {
  const content = await read(file);
  const parsed = await client.parseWorkflow(content, path.basename(file));
  if (parsed.errors.length > 0 || parsed.spec === undefined) {
    throw new InvalidDefinitionError(`workflow ${file}`, parsed.errors, parsed.warnings);
  }
  // The agent returns the existing version for an identical definition; comparing with the active
  // version before the push is how the CLI tells "unchanged" from "created".
  const before = await activeVersion(client, parsed.spec.id);
  const { workflow, warnings } = await client.pushWorkflow(parsed.spec, options.user);
  const outcome = before?.version === workflow.version ? 'unchanged' : 'created';
  const allWarnings = dedupe([...parsed.warnings, ...warnings]);
  io.out(`${workflow.id}:${workflow.version}${outcome === 'unchanged' ? ' (unchanged)' : ''}`);
  for (const line of issueLines(allWarnings, '')) io.warn(`${file}: ${line}`);
  return { file, id: workflow.id, version: workflow.version, outcome, warnings: allWarnings };
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = JSON.stringify([i.path, i.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function pushWorkflows(client: PushClient, files: readonly string[], options: PushOptions, io: Io, read = readInputFile): Promise<PushResult> {
  return { workflows: await forEachTarget(files, (f) => pushWorkflow(client, f, options, io, read), io, 'files') };
}

export default class Push extends ClientCommand<PushResult> {
  static override summary = 'Validate workflow definitions and store them as new versions.';
  static override description =
    'Prints `id:version` for each workflow, with "(unchanged)" when the same definition was already the ' +
    'active version. An invalid definition prints every error with its path and exits 2. The owner is ' +
    'the definition\'s, else env ACCIO_USER, else your login name.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> workflow.yaml',
    '<%= config.bin %> <%= command.id %> workflows/*.yaml --json',
  ];
  static override strict = false;
  static override args = {
    file: Args.string({ description: 'Workflow definition files (YAML or JSON).', required: true }),
  };

  async run(): Promise<PushResult> {
    const { argv, flags } = await this.parse(Push);
    const client = await this.connect(flags.addr);
    return pushWorkflows(client, argv as string[], { user: currentUser() }, this.io);
  }
}
