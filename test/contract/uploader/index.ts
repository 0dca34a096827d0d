/**
 * The uploader contract: every implementation registers it unchanged. What an uploader returns
 * must be readable by the downloader, byte for byte.
 * Usage: `uploaderContract(async () => ({ uploader, cleanup }))`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createDownloader } from '../../../src/plugins/downloader';
import { digestPath } from '../../../src/plugins/uploader/digest';
import { Uploader } from '../../../src/plugins/uploader/uploader';
import { bytes, readBytes, readTree, sampleTree, tempDir, writeTree } from './trees';

export interface UploaderUnderTest {
  uploader: Uploader;
  /** Closes the uploader and frees what `make` set up. */
  cleanup: () => Promise<void>;
}

/** Builds a fresh uploader for each test; tests use random keys, so one bucket may serve all. */
export type MakeUploader = () => Promise<UploaderUnderTest>;

const SHA256 = /^sha256:[0-9a-f]{64}$/;

export function uploaderContract(make: MakeUploader): void {
  describe('Uploader contract', () => {
    let under: UploaderUnderTest;
    let work: Awaited<ReturnType<typeof tempDir>>;
    const key = (name: string) => `contract/${randomUUID()}/${name}`;
    const downloader = createDownloader();

    beforeEach(async () => {
      work = await tempDir('accio-uploader-contract-');
      under = await make();
    });
    afterEach(async () => {
      await under.cleanup();
      await work.remove();
    });

    it('uploads a file that the downloader reads back byte for byte from the returned URI', async () => {
      const src = path.join(work.dir, 'data.bin');
      const content = new Uint8Array([...bytes('header\n'), ...new Uint8Array(70_000).fill(7), 0, 255, 10, 13]);
      await writeFile(src, content);
      const result = await under.uploader.upload(src, key('data.bin'));
      const dest = path.join(work.dir, 'back.bin');
      await downloader.download(result.uri, dest);
      assert.deepEqual(await readBytes(dest), content);
      assert.equal(result.sizeBytes, content.length);
      assert.match(result.digest, SHA256);
    });

    it('uploads a directory tree that the downloader reads back file for file', async () => {
      const tree = sampleTree();
      await writeTree(path.join(work.dir, 'src'), tree);
      const result = await under.uploader.upload(path.join(work.dir, 'src'), key('dir'));
      await downloader.download(result.uri, path.join(work.dir, 'back'));
      assert.deepEqual(await readTree(path.join(work.dir, 'back')), tree);
      assert.equal(result.sizeBytes, Object.values(tree).reduce((n, b) => n + b.length, 0));
    });

    it('reports the digest the shared digest function computes over the content', async () => {
      await writeTree(path.join(work.dir, 'src'), sampleTree());
      await writeFile(path.join(work.dir, 'file'), 'content');
      const dir = await under.uploader.upload(path.join(work.dir, 'src'), key('dir'));
      const file = await under.uploader.upload(path.join(work.dir, 'file'), key('file'));
      assert.equal(dir.digest, (await digestPath(path.join(work.dir, 'src'))).digest);
      assert.equal(file.digest, (await digestPath(path.join(work.dir, 'file'))).digest);
    });

    it('gives the same content the same digest under different keys, and different content a different one', async () => {
      await writeFile(path.join(work.dir, 'one'), 'same');
      await writeFile(path.join(work.dir, 'two'), 'same');
      await writeFile(path.join(work.dir, 'three'), 'other');
      const one = await under.uploader.upload(path.join(work.dir, 'one'), key('one'));
      const two = await under.uploader.upload(path.join(work.dir, 'two'), key('two'));
      const three = await under.uploader.upload(path.join(work.dir, 'three'), key('three'));
      assert.equal(one.digest, two.digest);
      assert.notEqual(one.digest, three.digest);
    });

    it('gives directories the same digest exactly when they hold the same files at the same paths', async () => {
      const tree = sampleTree();
      await writeTree(path.join(work.dir, 'a'), tree);
      await writeTree(path.join(work.dir, 'b'), Object.fromEntries(Object.entries(tree).reverse()));
      await writeTree(path.join(work.dir, 'c'), { ...tree, 'a.txt': bytes('changed\n') });
      await writeTree(path.join(work.dir, 'd'), { ...tree, 'renamed.txt': tree['a.txt'] });
      const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((n) => under.uploader.upload(path.join(work.dir, n), key(n))));
      assert.equal(a.digest, b.digest);
      assert.notEqual(a.digest, c.digest);
      assert.notEqual(a.digest, d.digest);
    });

    it('accepts uploading the same content again under the same key', async () => {
      const src = path.join(work.dir, 'f');
      await writeFile(src, 'again');
      const k = key('f');
      const first = await under.uploader.upload(src, k);
      const second = await under.uploader.upload(src, k);
      assert.deepEqual(second, first);
    });

    it('accepts keys made of several "/"-separated segments', async () => {
      const src = path.join(work.dir, 'f');
      await writeFile(src, 'deep');
      const result = await under.uploader.upload(src, key('runs/r1/nodes/Train/model'));
      await downloader.download(result.uri, path.join(work.dir, 'back'));
      assert.deepEqual(await readBytes(path.join(work.dir, 'back')), bytes('deep'));
    });

    it('rejects a local path that does not exist with NOT_FOUND', async () => {
      await assert.rejects(under.uploader.upload(path.join(work.dir, 'missing'), key('x')), { code: 'NOT_FOUND' });
    });
  });
}
