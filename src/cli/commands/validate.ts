/**
 * `accio validate <file...>`: checks workflow and run definitions with the agent, without
 * storing anything.
 */
import path from 'node:path';
import { Args } from '@oclif/core';
import { parse as parseYaml } from 'yaml';
import { ClientApi, ParseResult } from '../../api/service';
import { ValidationIssue } from '../../core/errors';
import { ClientCommand, exitCodeFor } from '../shared/accio-command';
import { CommandFailedError, issueLines } from '../shared/errors';
import { colour } from '../shared/format';
import { readInputFile } from '../shared/files';
import { Io } from '../shared/io';

export type DefinitionKind = 'workflow' | 'run';

export interface ValidatedFile {
  file: string;
  kind: DefinitionKind;
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** Why the file could not be checked at all (it cannot be read). */
  problem?: string;
}

export interface ValidateResult {
  files: ValidatedFile[];
}

/**
 * A document with a top-level `workflow` key is a run definition; anything else (a workflow, or
 * text that does not parse, which the agent then reports with its line) is read as a workflow.
 */
export function definitionKind(content: string): DefinitionKind {
  try {
    const doc: unknown = parseYaml(content);
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc) && Object.prototype.hasOwnProperty.call(doc, 'workflow')) return 'run';
  } catch {
    // Not YAML: a workflow as far as we can tell; the agent's parser says what is wrong with it.
  }
  return 'workflow';
}

export async function validateFiles(
  client: Pick<ClientApi, 'parseWorkflow' | 'parseRun'>,
  files: readonly string[],
  io: Io,
  read: (file: string) => Promise<string> = readInputFile,
): Promise<ValidateResult> {
  const results: ValidatedFile[] = [];
  let worst = 0;
  for (const file of files) {
    let content: string;
    try {
      content = await read(file);
    } catch (err) {
      const problem = err instanceof Error ? err.message : String(err);
      worst = Math.max(worst, exitCodeFor(err));
      results.push({ file, kind: 'workflow', valid: false, errors: [], warnings: [], problem });
      io.out(`${colour('✗', 'red', io.color)} ${file}: ${problem}`);
      continue;
    }
    const kind = definitionKind(content);
    const filename = path.basename(file);
    const parsed: ParseResult<unknown> = kind === 'run' ? await client.parseRun(content, {}, filename) : await client.parseWorkflow(content, filename);
    const valid = parsed.errors.length === 0;
    if (!valid) worst = Math.max(worst, 2);
    results.push({ file, kind, valid, errors: parsed.errors, warnings: parsed.warnings });
    if (valid) {
      io.out(`${colour('✓', 'green', io.color)} ${file} (${kind})`);
    } else {
      const n = parsed.errors.length;
      io.out(`${colour('✗', 'red', io.color)} ${file} (${kind}): ${n} error${n === 1 ? '' : 's'}`);
      io.out(issueLines(parsed.errors).join('\n'));
    }
    if (parsed.warnings.length > 0) io.out(issueLines(parsed.warnings, '  warning: ').join('\n'));
  }
  if (worst > 0) {
    const bad = results.filter((r) => !r.valid).length;
    throw new CommandFailedError(`${bad} of ${results.length} file${results.length === 1 ? '' : 's'} invalid`, worst, { data: { files: results } });
  }
  return { files: results };
}

export default class Validate extends ClientCommand<ValidateResult> {
  static override summary = 'Check workflow and run definitions without storing them.';
  static override description =
    'A file whose document has a top-level `workflow` key is a run definition; any other is a workflow. ' +
    'Prints every error with its path. Exits 2 when a file is invalid, 1 when a file cannot be read ' +
    '(the worst across files).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> workflow.yaml',
    '<%= config.bin %> <%= command.id %> workflow.yaml sweep.yaml --json',
  ];
  static override strict = false;
  static override args = {
    file: Args.string({ description: 'Definition files (YAML or JSON).', required: true }),
  };

  async run(): Promise<ValidateResult> {
    const { argv, flags } = await this.parse(Validate);
    const client = await this.connect(flags.addr);
    return validateFiles(client, argv as string[], this.io);
  }
}
