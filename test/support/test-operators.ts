/**
 * A small, fixed operator library for tests of workflows, runs and the engine. Its signatures are
 * what tests assert against: change them only with the tests that use them.
 */
import { DEFAULT_RESOURCES, InMemoryOperatorRegistry, OperatorDef, PortDef } from '../../src/core/operator';
import { DataType, T } from '../../src/core/types';
import { Value } from '../../src/core/values';

function port(name: string, type: DataType, extra: { default?: Value; optional?: boolean; help?: string } = {}): PortDef {
  return { name, type, optional: extra.optional ?? false, ...(extra.default !== undefined ? { default: extra.default } : {}), ...(extra.help ? { help: extra.help } : {}) };
}

function operator(def: Pick<OperatorDef, 'name' | 'inputs' | 'outputs'> & Partial<OperatorDef>): OperatorDef {
  return {
    version: '1',
    category: 'test',
    help: `${def.name} (test operator)`,
    resources: DEFAULT_RESOURCES,
    unstable: false,
    ...def,
  };
}

/** No inputs; outputs `data: dataset` and `n: integer`. */
export const SOURCE = operator({
  name: 'Source',
  inputs: [],
  outputs: [port('data', T.dataset), port('n', T.integer)],
});

/** Inputs `data: dataset` (required), `factor: float` (default 1.0), `label: string` (optional); output `data: dataset`. */
export const TRANSFORM = operator({
  name: 'Transform',
  inputs: [port('data', T.dataset), port('factor', T.float, { default: 1.0 }), port('label', T.string, { optional: true })],
  outputs: [port('data', T.dataset)],
});

/** Input `data: dataset`; output `score: float`. */
export const SCORE = operator({
  name: 'Score',
  inputs: [port('data', T.dataset)],
  outputs: [port('score', T.float)],
});

/** Unstable (needs a seed). Inputs `data: dataset`, `epsilon: float` (required); output `data: dataset`. */
export const NOISY = operator({
  name: 'Noisy',
  unstable: true,
  inputs: [port('data', T.dataset), port('epsilon', T.float)],
  outputs: [port('data', T.dataset)],
});

/** Deprecated. Input `data: dataset`; output `data: dataset`. */
export const LEGACY = operator({
  name: 'Legacy',
  deprecation: 'use Transform instead: Legacy ignores its factor',
  inputs: [port('data', T.dataset)],
  outputs: [port('data', T.dataset)],
});

/** Inputs `count: integer` (required), `window: duration` (default 10s), `tags: map(string, string)` (optional),
 *  `ks: list(integer)` (optional); output `data: dataset`. Covers constants of every shape. */
export const GENERATE = operator({
  name: 'Generate',
  inputs: [
    port('count', T.integer),
    port('window', T.duration, { default: 10_000 }),
    port('tags', T.map(T.string), { optional: true }),
    port('ks', T.list(T.integer), { optional: true }),
  ],
  outputs: [port('data', T.dataset)],
});

export const TEST_OPERATORS: readonly OperatorDef[] = [SOURCE, TRANSFORM, SCORE, NOISY, LEGACY, GENERATE];

/** A fresh registry holding the test operators (fresh so a test may register more). */
export function testRegistry(): InMemoryOperatorRegistry {
  return new InMemoryOperatorRegistry(TEST_OPERATORS);
}
