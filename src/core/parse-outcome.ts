/**
 * The result of parsing a definition (workflow, run): the typed spec when it is valid, and every
 * problem found, each at its path.
 */
import { ValidationIssue } from './errors';

/** What parsing a definition found. Errors and warnings are separate: warnings never block. */
export interface ParseOutcome<T> {
  /** Present only when `errors` is empty. */
  spec?: T;
  /**
   * With errors: the parts that did parse, so that checks needing more context (a run against its
   * workflow) can still report their own problems in the same answer. Never to be used as a spec.
   */
  partial?: T;
  /** Every error found, not only the first; empty when the definition is valid. */
  errors: ValidationIssue[];
  /** Problems that do not stop the definition from being used (a deprecated operator, an unused param). */
  warnings: ValidationIssue[];
}
