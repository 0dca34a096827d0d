/**
 * Errors that only the CLI raises, and how any error reads on a terminal. The mapping to exit
 * codes lives in one place: `exitCodeFor` in accio-command.ts.
 */
import { AccioError, ValidationIssue, formatIssue } from '../../core/errors';
import { colour } from './format';

/** The command line is wrong: a bad argument or flag value, a file that does not exist. Exit 1. */
export class UsageError extends Error {
  readonly actions: string[];

  constructor(message: string, options: { actions?: string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UsageError';
    this.actions = options.actions ?? [];
  }
}

/**
 * A command failed after it already told the user why (per-file errors of `validate`, a run that
 * ended FAILED under `submit --wait`): the base command prints only this message, exits with
 * `exitCode`, and puts `data` in the JSON error envelope.
 */
export class CommandFailedError extends Error {
  readonly exitCode: number;
  readonly data: unknown;
  readonly actions: string[];

  constructor(message: string, exitCode: number, options: { data?: unknown; actions?: string[] } = {}) {
    super(message);
    this.name = 'CommandFailedError';
    this.exitCode = exitCode;
    this.data = options.data;
    this.actions = options.actions ?? [];
  }
}

/** The user pressed Ctrl-C (SIGINT) or the process was asked to stop (SIGTERM) while waiting. */
export class InterruptedError extends Error {
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals = 'SIGINT') {
    super('interrupted');
    this.name = 'InterruptedError';
    this.signal = signal;
  }
}

/** The domain error fields the CLI reads, wherever the error object came from. */
interface ErrorLike {
  message?: unknown;
  code?: unknown;
  actions?: unknown;
  errors?: unknown;
  warnings?: unknown;
}

function asIssues(value: unknown): ValidationIssue[] {
  if (!Array.isArray(value)) return [];
  return value.filter((i): i is ValidationIssue => typeof i === 'object' && i !== null && Array.isArray(i.path) && typeof i.message === 'string');
}

/** The validation errors of an InvalidDefinitionError (by its `INVALID` code), else []. */
export function definitionErrors(err: unknown): { errors: ValidationIssue[]; warnings: ValidationIssue[] } {
  const e = (err ?? {}) as ErrorLike;
  if (e.code !== 'INVALID') return { errors: [], warnings: [] };
  return { errors: asIssues(e.errors), warnings: asIssues(e.warnings) };
}

/** The next steps an error suggests (AccioError, UsageError, CommandFailedError all carry `actions`). */
export function actionsOf(err: unknown): string[] {
  const a = ((err ?? {}) as ErrorLike).actions;
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
}

/** The lines that list validation issues, one per issue, indented. */
export function issueLines(issues: readonly ValidationIssue[], indent = '  '): string[] {
  return issues.map((i) => `${indent}${formatIssue(i)}`);
}

export interface FormatErrorOptions {
  /** Colour the `Error:` prefix (stderr is a terminal). */
  color: boolean;
  /** Print the stack of unexpected errors (env `ACCIO_DEBUG`). */
  debug?: boolean;
  /** Next steps to print; @default the error's own `actions` */
  actions?: string[];
}

/**
 * An error as lines for stderr: `Error: <message>`; for an invalid definition, every error with
 * its path and then the warnings apart; then the suggested next steps.
 */
export function formatError(err: unknown, options: FormatErrorOptions): string[] {
  const prefix = colour('Error:', 'red', options.color);
  const message = err instanceof Error ? err.message : String(err);
  const { errors, warnings } = definitionErrors(err);
  const lines: string[] = [];
  if (errors.length > 0) {
    // The message of an InvalidDefinitionError repeats the issues; print them from the structured list instead.
    lines.push(`${prefix} ${message.split('\n')[0]}`, ...issueLines(errors));
    if (warnings.length > 0) lines.push('Warnings:', ...issueLines(warnings));
  } else {
    lines.push(`${prefix} ${message}`);
  }
  const actions = options.actions ?? actionsOf(err);
  if (actions.length > 0) lines.push('Try this:', ...actions.map((a) => `  ${a}`));
  const unexpected = !(err instanceof AccioError || err instanceof UsageError || err instanceof CommandFailedError || err instanceof InterruptedError);
  if (options.debug && unexpected && err instanceof Error && err.stack) lines.push(err.stack);
  return lines;
}
