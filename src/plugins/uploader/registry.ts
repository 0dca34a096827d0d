/**
 * Chooses an uploader implementation by configuration. Each type has a factory taking its own
 * typed config; adding a backend adds a config type and one map entry.
 */
import { AccioError } from '../../core/errors';
import { LocalUploader, LocalUploaderOptions } from './local';
import { Uploader } from './uploader';

/** Uploads into a local directory. */
export type LocalUploaderConfig = { type: 'local' } & LocalUploaderOptions;

export type UploaderConfig = LocalUploaderConfig;

type Factories = {
  [T in UploaderConfig['type']]: (config: Extract<UploaderConfig, { type: T }>) => Promise<Uploader>;
};

const factories: Factories = {
  local: async ({ type: _type, ...options }) => new LocalUploader(options),
};

/** The uploader types this build knows, sorted. */
export const uploaderTypes: readonly string[] = Object.keys(factories).sort();

/** Builds the uploader `config.type` names; an unknown type is an INVALID error listing the known ones. */
export async function createUploader(config: UploaderConfig): Promise<Uploader> {
  const type: string = config.type;
  if (!Object.hasOwn(factories, type)) {
    throw new AccioError('INVALID', `unknown uploader type ${JSON.stringify(type)}; known types: ${uploaderTypes.join(', ')}`, {
      actions: [`Set the uploader type to one of: ${uploaderTypes.join(', ')}.`],
    });
  }
  const factory = factories[config.type] as (c: UploaderConfig) => Promise<Uploader>;
  return factory(config);
}
