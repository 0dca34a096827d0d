/**
 * The one lookup every plugin registry shares: a map from implementation type to a factory taking
 * that type's own config. Adding a backend adds a config type and one map entry, never an if-chain.
 */
import { AccioError } from '../core/errors';

export type Factories<C extends { type: string }, P> = {
  [T in C['type']]: (config: Extract<C, { type: T }>) => Promise<P>;
};

export interface PluginRegistry<C extends { type: string }, P> {
  /** The types this build knows, sorted. */
  readonly types: readonly string[];
  /** Builds the implementation `config.type` names; an unknown type is an INVALID error listing the known ones. */
  create(config: C): Promise<P>;
}

/** @param plugin what the plugin is called in messages (`storage`, `state manager`). */
export function pluginRegistry<C extends { type: string }, P>(plugin: string, factories: Factories<C, P>): PluginRegistry<C, P> {
  const types = Object.keys(factories).sort();
  return {
    types,
    async create(config: C): Promise<P> {
      const type: string = config.type;
      if (!Object.hasOwn(factories, type)) {
        throw new AccioError('INVALID', `unknown ${plugin} type ${JSON.stringify(type)}; known types: ${types.join(', ')}`, {
          actions: [`Set the ${plugin} type to one of: ${types.join(', ')}.`],
        });
      }
      const factory = (factories as unknown as Record<string, (c: C) => Promise<P>>)[type];
      return factory(config);
    },
  };
}
