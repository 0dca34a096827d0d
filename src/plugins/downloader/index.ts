/**
 * The downloader: reads any URI an uploader produced into a local path. Not pluggable, so this
 * folder holds the one implementation. Imports only src/core (and npm tar).
 */
import { lstat, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccioError } from '../../core/errors';
import { Downloader, DownloadOptions } from './downloader';
import { copyPath } from './file-tree';
import { displayUrl, downloadHttp } from './http';
import { archiveKind, unpackArchive, zipNotSupported } from './unpack';

export type { Downloader, DownloadOptions } from './downloader';
export { listTree, copyPath, pathKind } from './file-tree';
export type { TreeEntry } from './file-tree';

export interface DownloaderOptions {
  /** An http(s) download is aborted when no byte arrives for this long (waiting for headers or body). @default 30_000 */
  httpTimeoutMs?: number;
}

export interface CompiledDownloaderOptions {
  httpTimeoutMs: number;
}

export function compileDownloaderOptions(options: DownloaderOptions = {}): CompiledDownloaderOptions {
  return { httpTimeoutMs: options.httpTimeoutMs ?? 30_000 };
}

/** The URI schemes `download` reads. */
export const supportedSchemes: readonly string[] = ['file', 'http', 'https'];

export function createDownloader(options: DownloaderOptions = {}): Downloader {
  return new UriDownloader(compileDownloaderOptions(options));
}

class UriDownloader implements Downloader {
  constructor(private readonly options: CompiledDownloaderOptions) {}

  /**
   * Fetches into a hidden staging directory next to `destPath`, unpacks there, then renames into
   * place: a failure never leaves a half-written destination. Symlinks in a copied tree are
   * followed only inside it. With `unpack`, names that are not archives are copied unchanged.
   */
  async download(uri: string, destPath: string, options: DownloadOptions = {}): Promise<string> {
    const url = parseUri(uri);
    const shown = url.protocol === 'file:' ? uri : displayUrl(url);
    const fileName = decodeURIComponent(path.posix.basename(url.pathname));
    const archive = options.unpack ? archiveKind(fileName) : undefined;
    if (archive === 'zip') throw zipNotSupported(shown);

    const dest = path.resolve(destPath);
    if (await exists(dest)) {
      throw new AccioError('INVALID', `cannot download ${shown} to ${dest}: the destination already exists`, {
        actions: ['Download to a new path, or remove the old one first.'],
      });
    }
    await mkdir(path.dirname(dest), { recursive: true });
    const staging = await mkdtemp(path.join(path.dirname(dest), `.${path.basename(dest)}.partial-`));
    try {
      const fetched = path.join(staging, 'fetched');
      let kind: 'file' | 'dir' = 'file';
      if (url.protocol === 'file:') kind = await copyPath(localPath(url, uri), fetched);
      else await downloadHttp(url, fetched, this.options.httpTimeoutMs);

      let result = fetched;
      if (archive && kind === 'file') {
        result = path.join(staging, 'unpacked');
        await mkdir(result);
        await unpackArchive(archive, fetched, result, fileName, shown);
      }
      await rename(result, dest);
      return destPath;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}

function parseUri(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (err) {
    throw new AccioError('INVALID', `cannot download ${JSON.stringify(uri)}: not a URI`, { cause: err });
  }
  const scheme = url.protocol.slice(0, -1);
  if (!supportedSchemes.includes(scheme)) {
    throw new AccioError('INVALID', `cannot download ${displayUrl(url)}: unsupported scheme ${scheme}:// (supported: ${supportedSchemes.map((s) => `${s}://`).join(', ')})`);
  }
  return url;
}

function localPath(url: URL, uri: string): string {
  try {
    return fileURLToPath(url);
  } catch (err) {
    throw new AccioError('INVALID', `cannot download ${uri}: a file:// URI must name a local absolute path`, { cause: err });
  }
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(() => true, (err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return false;
    throw err;
  });
}
