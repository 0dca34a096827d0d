/**
 * Small builders for the definitions of the builtin library, so each operator file reads as its
 * signature.
 */
import { PortDef, Resources } from '../core/operator';
import { DataType } from '../core/types';
import { Value } from '../core/values';

export interface PortOptions {
  help?: string;
  /** Already in the canonical representation of `type` (durations in ms). */
  default?: Value;
  /** @default false */
  optional?: boolean;
}

/** A port definition; `optional` defaults to false. */
export function port(name: string, type: DataType, options: PortOptions = {}): PortDef {
  return {
    name,
    type,
    optional: options.optional ?? false,
    ...(options.help !== undefined ? { help: options.help } : {}),
    ...(options.default !== undefined ? { default: options.default } : {}),
  };
}

/** What every operator of the library needs: they are all small and single-threaded. */
export const SMALL_RESOURCES: Resources = { cpu: 0.5, memoryMb: 256, diskMb: 512 };
