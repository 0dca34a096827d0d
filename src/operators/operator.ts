/**
 * The runtime side of a builtin operator: its definition plus the function the executor calls.
 * The executor stages dataset inputs in before `run` and stages dataset outputs out after it, so
 * an operator only ever sees local `file://` URIs.
 */
import { AccioError, AccioErrorOptions } from '../core/errors';
import { OperatorDef } from '../core/operator';
import { LogStream } from '../core/run';
import { Value } from '../core/values';

/** What an operator may use while it runs. */
export interface OperatorContext {
  /** Safe non-negative integer; only meaningful for unstable operators (others must not read it). */
  seed: number;
  /** An empty directory the operator owns; dataset outputs are written under it. */
  workDir: string;
  /** Aborted when the task is killed or the executor stops: stop work and reject soon after. */
  signal: AbortSignal;
  /** One line of log, without its trailing newline. @default stream 'stdout' */
  log(line: string, stream?: LogStream): void;
}

/** What `run` resolves to. */
export interface OperatorOutput {
  /** One value per declared output port; datasets as `{ uri: 'file://...' }` under the work dir. */
  outputs: Record<string, Value>;
  /** The operator's own figures, added to the executor's (`wall_time_ms`, ...). */
  metrics?: Record<string, number>;
}

/** A builtin operator: shipped with Accio and run in-process by the executor. */
export interface BuiltinOperator {
  def: OperatorDef;
  /**
   * Inputs arrive with defaults applied; optional unbound inputs are absent. Must be deterministic
   * given its inputs (and the seed, when the definition is unstable).
   */
  run(inputs: Record<string, Value>, ctx: OperatorContext): Promise<OperatorOutput>;
}

/**
 * Thrown by an operator to choose the classifier of its failure (`exit 3`, `timeout`, `fail`);
 * any other error is classified by its `name`.
 */
export class OperatorFailure extends AccioError {
  readonly classifier: string;

  constructor(classifier: string, message: string, options: AccioErrorOptions = {}) {
    super('INTERNAL', message, options);
    this.name = 'OperatorFailure';
    this.classifier = classifier;
  }
}
