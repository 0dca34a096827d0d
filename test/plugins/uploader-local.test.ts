import assert from 'node:assert/strict';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AccioError, ConflictError } from '../../src/core/errors';
import { LocalUploader } from '../../src/plugins/uploader/local';
import { createUploader, UploaderConfig } from '../../src/plugins/uploader/registry';
import { uploaderContract } from '../contract/uploader';
import { bytes, readTree, tempDir } from '../contract/uploader/trees';

describe('LocalUploader', () => {
  uploaderContract(async () => {
    const store = await tempDir('accio-local-uploader-');
    const uploader = new LocalUploader({ path: store.dir });
    return { uploader, cleanup: async () => { await uploader.close(); await store.remove(); } };
  });

  let work: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    work = await tempDir('accio-local-uploader-');
  });
  afterEach(() => work.remove());

  it('stores an upload at <path>/<key> and returns its file:// URI', async () => {
    const store = path.join(work.dir, 'store');
    await writeFile(path.join(work.dir, 'f'), 'x');
    const result = await new LocalUploader({ path: store }).upload(path.join(work.dir, 'f'), 'a/b/f');
    assert.equal(result.uri, pathToFileURL(path.join(store, 'a', 'b', 'f')).href);
    assert.equal(fileURLToPath(result.uri), path.join(store, 'a', 'b', 'f'));
  });

  it('leaves no temporary copy behind, after a success or a failure', async () => {
    const store = path.join(work.dir, 'store');
    const uploader = new LocalUploader({ path: store });
    await writeFile(path.join(work.dir, 'f'), 'one');
    await uploader.upload(path.join(work.dir, 'f'), 'k');
    await writeFile(path.join(work.dir, 'f'), 'two');
    await assert.rejects(uploader.upload(path.join(work.dir, 'f'), 'k'), ConflictError);
    assert.deepEqual(await readdir(path.join(store, '.accio-tmp')), []);
  });

  it('refuses different content under a key that is already used, keeping the first', async () => {
    const store = path.join(work.dir, 'store');
    const uploader = new LocalUploader({ path: store });
    await mkdir(path.join(work.dir, 'd'));
    await writeFile(path.join(work.dir, 'd', 'x'), 'first');
    await uploader.upload(path.join(work.dir, 'd'), 'k');
    await writeFile(path.join(work.dir, 'd', 'x'), 'second');
    const err = await uploader.upload(path.join(work.dir, 'd'), 'k').catch((e: unknown) => e);
    assert.ok(err instanceof ConflictError);
    assert.equal(err.retryable, false);
    assert.deepEqual((await readTree(path.join(store, 'k')))['x'], bytes('first'));
  });

  it('lets concurrent uploads of the same content to one key all succeed', async () => {
    const uploader = new LocalUploader({ path: path.join(work.dir, 'store') });
    await writeFile(path.join(work.dir, 'f'), 'same');
    const results = await Promise.all(Array.from({ length: 5 }, () => uploader.upload(path.join(work.dir, 'f'), 'k')));
    assert.equal(new Set(results.map((r) => r.digest)).size, 1);
  });

  for (const bad of ['', '/abs', 'a/../b', 'a//b', './a', '.accio-tmp/x', 'a\\b']) {
    it(`rejects the key ${JSON.stringify(bad)} as INVALID`, async () => {
      await writeFile(path.join(work.dir, 'f'), 'x');
      const uploader = new LocalUploader({ path: path.join(work.dir, 'store') });
      await assert.rejects(uploader.upload(path.join(work.dir, 'f'), bad), { code: 'INVALID' });
    });
  }

  it('copies the target of a symlink inside the tree, and refuses one pointing out of it', async () => {
    const uploader = new LocalUploader({ path: path.join(work.dir, 'store') });
    await mkdir(path.join(work.dir, 'in'));
    await writeFile(path.join(work.dir, 'in', 'real'), 'content');
    await symlink('real', path.join(work.dir, 'in', 'link'));
    const result = await uploader.upload(path.join(work.dir, 'in'), 'ok');
    assert.deepEqual(await readTree(fileURLToPath(result.uri)), { real: bytes('content'), link: bytes('content') });
    await writeFile(path.join(work.dir, 'secret'), 's');
    await symlink(path.join(work.dir, 'secret'), path.join(work.dir, 'in', 'escape'));
    await assert.rejects(uploader.upload(path.join(work.dir, 'in'), 'bad'), /points out of the tree/);
  });

  describe('registry', () => {
    it('creates a local uploader for type local with its path', async () => {
      const uploader = await createUploader({ type: 'local', path: work.dir });
      assert.ok(uploader instanceof LocalUploader);
      assert.equal(uploader.root, work.dir);
    });

    it('rejects an unknown type with an INVALID error listing the known types', async () => {
      const err = await createUploader({ type: 's4', path: '' } as unknown as UploaderConfig).catch((e: unknown) => e);
      assert.ok(err instanceof AccioError);
      assert.equal(err.code, 'INVALID');
      assert.match(err.message, /"s4".*local/);
    });
  });
});
