/**
 * The builtin operator library: what the executor runs in-process and what the agent advertises.
 * Location privacy (the bundled example experiment), a generic Command, and testing operators.
 * Imports only src/core.
 */
import { InMemoryOperatorRegistry } from '../core/operator';
import { command } from './generic/command';
import { generateTraces } from './location/generate-traces';
import { geoIndistinguishability } from './location/geo-indistinguishability';
import { poisExtraction } from './location/pois-extraction';
import { poisRetrieval } from './location/pois-retrieval';
import { spatialDistortion } from './location/spatial-distortion';
import { temporalSampling } from './location/temporal-sampling';
import { BuiltinOperator } from './operator';
import { fail } from './testing/fail';
import { noOp } from './testing/no-op';
import { sleep } from './testing/sleep';

export { BuiltinOperator, OperatorContext, OperatorFailure, OperatorOutput } from './operator';

const BUILTINS: readonly BuiltinOperator[] = [
  generateTraces,
  temporalSampling,
  geoIndistinguishability,
  poisExtraction,
  spatialDistortion,
  poisRetrieval,
  command,
  sleep,
  fail,
  noOp,
];

/** Every builtin operator (a fresh array; the operators themselves are shared and immutable). */
export function builtinOperators(): BuiltinOperator[] {
  return [...BUILTINS];
}

/** A fresh registry of the builtin definitions (fresh so a caller may register more). */
export function builtinRegistry(): InMemoryOperatorRegistry {
  return new InMemoryOperatorRegistry(BUILTINS.map((op) => op.def));
}

/** The builtin operator of that name, if any. */
export function findBuiltin(name: string): BuiltinOperator | undefined {
  return BUILTINS.find((op) => op.def.name === name);
}
