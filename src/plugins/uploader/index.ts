/**
 * Uploader plugin: puts task outputs under a key and returns a URI the downloader reads; the
 * shared content digest; the registry that picks an implementation by configuration. Imports only
 * src/core (and the downloader's tree walker, for the digest).
 */
export type { UploadResult, Uploader } from './uploader';
export { digestPath, directoryDigest, fileDigest } from './digest';
export type { ContentDigest } from './digest';
export { LocalUploader } from './local';
export type { LocalUploaderOptions } from './local';
export { createUploader, uploaderTypes } from './registry';
export type { LocalUploaderConfig, UploaderConfig } from './registry';
