/** Builds and reads small file trees for upload and download tests. */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** relPath (with `/`) → content. */
export type Tree = Record<string, Uint8Array>;

/** UTF-8 bytes of a string. */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Writes `tree` under `root` (created if missing). */
export async function writeTree(root: string, tree: Tree): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [relPath, content] of Object.entries(tree)) {
    const file = path.join(root, ...relPath.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/** Every file under `root`, by relative path. */
export async function readTree(root: string, relDir = ''): Promise<Tree> {
  const tree: Tree = {};
  for (const entry of await readdir(path.join(root, relDir), { withFileTypes: true })) {
    const relPath = relDir ? `${relDir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(tree, await readTree(root, relPath));
    else if (entry.isFile()) tree[relPath] = await readBytes(path.join(root, relPath));
  }
  return tree;
}

export async function readBytes(file: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(file));
}

/** A tree with nesting, binary content, an empty file and a non-ASCII name. */
export function sampleTree(): Tree {
  return {
    'a.txt': bytes('alpha\n'),
    'empty': new Uint8Array(0),
    'nested/deeper/blob.bin': new Uint8Array(randomBytes(300_000)),
    'nested/é ü.csv': bytes('x,y\n1,2\n'),
  };
}

/** A fresh temporary directory and a function that removes it. */
export async function tempDir(prefix = 'accio-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
