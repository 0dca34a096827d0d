/**
 * Dataset values as operators see them: local `file://` URIs (the executor stages the rest).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AccioError } from '../core/errors';
import { DatasetRef, Value } from '../core/values';

/** The local path of a staged dataset input. @throws AccioError INVALID when it is not a local dataset. */
export function localPath(value: Value | undefined, port: string): string {
  const uri = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as DatasetRef).uri : undefined;
  if (typeof uri !== 'string') throw new AccioError('INVALID', `input ${port}: expected a dataset, got ${JSON.stringify(value)}`);
  if (!uri.startsWith('file:')) {
    throw new AccioError('INVALID', `input ${port}: expected a local file:// dataset, got ${uri} (the executor stages datasets in)`);
  }
  return fileURLToPath(uri);
}

/** The dataset value of a local file or directory. */
export function datasetAt(path: string): DatasetRef {
  return { uri: pathToFileURL(path).href };
}
