/**
 * Moving datasets between the artifact store and the sandbox. Stage in: every dataset input is
 * downloaded under `<dir>/<port>` and its value rewritten to the local URI (its digest kept, since
 * the content is the same). Stage out: every local dataset output is uploaded under
 * `<cacheKey>/<port>` and its value replaced by the upload's URI and content digest, which is what
 * downstream cache keys are computed from.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConflictError } from '../core/errors';
import { PortDef } from '../core/operator';
import { DataType } from '../core/types';
import { DatasetRef, Value } from '../core/values';
import { Downloader } from '../plugins/downloader/downloader';
import { Uploader } from '../plugins/uploader/uploader';

/** Rewrites each dataset inside `value` (also inside lists and maps); `at` names its place: port, then index. */
async function mapDatasets(type: DataType, value: Value, at: string[], fn: (ref: DatasetRef, at: string[]) => Promise<DatasetRef>): Promise<Value> {
  switch (type.kind) {
    case 'dataset':
      return fn(value as DatasetRef, at);
    case 'list': {
      const out: Value[] = [];
      for (const [i, item] of (value as Value[]).entries()) out.push(await mapDatasets(type.of, item, [...at, String(i)], fn));
      return out;
    }
    case 'map': {
      // Positions, not keys, name the places: keys may hold any character, including `/`.
      const out: Record<string, Value> = {};
      for (const [i, [k, v]] of Object.entries(value as Record<string, Value>).entries()) out[k] = await mapDatasets(type.of, v, [...at, String(i)], fn);
      return out;
    }
    default:
      return value;
  }
}

export type Retrying = <T>(fn: () => Promise<T>) => Promise<T>;

/** Downloads every dataset of `inputs` under `dir`; returns the inputs with local URIs. */
export async function stageIn(ports: readonly PortDef[], inputs: Record<string, Value>, downloader: Downloader, dir: string, retrying: Retrying): Promise<Record<string, Value>> {
  const out: Record<string, Value> = { ...inputs };
  for (const p of ports) {
    if (inputs[p.name] === undefined) continue;
    out[p.name] = await mapDatasets(p.type, inputs[p.name], [p.name], async (ref, at) => {
      const dest = join(dir, ...at);
      await retrying(() => downloader.download(ref.uri, dest));
      return { uri: pathToFileURL(dest).href, ...(ref.digest ? { digest: ref.digest } : {}) };
    });
  }
  return out;
}

export interface StageOutOptions {
  cacheKey: string;
  /** Names the fallback key when the cache key's slot holds different content. */
  taskId: string;
  retrying: Retrying;
}

/**
 * Uploads every local (`file://`) dataset of `outputs`; other URIs are kept as they are. A
 * non-deterministic operator may produce other content under a cache key an earlier attempt
 * already filled: keys are never reused with different content, so that upload goes under
 * `<cacheKey>/<taskId>/<port>` instead.
 */
export async function stageOut(ports: readonly PortDef[], outputs: Record<string, Value>, uploader: Uploader, options: StageOutOptions): Promise<Record<string, Value>> {
  const out: Record<string, Value> = { ...outputs };
  for (const p of ports) {
    if (outputs[p.name] === undefined) continue;
    out[p.name] = await mapDatasets(p.type, outputs[p.name], [p.name], async (ref, at) => {
      if (!ref.uri.startsWith('file:')) return ref;
      const local = fileURLToPath(ref.uri);
      const upload = (key: string) => options.retrying(() => uploader.upload(local, key));
      const result = await upload([options.cacheKey, ...at].join('/')).catch((err: unknown) => {
        if (err instanceof ConflictError && !err.retryable) return upload([options.cacheKey, options.taskId, ...at].join('/'));
        throw err;
      });
      return { uri: result.uri, digest: result.digest };
    });
  }
  return out;
}
