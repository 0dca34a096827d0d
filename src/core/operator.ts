/**
 * Operator definitions: the typed signature of a unit of work, and the registry interface the
 * engine looks them up in. Implementations (builtin TypeScript or command) live in src/operators.
 */
import { InvalidDefinitionError, ValidationIssue } from './errors';
import { DataType } from './types';
import { coerceValue, Value } from './values';

export interface PortDef {
  name: string;
  type: DataType;
  help?: string;
  /** Used when the port is not bound; already coerced to `type`. */
  default?: Value;
  /** An optional input may stay unbound with no default; the operator then sees it as absent. */
  optional: boolean;
}

export interface Resources {
  /** Cores, may be fractional. */
  cpu: number;
  memoryMb: number;
  diskMb: number;
}

export interface OperatorDef {
  /** `^[A-Z][A-Za-z0-9_]*$` */
  name: string;
  /** Enters the cache key: bump it when the operator's results change. */
  version: string;
  category: string;
  help: string;
  description?: string;
  inputs: PortDef[];
  outputs: PortDef[];
  resources: Resources;
  /** The operator draws random numbers: it receives a seed, and the seed enters its cache key. */
  unstable: boolean;
  /** When set, the operator is deprecated: what to use instead and why. */
  deprecation?: string;
}

export const OPERATOR_NAME = /^[A-Z][A-Za-z0-9_]*$/;

export const DEFAULT_RESOURCES: Resources = { cpu: 1, memoryMb: 512, diskMb: 1024 };

const PORT_NAME = /^[a-z][A-Za-z0-9_]*$/;

/** Every problem of an operator definition, each with its path (`inputs.epsilon.default`). */
export function validateOperatorDef(def: OperatorDef): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string[], message: string) => issues.push({ path, message });
  if (!OPERATOR_NAME.test(def.name)) add(['name'], `"${def.name}" is not an operator name: start with an upper-case letter, then letters, digits or _`);
  if (!def.version) add(['version'], 'an operator needs a version (it enters every cache key)');
  if (!def.category) add(['category'], 'an operator needs a category');
  for (const side of ['inputs', 'outputs'] as const) {
    const seen = new Set<string>();
    for (const port of def[side]) {
      if (!PORT_NAME.test(port.name)) add([side, port.name], 'port names start with a lower-case letter, then letters, digits or _');
      if (seen.has(port.name)) add([side, port.name], 'declared twice');
      seen.add(port.name);
      if (port.default !== undefined) {
        const c = coerceValue(port.type, port.default);
        if (!c.ok) add([side, port.name, 'default'], c.message);
      }
    }
  }
  for (const key of ['cpu', 'memoryMb', 'diskMb'] as const) {
    const v = def.resources[key];
    if (!(Number.isFinite(v) && v > 0)) add(['resources', key], `expected a positive number, got ${v}`);
  }
  return issues;
}

/** Looks operators up by name; lists them by category. */
export interface OperatorRegistry {
  get(name: string): OperatorDef | undefined;
  /** Every operator (of one category, when given), sorted by name. */
  list(category?: string): OperatorDef[];
}

/** The registry over a fixed set of definitions (tests, and the agent's built-in library). */
export class InMemoryOperatorRegistry implements OperatorRegistry {
  private readonly byName = new Map<string, OperatorDef>();

  constructor(defs: Iterable<OperatorDef> = []) {
    for (const d of defs) this.register(d);
  }

  /** Throws InvalidDefinitionError for an invalid definition or a name registered twice. */
  register(def: OperatorDef): void {
    const issues = validateOperatorDef(def);
    if (this.byName.has(def.name)) issues.push({ path: ['name'], message: `operator ${def.name} is registered twice` });
    if (issues.length > 0) throw new InvalidDefinitionError(`operator ${def.name}`, issues);
    this.byName.set(def.name, def);
  }

  get(name: string): OperatorDef | undefined {
    return this.byName.get(name);
  }

  list(category?: string): OperatorDef[] {
    return [...this.byName.values()]
      .filter((d) => category === undefined || d.category === category)
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
