/**
 * Archive formats the downloader unpacks, told apart by name. Zip is recognised only to be
 * refused clearly: no zip library is available, and half-supporting it would be worse.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar';
import { AccioError } from '../../core/errors';

export type ArchiveKind = 'tar' | 'tar.gz' | 'gz' | 'zip';

/** The archive kind a file name says, or undefined for anything else. */
export function archiveKind(fileName: string): ArchiveKind | undefined {
  const name = fileName.toLowerCase();
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return 'tar.gz';
  if (name.endsWith('.tar')) return 'tar';
  if (name.endsWith('.gz')) return 'gz';
  if (name.endsWith('.zip')) return 'zip';
  return undefined;
}

/** Thrown before any byte is fetched. */
export function zipNotSupported(shown: string): AccioError {
  return new AccioError('INVALID', `cannot unpack ${shown}: zip archives are not supported`, {
    actions: ['Repack the archive as .tar.gz, or download it without unpack.'],
  });
}

/**
 * Unpacks the archive `file` into the existing empty directory `outDir`. A `.gz` file becomes one
 * file named `fileName` without `.gz`. Tar entries with `..` or absolute paths, and links that
 * point out of the archive, are refused.
 */
export async function unpackArchive(kind: Exclude<ArchiveKind, 'zip'>, file: string, outDir: string, fileName: string, shown: string): Promise<void> {
  try {
    if (kind === 'gz') {
      const inner = fileName.slice(0, -'.gz'.length) || 'data';
      await pipeline(createReadStream(file), createGunzip(), createWriteStream(path.join(outDir, inner), { flags: 'wx' }));
      return;
    }
    const refused: string[] = [];
    await tar.x({
      file,
      cwd: outDir,
      // Strict: a warning (such as a `..` path) fails the extraction instead of skipping an entry silently.
      strict: true,
      preserveOwner: false,
      filter: (entryPath, entry) => {
        const reason = 'type' in entry ? linkOutOfTree(entryPath, entry.type, entry.linkpath) : undefined;
        if (reason) refused.push(reason);
        return !reason;
      },
    });
    if (refused.length) throw new AccioError('INVALID', `cannot unpack ${shown}: ${refused.join('; ')}`);
  } catch (err) {
    if (err instanceof AccioError) throw err;
    throw new AccioError('INVALID', `cannot unpack ${shown} as ${kind}: ${(err as Error).message}`, { cause: err });
  }
}

/** Why a link entry must not be extracted, or undefined when it stays inside the archive. */
function linkOutOfTree(entryPath: string, type: string, linkpath: string | undefined): string | undefined {
  if ((type !== 'SymbolicLink' && type !== 'Link') || linkpath === undefined) return undefined;
  // A symlink resolves from its own directory; a hard link names a path from the archive root.
  const resolved = type === 'SymbolicLink' ? path.posix.join(path.posix.dirname(entryPath), linkpath) : path.posix.normalize(linkpath);
  if (path.posix.isAbsolute(linkpath) || resolved === '..' || resolved.startsWith('../')) {
    return `${entryPath} links out of the archive, to ${linkpath}`;
  }
  return undefined;
}
