/**
 * Chooses an uploader implementation by configuration. Each type has a factory taking its own
 * typed config; adding a backend adds a config type and one map entry.
 */
import { pluginRegistry } from '../plugin-registry';
import { LocalUploader, LocalUploaderOptions } from './local';
import { Uploader } from './uploader';

/** Uploads into a local directory. */
export type LocalUploaderConfig = { type: 'local' } & LocalUploaderOptions;

export type UploaderConfig = LocalUploaderConfig;

const registry = pluginRegistry<UploaderConfig, Uploader>('uploader', {
  local: async ({ type: _type, ...options }) => new LocalUploader(options),
});

/** The uploader types this build knows, sorted. */
export const uploaderTypes: readonly string[] = registry.types;

/** Builds the uploader `config.type` names; an unknown type is an INVALID error listing the known ones. */
export function createUploader(config: UploaderConfig): Promise<Uploader> {
  return registry.create(config);
}
