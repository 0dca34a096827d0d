import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { AccioError } from '../../src/core/errors';
import { createDownloader } from '../../src/plugins/downloader';
import { bytes, readBytes, readTree, sampleTree, tempDir, Tree, writeTree } from '../contract/uploader/trees';

const fileUri = (p: string) => pathToFileURL(p).href;

/** Calls `fn` and returns what it threw, failing when it did not throw an AccioError. */
async function accioError(fn: () => Promise<unknown>): Promise<AccioError> {
  const err = await fn().then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AccioError, `expected an AccioError, got ${String(err)}`);
  return err;
}

describe('Downloader', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  const downloader = createDownloader();

  beforeEach(async () => {
    work = await tempDir('accio-downloader-');
  });
  afterEach(() => work.remove());

  /** Asserts that `dest` does not exist and its parent holds no staging leftovers. */
  async function assertNothingWritten(dest: string): Promise<void> {
    const siblings = await readdir(path.dirname(dest));
    assert.deepEqual(siblings.filter((n) => n === path.basename(dest) || n.startsWith(`.${path.basename(dest)}.partial-`)), []);
  }

  describe('file://', () => {
    it('copies a file byte for byte and resolves with the destination', async () => {
      const content = new Uint8Array([0, 1, 2, 255, 10, 13]);
      await writeFile(path.join(work.dir, 'src.bin'), content);
      const dest = path.join(work.dir, 'out', 'copy.bin');
      assert.equal(await downloader.download(fileUri(path.join(work.dir, 'src.bin')), dest), dest);
      assert.deepEqual(await readBytes(dest), content);
    });

    it('copies a directory whole', async () => {
      const tree = sampleTree();
      await writeTree(path.join(work.dir, 'src'), tree);
      await downloader.download(fileUri(path.join(work.dir, 'src')), path.join(work.dir, 'copy'));
      assert.deepEqual(await readTree(path.join(work.dir, 'copy')), tree);
    });

    it('follows a symlink inside the tree and refuses one out of it, writing nothing', async () => {
      await writeTree(path.join(work.dir, 'src'), { 'real.txt': bytes('r') });
      await symlink('real.txt', path.join(work.dir, 'src', 'inside'));
      await downloader.download(fileUri(path.join(work.dir, 'src')), path.join(work.dir, 'ok'));
      assert.deepEqual(await readTree(path.join(work.dir, 'ok')), { 'real.txt': bytes('r'), inside: bytes('r') });

      await writeFile(path.join(work.dir, 'secret'), 's');
      await symlink(path.join(work.dir, 'secret'), path.join(work.dir, 'src', 'escape'));
      const err = await accioError(() => downloader.download(fileUri(path.join(work.dir, 'src')), path.join(work.dir, 'bad')));
      assert.equal(err.code, 'INVALID');
      assert.match(err.message, /escape.*points out of the tree/);
      await assertNothingWritten(path.join(work.dir, 'bad'));
    });

    it('rejects a missing source with NOT_FOUND, writing nothing', async () => {
      const dest = path.join(work.dir, 'out');
      const err = await accioError(() => downloader.download(fileUri(path.join(work.dir, 'missing')), dest));
      assert.equal(err.code, 'NOT_FOUND');
      await assertNothingWritten(dest);
    });

    it('refuses a destination that already exists, leaving it untouched', async () => {
      await writeFile(path.join(work.dir, 'src'), 'new');
      await writeFile(path.join(work.dir, 'dest'), 'old');
      const err = await accioError(() => downloader.download(fileUri(path.join(work.dir, 'src')), path.join(work.dir, 'dest')));
      assert.equal(err.code, 'INVALID');
      assert.deepEqual(await readBytes(path.join(work.dir, 'dest')), bytes('old'));
    });
  });

  describe('http(s)://', () => {
    let server: Server;
    let base: string;
    const routes = new Map<string, Uint8Array>();

    before(async () => {
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (url.pathname === '/stall') {
          res.writeHead(200, { 'content-length': '10' });
          res.write('12345');
          return; // never ends: the downloader's idle timeout must fire
        }
        if (url.pathname === '/boom') {
          res.writeHead(503).end();
          return;
        }
        const body = routes.get(url.pathname);
        if (!body) {
          res.writeHead(404).end('no such thing');
          return;
        }
        res.writeHead(200, { 'content-length': String(body.length) }).end(body);
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    });

    it('streams a 200 response to the destination', async () => {
      const content = new Uint8Array(200_000).map((_, i) => i % 251);
      routes.set('/data.bin', content);
      const dest = path.join(work.dir, 'data.bin');
      await downloader.download(`${base}/data.bin`, dest);
      assert.deepEqual(await readBytes(dest), content);
    });

    it('rejects a 404 with a NOT_FOUND error naming the URL and status, writing nothing', async () => {
      const dest = path.join(work.dir, 'out');
      const err = await accioError(() => downloader.download(`${base}/missing.csv`, dest));
      assert.equal(err.code, 'NOT_FOUND');
      assert.ok(err.message.includes(`${base}/missing.csv`), err.message);
      assert.match(err.message, /404/);
      await assertNothingWritten(dest);
    });

    it('rejects a 5xx with a retryable UNAVAILABLE error', async () => {
      const err = await accioError(() => downloader.download(`${base}/boom`, path.join(work.dir, 'out')));
      assert.equal(err.code, 'UNAVAILABLE');
      assert.equal(err.retryable, true);
      assert.match(err.message, /503/);
    });

    it('does not repeat the query string of a URL in errors, as it may hold a signature', async () => {
      const err = await accioError(() => downloader.download(`${base}/missing?X-Amz-Signature=secret`, path.join(work.dir, 'out')));
      assert.doesNotMatch(err.message, /secret/);
    });

    it('rejects an unreachable server with a retryable UNAVAILABLE error', async () => {
      const closed = createServer();
      closed.listen(0, '127.0.0.1');
      await once(closed, 'listening');
      const port = (closed.address() as AddressInfo).port;
      closed.close();
      await once(closed, 'close');
      const err = await accioError(() => downloader.download(`http://127.0.0.1:${port}/x`, path.join(work.dir, 'out')));
      assert.equal(err.code, 'UNAVAILABLE');
    });

    it('aborts a transfer that stalls for httpTimeoutMs, writing nothing', async () => {
      const dest = path.join(work.dir, 'out');
      const err = await accioError(() => createDownloader({ httpTimeoutMs: 200 }).download(`${base}/stall`, dest));
      assert.equal(err.code, 'UNAVAILABLE');
      assert.match(err.message, /200 ms/);
      await assertNothingWritten(dest);
    });

    it('unpacks a .tar.gz served over http', async () => {
      const tree = sampleTree();
      await writeTree(path.join(work.dir, 'src'), tree);
      await tar.c({ gzip: true, file: path.join(work.dir, 'a.tar.gz'), cwd: path.join(work.dir, 'src') }, ['.']);
      routes.set('/a.tar.gz', await readBytes(path.join(work.dir, 'a.tar.gz')));
      await downloader.download(`${base}/a.tar.gz`, path.join(work.dir, 'out'), { unpack: true });
      assert.deepEqual(await readTree(path.join(work.dir, 'out')), tree);
    });
  });

  describe('unpack', () => {
    let tree: Tree;
    beforeEach(async () => {
      tree = sampleTree();
      await writeTree(path.join(work.dir, 'src'), tree);
    });

    for (const [name, gzip] of [['data.tar', false], ['data.tar.gz', true], ['data.tgz', true]] as const) {
      it(`unpacks a ${name.slice('data'.length)} archive into a directory`, async () => {
        await tar.c({ gzip, file: path.join(work.dir, name), cwd: path.join(work.dir, 'src') }, ['.']);
        await downloader.download(fileUri(path.join(work.dir, name)), path.join(work.dir, 'out'), { unpack: true });
        assert.deepEqual(await readTree(path.join(work.dir, 'out')), tree);
      });
    }

    it('unpacks a .gz file into a directory holding the file without its .gz suffix', async () => {
      const content = bytes('a,b\n1,2\n'.repeat(1000));
      await writeFile(path.join(work.dir, 'table.csv.gz'), new Uint8Array(gzipSync(content)));
      await downloader.download(fileUri(path.join(work.dir, 'table.csv.gz')), path.join(work.dir, 'out'), { unpack: true });
      assert.deepEqual(await readTree(path.join(work.dir, 'out')), { 'table.csv': content });
    });

    it('copies an archive unchanged without unpack', async () => {
      await tar.c({ file: path.join(work.dir, 'data.tar'), cwd: path.join(work.dir, 'src') }, ['.']);
      await downloader.download(fileUri(path.join(work.dir, 'data.tar')), path.join(work.dir, 'out.tar'));
      assert.deepEqual(await readBytes(path.join(work.dir, 'out.tar')), await readBytes(path.join(work.dir, 'data.tar')));
    });

    it('copies a file whose name is not an archive unchanged, even with unpack', async () => {
      await downloader.download(fileUri(path.join(work.dir, 'src', 'a.txt')), path.join(work.dir, 'out'), { unpack: true });
      assert.deepEqual(await readBytes(path.join(work.dir, 'out')), tree['a.txt']);
    });

    it('says clearly that zip archives are not supported, writing nothing', async () => {
      await writeFile(path.join(work.dir, 'data.zip'), 'PK\x03\x04');
      const dest = path.join(work.dir, 'out');
      const err = await accioError(() => downloader.download(fileUri(path.join(work.dir, 'data.zip')), dest, { unpack: true }));
      assert.equal(err.code, 'INVALID');
      assert.match(err.message, /zip archives are not supported/);
      await assertNothingWritten(dest);
    });

    it('rejects a corrupt archive as INVALID, writing nothing', async () => {
      await writeFile(path.join(work.dir, 'bad.tar.gz'), 'not gzip at all, not tar either'.repeat(40));
      const dest = path.join(work.dir, 'out');
      const err = await accioError(() => downloader.download(fileUri(path.join(work.dir, 'bad.tar.gz')), dest, { unpack: true }));
      assert.equal(err.code, 'INVALID');
      await assertNothingWritten(dest);
    });

    it('refuses a tar entry that climbs out with "..", writing nothing', async () => {
      await mkdir(path.join(work.dir, 'deep', 'cwd'), { recursive: true });
      await writeFile(path.join(work.dir, 'deep', 'evil.txt'), 'evil');
      await tar.c({ file: path.join(work.dir, 'evil.tar'), cwd: path.join(work.dir, 'deep', 'cwd'), preservePaths: true }, ['../evil.txt']);
      const dest = path.join(work.dir, 'deep', 'out');
      const err = await accioError(() => downloader.download(fileUri(path.join(work.dir, 'evil.tar')), dest, { unpack: true }));
      assert.equal(err.code, 'INVALID');
      await assertNothingWritten(dest);
    });

    it('refuses a tar symlink pointing out of the archive, writing nothing', async () => {
      await symlink('/etc/passwd', path.join(work.dir, 'src', 'passwd'));
      await tar.c({ file: path.join(work.dir, 'link.tar'), cwd: path.join(work.dir, 'src') }, ['.']);
      const dest = path.join(work.dir, 'out');
      const err = await accioError(() => downloader.download(fileUri(path.join(work.dir, 'link.tar')), dest, { unpack: true }));
      assert.equal(err.code, 'INVALID');
      assert.match(err.message, /passwd links out of the archive/);
      await assertNothingWritten(dest);
    });
  });

  describe('URIs', () => {
    it('rejects an unsupported scheme with INVALID, naming the supported ones', async () => {
      const err = await accioError(() => downloader.download('s3://bucket/key', path.join(work.dir, 'out')));
      assert.equal(err.code, 'INVALID');
      assert.match(err.message, /s3:\/\//);
      assert.match(err.message, /file:\/\/, http:\/\/, https:\/\//);
    });

    it('rejects something that is not a URI with INVALID', async () => {
      const err = await accioError(() => downloader.download('just/a/path', path.join(work.dir, 'out')));
      assert.equal(err.code, 'INVALID');
    });
  });
});
