/**
 * The SQLite schema and its migrations. Migration N takes a database from version N to N+1; they
 * run in order at open, in one immediate transaction, so two processes opening the same file at
 * once migrate it once. Never edit a released migration: append a new one.
 */
import type { Database } from 'better-sqlite3';
import { AccioError } from '../../../core/errors';

const V1 = `
CREATE TABLE workflows (
  id         TEXT    NOT NULL,
  version    TEXT    NOT NULL,
  active     INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  owner      TEXT,
  name       TEXT,
  -- Lower-cased name and id/name/owner, for case-insensitive substring filters.
  name_lc    TEXT,
  text       TEXT    NOT NULL,
  doc        TEXT    NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE INDEX workflows_active_id ON workflows (active, id);

-- A run is stored as its summary (the run without node results: what listings return) plus its
-- node results by node name; getRun joins them. Storing the whole run beside its summary would
-- nearly double every row and push typical rows past a page into overflow pages.
-- Column order matters: SQLite reads a row's columns in order, so the filter columns and the
-- summary come before the results.
CREATE TABLE runs (
  id          TEXT    PRIMARY KEY,
  parent      TEXT,
  created_at  INTEGER NOT NULL,
  owner       TEXT,
  name        TEXT,
  name_lc     TEXT,
  workflow_id TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  text        TEXT    NOT NULL,
  summary     TEXT    NOT NULL,
  results     TEXT
);
-- Every listing is either top-level (parent IS NULL) or one parent's children, newest first: each
-- index ends with (parent, created_at, id) so the filter and the order come from one index scan.
-- The first also covers free text: a search scans this index, never the big rows it points to.
CREATE INDEX runs_parent_created   ON runs (parent, created_at, id, text);
CREATE INDEX runs_status_parent    ON runs (status, parent, created_at, id);
CREATE INDEX runs_workflow_parent  ON runs (workflow_id, parent, created_at, id);
CREATE INDEX runs_owner_parent     ON runs (owner, parent, created_at, id);

CREATE TABLE run_tags (
  run_id TEXT NOT NULL,
  tag    TEXT NOT NULL,
  PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;
CREATE INDEX run_tags_tag ON run_tags (tag, run_id);

CREATE TABLE tasks (
  id         TEXT    PRIMARY KEY,
  run_id     TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  doc        TEXT    NOT NULL
);
CREATE INDEX tasks_run ON tasks (run_id);

-- seq is the rowid: it grows with every append, so it orders lines of equal time as appended.
CREATE TABLE logs (
  seq     INTEGER PRIMARY KEY,
  run_id  TEXT    NOT NULL,
  node    TEXT    NOT NULL,
  stream  TEXT    NOT NULL,
  at_ms   INTEGER NOT NULL,
  message TEXT    NOT NULL
);
CREATE INDEX logs_run_node_at ON logs (run_id, node, at_ms, seq);

CREATE TABLE cache (
  key TEXT PRIMARY KEY,
  doc TEXT NOT NULL
);
`;

/** Migration i takes the schema from version i to i + 1. */
const MIGRATIONS: readonly string[] = [V1];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to SCHEMA_VERSION; a no-op on an up-to-date database.
 * Throws an INVALID AccioError for a database written by a newer Accio.
 * @returns the version found before migrating (0 for a new database).
 */
export function migrate(db: Database): number {
  return db
    .transaction((): number => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
      const found = row?.version ?? 0;
      if (found > SCHEMA_VERSION) {
        throw new AccioError('INVALID', `the storage database has schema version ${found}, newer than this Accio's (${SCHEMA_VERSION})`, {
          actions: ['Upgrade Accio, or point the sqlite storage at another file.'],
        });
      }
      for (let v = found; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]);
      if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
      else if (found !== SCHEMA_VERSION) db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION);
      return found;
    })
    .immediate();
}
