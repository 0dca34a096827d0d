/**
 * Uploader into a local directory: `<path>/<key>` holds a copy of what was uploaded. For a single
 * node, and for tests; the URIs it returns are `file://` and readable by the downloader.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, rename, rm, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AccioError, ConflictError } from '../../core/errors';
import { copyPath, pathKind } from '../downloader/file-tree';
import { ContentDigest, digestPath } from './digest';
import { UploadResult, Uploader } from './uploader';

export interface LocalUploaderOptions {
  /** Directory that holds the uploads, created when missing. A relative path is taken from the current directory. */
  path: string;
}

/** Where partial copies wait for their rename; same filesystem as the store, so the rename is atomic. */
const TMP_DIR = '.accio-tmp';

/** Errors of `link`/`rename` saying the destination already exists. */
const EXISTS = new Set(['EEXIST', 'ENOTEMPTY', 'ENOTDIR', 'EISDIR']);

/** Filesystems without hard links: fall back to a check then a rename. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV']);

export class LocalUploader implements Uploader {
  /** Absolute path of the store. */
  readonly root: string;

  constructor(options: LocalUploaderOptions) {
    if (!options.path) throw new AccioError('INVALID', 'the local uploader needs a path');
    this.root = path.resolve(options.path);
  }

  /**
   * Copies `localPath` to a temporary name, then renames it to `<path>/<key>`, so a reader never
   * sees a partial upload. A key that already holds the same content is a success; a key that
   * holds different content is a ConflictError (keys are never reused with different content).
   */
  async upload(localPath: string, key: string): Promise<UploadResult> {
    const segments = keySegments(key);
    const dest = path.join(this.root, ...segments);
    const kind = await pathKind(localPath);
    const tmpRoot = path.join(this.root, TMP_DIR);
    await mkdir(tmpRoot, { recursive: true });
    const tmp = path.join(tmpRoot, randomUUID());
    try {
      await copyPath(localPath, tmp);
      const content = await digestPath(tmp);
      await mkdir(path.dirname(dest), { recursive: true });
      const placed = kind === 'file' ? await placeFile(tmp, dest) : await placeDirectory(tmp, dest);
      if (!placed) await checkSameContent(key, dest, content);
      return { uri: pathToFileURL(dest).href, ...content };
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {}
}

/** Moves a file into place unless `dest` exists; resolves false if it did. */
async function placeFile(tmp: string, dest: string): Promise<boolean> {
  try {
    // Unlike rename, link never replaces an existing file: two uploads racing on a key cannot clobber.
    await link(tmp, dest);
    await unlink(tmp);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (EXISTS.has(code)) return false;
    if (!NO_LINKS.has(code)) throw err;
  }
  if (await pathKind(dest).then(() => true, () => false)) return false;
  await rename(tmp, dest);
  return true;
}

/** Moves a directory into place unless `dest` exists (and is not empty); resolves false if it did. */
async function placeDirectory(tmp: string, dest: string): Promise<boolean> {
  try {
    await rename(tmp, dest);
    return true;
  } catch (err) {
    if (EXISTS.has((err as NodeJS.ErrnoException).code ?? '')) return false;
    throw err;
  }
}

async function checkSameContent(key: string, dest: string, content: ContentDigest): Promise<void> {
  const existing = await digestPath(dest);
  if (existing.digest !== content.digest) {
    throw new ConflictError(`key ${JSON.stringify(key)} already holds different content (${existing.digest}, not ${content.digest})`, {
      retryable: false,
      actions: ['Upload under a new key: keys are never reused with different content.'],
    });
  }
}

/** The key's path segments; a key cannot climb out of the store or reach its temporary directory. */
function keySegments(key: string): string[] {
  const segments = key.split('/');
  const bad = !key || key.includes('\\') || key.includes('\0')
    || segments.some((s) => s === '' || s === '.' || s === '..') || segments[0] === TMP_DIR;
  if (bad) {
    throw new AccioError('INVALID', `invalid upload key ${JSON.stringify(key)}: use non-empty segments separated by "/", without "." or ".." (and not starting with ${TMP_DIR})`);
  }
  return segments;
}
