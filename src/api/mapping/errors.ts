/**
 * Domain errors (src/core/errors.ts) ↔ the typed exceptions of accio.thrift. The server turns an
 * AccioError into the most specific exception the method declares; the client rebuilds the same
 * domain class with the same fields and message.
 */
import {
  AccioError, AccioErrorOptions, ConflictError, ErrorCode, InvalidDefinitionError, InvalidTaskError, NotFoundError,
  UnavailableError,
} from '../../core/errors';
import * as wire from '../gen-nodejs/accio_types';
import { issueToWire, issuesFromWire } from './workflows';

/** The typed exceptions a method may declare besides ServerError, which every method declares. */
export type DeclaredException = 'invalidDefinition' | 'notFound' | 'invalidTask';

/** Any exception an AgentService method can throw. */
export type WireException = wire.InvalidDefinition | wire.NotFound | wire.InvalidTask | wire.ServerError;

const ERROR_CODES: Record<ErrorCode, true> = {
  INVALID: true, NOT_FOUND: true, CONFLICT: true, INVALID_TASK: true, UNAVAILABLE: true, INTERNAL: true,
};

/**
 * The exception for a domain error. A typed error the method does not declare (a NotFoundError
 * thrown by listRuns, say) becomes a ServerError with its code: the client then rebuilds an
 * AccioError with that code, without the subclass's fields.
 */
export function accioErrorToWire(err: AccioError, declared: readonly DeclaredException[]): WireException {
  const actions = [...err.actions];
  if (err instanceof InvalidDefinitionError && declared.includes('invalidDefinition')) {
    return new wire.InvalidDefinition({
      errors: err.errors.map(issueToWire),
      warnings: err.warnings.map(issueToWire),
      message: err.message,
      actions,
    });
  }
  if (err instanceof NotFoundError && declared.includes('notFound')) {
    return new wire.NotFound({ kind: err.kind, id: err.id, message: err.message, actions });
  }
  if (err instanceof InvalidTaskError && declared.includes('invalidTask')) {
    return new wire.InvalidTask({ taskId: err.taskId, message: err.message, actions });
  }
  return new wire.ServerError({ code: err.code, message: err.message, retryable: err.retryable, actions });
}

/** An INTERNAL ServerError with a message that reveals nothing of the failure (no stack, no text of the cause). */
export function internalErrorToWire(message: string): wire.ServerError {
  return new wire.ServerError({ code: 'INTERNAL', message, retryable: false, actions: [] });
}

/** Whether `err` is one of the typed exceptions a client call can reject with. */
export function isWireException(err: unknown): err is WireException {
  return err instanceof wire.InvalidDefinition || err instanceof wire.NotFound
    || err instanceof wire.InvalidTask || err instanceof wire.ServerError;
}

/** The domain error a typed exception stands for. */
export function accioErrorFromWire(err: WireException): AccioError {
  const options: AccioErrorOptions = { actions: err.actions ?? [] };
  const message = err.message ?? '';
  let out: AccioError;
  if (err instanceof wire.InvalidDefinition) {
    out = new InvalidDefinitionError('definition', issuesFromWire(err.errors, 'errors'), issuesFromWire(err.warnings, 'warnings'), options);
  } else if (err instanceof wire.NotFound) {
    out = new NotFoundError(err.kind ?? '', err.id ?? '', options);
  } else if (err instanceof wire.InvalidTask) {
    out = new InvalidTaskError(err.taskId ?? '', message, options);
  } else {
    const code = (err.code ?? '') in ERROR_CODES ? (err.code as ErrorCode) : 'INTERNAL';
    const withRetry = { ...options, retryable: err.retryable ?? false };
    if (code === 'UNAVAILABLE') out = new UnavailableError(message, withRetry);
    else if (code === 'CONFLICT') out = new ConflictError(message, withRetry);
    else out = new AccioError(code, message, withRetry);
  }
  // The constructors compose their own message from the fields; the server's text is the truth.
  out.message = message;
  return out;
}
