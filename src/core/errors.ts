/**
 * The one error hierarchy of Accio. Every error carries a stable `code`; retry loops read
 * `retryable`, never the message. Edges translate: Thrift exceptions in src/api, exit codes in the
 * CLI base command, HTTP statuses in the gateway.
 */

export type ErrorCode = 'INVALID' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID_TASK' | 'UNAVAILABLE' | 'INTERNAL';

/** One problem found in a definition, at a path such as `['graph', 'Train', 'inputs', 'data']`. */
export interface ValidationIssue {
  path: string[];
  message: string;
}

/** `graph.Train.inputs.data`; an issue about the whole document has the empty path ``. */
export function formatPath(path: readonly string[]): string {
  return path.join('.');
}

/** `graph.Train.inputs.data: unknown node "Foo"`. */
export function formatIssue(issue: ValidationIssue): string {
  return issue.path.length ? `${formatPath(issue.path)}: ${issue.message}` : issue.message;
}

export interface AccioErrorOptions {
  cause?: unknown;
  /** Whether trying the same call again may succeed. */
  retryable?: boolean;
  /** What a person can do next, shown under the message. */
  actions?: string[];
}

/** Base class: thrown directly only for internal errors; prefer a subclass. */
export class AccioError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly actions: string[];

  constructor(code: ErrorCode, message: string, options: AccioErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AccioError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.actions = options.actions ?? [];
  }
}

/** Thrown when a workflow, run or configuration definition is invalid; carries every error at once. */
export class InvalidDefinitionError extends AccioError {
  readonly errors: ValidationIssue[];
  readonly warnings: ValidationIssue[];

  constructor(what: string, errors: ValidationIssue[], warnings: ValidationIssue[] = [], options: AccioErrorOptions = {}) {
    const n = errors.length;
    const lines = errors.map((e) => `  ${formatIssue(e)}`).join('\n');
    super('INVALID', `invalid ${what}: ${n} error${n === 1 ? '' : 's'}\n${lines}`, options);
    this.name = 'InvalidDefinitionError';
    this.errors = errors;
    this.warnings = warnings;
  }
}

/** Thrown when a named object (run, workflow, operator, node, task) does not exist. */
export class NotFoundError extends AccioError {
  readonly kind: string;
  readonly id: string;

  constructor(kind: string, id: string, options: AccioErrorOptions = {}) {
    super('NOT_FOUND', `${kind} not found: ${id}`, options);
    this.name = 'NotFoundError';
    this.kind = kind;
    this.id = id;
  }
}

/** Thrown when an executor call names a task the agent does not know, or with the wrong token. */
export class InvalidTaskError extends AccioError {
  readonly taskId: string;

  constructor(taskId: string, reason: string, options: AccioErrorOptions = {}) {
    super('INVALID_TASK', `invalid task ${taskId}: ${reason}`, options);
    this.name = 'InvalidTaskError';
    this.taskId = taskId;
  }
}

/** Thrown when a request conflicts with the current state (a lock held, a version mismatch). */
export class ConflictError extends AccioError {
  constructor(message: string, options: AccioErrorOptions = {}) {
    super('CONFLICT', message, { retryable: true, ...options });
    this.name = 'ConflictError';
  }
}

/** Thrown when a backing service (storage, state manager, agent) cannot be reached right now. */
export class UnavailableError extends AccioError {
  constructor(message: string, options: AccioErrorOptions = {}) {
    super('UNAVAILABLE', message, { retryable: true, ...options });
    this.name = 'UnavailableError';
  }
}

/** Whether an error, of any origin, may succeed when tried again. */
export function isRetryable(err: unknown): boolean {
  return err instanceof AccioError && err.retryable;
}
