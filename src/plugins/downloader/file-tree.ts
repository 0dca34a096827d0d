/**
 * Walks and copies local directory trees for the downloader and the uploaders. Symlinks are
 * followed only while they stay inside the tree: a link out of it (or a cycle) is an error, so a
 * dataset can never smuggle in `/etc/passwd` or loop forever. Copies hold content, not links.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { AccioError, NotFoundError } from '../../core/errors';

export interface TreeEntry {
  /** Path relative to the root, with `/` separators. */
  relPath: string;
  /** Where to read it: the real path, after following in-tree symlinks. */
  realPath: string;
  kind: 'file' | 'dir';
  /** 0 for directories. */
  sizeBytes: number;
}

/** Whether `localPath` is a file or a directory (following a symlink at the root itself). */
export async function pathKind(localPath: string): Promise<'file' | 'dir'> {
  const st = await stat(localPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new NotFoundError('path', localPath, { cause: err });
    throw err;
  });
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  throw new AccioError('INVALID', `${localPath} is neither a regular file nor a directory`);
}

/**
 * Every file and directory under `root` (not `root` itself), sorted by `relPath` in code-unit
 * order, which is the order digests are computed in.
 */
export async function listTree(root: string): Promise<TreeEntry[]> {
  const realRoot = await realpath(root);
  const entries: TreeEntry[] = [];
  await walk(realRoot, realRoot, '', [realRoot], entries);
  return entries.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

async function walk(realRoot: string, realDir: string, relDir: string, ancestors: string[], out: TreeEntry[]): Promise<void> {
  for (const dirent of await readdir(realDir, { withFileTypes: true })) {
    const relPath = relDir ? `${relDir}/${dirent.name}` : dirent.name;
    let realPath = path.join(realDir, dirent.name);
    if (dirent.isSymbolicLink()) {
      realPath = await realpath(realPath).catch((err: unknown) => {
        throw new AccioError('INVALID', `symlink ${relPath} in ${realRoot} points nowhere`, { cause: err });
      });
      if (realPath !== realRoot && !realPath.startsWith(realRoot + path.sep)) {
        throw new AccioError('INVALID', `symlink ${relPath} in ${realRoot} points out of the tree, to ${realPath}`, {
          actions: ['Copy the target into the directory instead of linking to it.'],
        });
      }
    }
    const st = await stat(realPath);
    if (st.isDirectory()) {
      if (ancestors.includes(realPath)) throw new AccioError('INVALID', `symlink ${relPath} in ${realRoot} makes a cycle`);
      out.push({ relPath, realPath, kind: 'dir', sizeBytes: 0 });
      await walk(realRoot, realPath, relPath, [...ancestors, realPath], out);
    } else if (st.isFile()) {
      out.push({ relPath, realPath, kind: 'file', sizeBytes: st.size });
    } else {
      throw new AccioError('INVALID', `${relPath} in ${realRoot} is neither a regular file nor a directory`);
    }
  }
}

/** Copies `src` (a file or a directory tree) to `dest`, which must not exist. Resolves with the source's kind. */
export async function copyPath(src: string, dest: string): Promise<'file' | 'dir'> {
  const kind = await pathKind(src);
  if (kind === 'file') {
    await copyFile(src, dest, constants.COPYFILE_EXCL);
    return kind;
  }
  const entries = await listTree(src);
  await mkdir(dest);
  // Sorted order puts every directory before what it contains.
  for (const e of entries) {
    const target = path.join(dest, ...e.relPath.split('/'));
    if (e.kind === 'dir') await mkdir(target);
    else await copyFile(e.realPath, target, constants.COPYFILE_EXCL);
  }
  return kind;
}
