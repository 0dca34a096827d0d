/**
 * Operator definitions: the typed signature of a unit of work, and the registry interface the
 * engine looks them up in. Implementations (builtin TypeScript or command) live in src/operators.
 */
import { DataType } from './types';
import { Value } from './values';

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

  register(def: OperatorDef): void {
    if (this.byName.has(def.name)) throw new Error(`operator ${def.name} is registered twice`);
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
