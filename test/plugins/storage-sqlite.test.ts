import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { AccioError, UnavailableError } from '../../src/core/errors';
import { SCHEMA_VERSION, SqliteStorage } from '../../src/plugins/storage/sqlite';
import { storageContract } from '../contract/storage';
import { aLogLine, aRun, aTask, aWorkflow, randomHex64 } from '../support/builders';

/** A fresh directory per test, removed with everything in it (database, WAL, shared memory). */
function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'accio-sqlite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Commits in the write-ahead log since it was last restarted: frames whose header names the
 * database size after the commit, carrying the salts of the current WAL header (older frames left
 * in the file from before a restart carry other salts).
 */
function walCommits(walPath: string): number {
  const wal = readFileSync(walPath);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

describe('SqliteStorage', () => {
  storageContract(async () => {
    const { dir, remove } = tempDir();
    const storage = new SqliteStorage({ path: path.join(dir, 'accio.db') });
    return {
      storage,
      cleanup: async () => {
        await storage.close();
        remove();
      },
    };
  });

  describe('on a file', () => {
    let dir: string;
    let remove: () => void;
    let file: string;
    const opened: SqliteStorage[] = [];
    const connections: Sqlite.Database[] = [];
    const open = (options: { busyTimeoutMs?: number } = {}) => {
      const storage = new SqliteStorage({ path: file, ...options });
      opened.push(storage);
      return storage;
    };
    /** A second, raw connection to the same file, closed after the test. */
    const raw = () => {
      const db = new Sqlite(file);
      connections.push(db);
      return db;
    };

    beforeEach(() => {
      ({ dir, remove } = tempDir());
      file = path.join(dir, 'accio.db');
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      for (const db of connections.splice(0)) if (db.open) db.close();
      remove();
    });

    it('keeps workflows, runs, tasks, logs and cache entries across close and reopen', async () => {
      const workflow = aWorkflow();
      const run = aRun({ workflow: { id: workflow.id, version: workflow.version }, tags: ['kept'] });
      const task = aTask({ runId: run.id });
      const line = aLogLine({ runId: run.id });
      const entry = { key: randomHex64(), result: { outputs: { n: 1 }, metrics: {} }, runId: run.id, node: 'Source', createdAtMs: 1 };
      const first = open();
      await first.saveWorkflow(workflow);
      await first.saveRun(run);
      await first.saveTask(task);
      await first.appendLogs([line]);
      await first.saveCacheEntry(entry);
      await first.close();

      const second = open();
      assert.deepEqual(await second.getWorkflow(workflow.id), workflow);
      assert.deepEqual(await second.getRun(run.id), run);
      assert.deepEqual((await second.listRuns({ tags: ['kept'], owner: run.owner })).results.map((r) => r.id), [run.id]);
      assert.deepEqual(await second.getTask(task.id), task);
      assert.deepEqual(await second.listLogs({ runId: run.id, node: line.node }), [line]);
      assert.deepEqual(await second.getCacheEntry(entry.key), entry);
    });

    it('migrates a new file to the current schema version once, and reopening changes nothing', async () => {
      await open().close();
      const schema = () => {
        const db = raw();
        return {
          versions: db.prepare('SELECT version FROM schema_version').all(),
          objects: db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all(),
        };
      };
      const before = schema();
      assert.deepEqual(before.versions, [{ version: SCHEMA_VERSION }]);
      await open().close();
      await open().close();
      assert.deepEqual(schema(), before);
    });

    it('refuses a database written by a newer schema version, with an INVALID error', async () => {
      await open().close();
      const db = raw();
      db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION + 1);
      db.close();
      assert.throws(() => open(), (err: unknown) => err instanceof AccioError && err.code === 'INVALID' && /newer/.test(err.message));
    });

    it('puts the file in write-ahead log mode', async () => {
      open();
      assert.equal(raw().pragma('journal_mode', { simple: true }), 'wal');
    });

    it('saves a 10,000-run sweep in one transaction', async () => {
      const storage = open();
      await storage.saveRun(aRun());
      raw().pragma('wal_checkpoint(TRUNCATE)');
      const parent = aRun({ state: { nodes: [] } });
      const children = Array.from({ length: 10_000 }, (_, i) => aRun({ parent: parent.id, createdAtMs: parent.createdAtMs + i }));
      parent.children = children.map((c) => c.id);

      await storage.saveRuns([parent, ...children]);

      assert.equal(walCommits(`${file}-wal`), 1);
      assert.equal((await storage.listRuns({ parent: parent.id, limit: 1 })).total, 10_000);
    });

    it('deleting a run removes its tags too', async () => {
      const storage = open();
      const run = aRun({ tags: ['a', 'b'] });
      await storage.saveRun(run);
      await storage.deleteRun(run.id);
      assert.deepEqual(raw().prepare('SELECT tag FROM run_tags WHERE run_id = ?').all(run.id), []);
    });

    it('keeps node results apart from the summary that listings read', async () => {
      const storage = open();
      const run = aRun();
      await storage.saveRun(run);
      const row = raw().prepare('SELECT summary, results FROM runs WHERE id = ?').get(run.id) as { summary: string; results: string };
      assert.ok(!JSON.parse(row.summary).state.nodes.some((n: object) => 'result' in n));
      assert.deepEqual(JSON.parse(row.results), { Source: run.state.nodes[0].result });
    });

    it('fails with a retryable UnavailableError when another process holds the write lock past the busy timeout', async () => {
      const storage = open({ busyTimeoutMs: 50 });
      const other = raw();
      other.exec('BEGIN IMMEDIATE');
      try {
        await assert.rejects(storage.saveRun(aRun()), (err: unknown) => err instanceof UnavailableError && err.retryable);
      } finally {
        other.exec('ROLLBACK');
      }
      await storage.saveRun(aRun());
    });
  });

  it('fails to open a file in a missing directory with an INVALID error naming the path', () => {
    const file = path.join(tmpdir(), `accio-missing-${process.pid}-${Date.now()}`, 'accio.db');
    assert.throws(
      () => new SqliteStorage({ path: file }),
      (err: unknown) => err instanceof AccioError && err.code === 'INVALID' && err.message.includes(file) && err.actions.length > 0,
    );
  });

  it('works on a private in-memory database', async () => {
    const storage = new SqliteStorage({ path: ':memory:' });
    try {
      const run = aRun();
      await storage.saveRun(run);
      assert.deepEqual(await storage.getRun(run.id), run);
    } finally {
      await storage.close();
    }
  });

  it('closing twice is harmless', async () => {
    const storage = new SqliteStorage({ path: ':memory:' });
    await storage.close();
    await storage.close();
  });
});
