/**
 * Content digests of uploaded files and directories, shared by every uploader (and tests) so the
 * same content has the same digest whichever backend stores it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { listTree, pathKind } from '../downloader/file-tree';

export interface ContentDigest {
  /** `sha256:<hex>`. */
  digest: string;
  /** Total size of the files. */
  sizeBytes: number;
}

/** `sha256:<hex>` of a file's bytes, and how many there were. */
export async function fileDigest(filePath: string): Promise<ContentDigest> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(filePath)) {
    hash.update(chunk as Uint8Array);
    sizeBytes += (chunk as Uint8Array).length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, sizeBytes };
}

/**
 * `sha256:<hex>` of a directory given its files: one JSON line `["rel/path","sha256:…"]` per file,
 * sorted by path. Only files count: empty directories are not content (object stores cannot hold
 * them), and names need JSON so that no path can fake a line break.
 */
export function directoryDigest(files: ReadonlyArray<{ relPath: string; digest: string }>): string {
  const lines = [...files]
    .sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))
    .map((f) => JSON.stringify([f.relPath, f.digest]));
  return `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

/** Digest and size of a file, or of a directory tree (following in-tree symlinks only). */
export async function digestPath(localPath: string): Promise<ContentDigest> {
  if ((await pathKind(localPath)) === 'file') return fileDigest(localPath);
  const digested = [];
  let sizeBytes = 0;
  for (const f of await listTree(localPath)) {
    if (f.kind !== 'file') continue;
    const d = await fileDigest(f.realPath);
    digested.push({ relPath: f.relPath, digest: d.digest });
    sizeBytes += d.sizeBytes;
  }
  return { digest: directoryDigest(digested), sizeBytes };
}
