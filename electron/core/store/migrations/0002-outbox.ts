import type Database from 'better-sqlite3';
import type { Migration } from './migration';

// The outbox: exported report bundles waiting for head office, and the sync log the UI shows.
// Nothing here is ever deleted: a bundle stays recorded after delivery, and the log is append-only.
const SQL = `
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs (id),
  export_seq INTEGER NOT NULL CHECK (export_seq >= 1),
  site_slug TEXT NOT NULL CHECK (length(site_slug) BETWEEN 1 AND 64 AND site_slug NOT GLOB '*[^a-z0-9-]*'),
  bundle_dir TEXT NOT NULL CHECK (length(bundle_dir) >= 1),
  files TEXT NOT NULL CHECK (json_valid(files) AND json_type(files) = 'array'),
  signature_name TEXT NOT NULL CHECK (length(signature_name) >= 1),
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'conflict', 'failed-permanently')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT,
  last_error TEXT CHECK (last_error IS NULL OR json_valid(last_error)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  delivered_at TEXT,
  UNIQUE (run_id, export_seq),
  CHECK ((state = 'delivered') = (delivered_at IS NOT NULL))
) STRICT;
CREATE INDEX outbox_by_state_due ON outbox (state, next_attempt_at, id);

-- What was exported is what is sent: an entry keeps its bundle for life.
CREATE TRIGGER outbox_bundle_immutable
BEFORE UPDATE OF id, run_id, export_seq, site_slug, bundle_dir, files, signature_name, created_at ON outbox
BEGIN SELECT RAISE(ABORT, 'an outbox entry keeps its bundle'); END;
-- Delivered is final: nothing may send it again or take the delivery back.
CREATE TRIGGER outbox_delivered_final
BEFORE UPDATE OF state, delivered_at ON outbox WHEN OLD.state = 'delivered'
BEGIN SELECT RAISE(ABORT, 'a delivered outbox entry is final'); END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox entries are never deleted'); END;

CREATE TABLE sync_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  outbox_id INTEGER REFERENCES outbox (id),
  event TEXT NOT NULL CHECK (length(event) BETWEEN 1 AND 100),
  detail TEXT NOT NULL CHECK (json_valid(detail))
) STRICT;
CREATE INDEX sync_log_by_outbox ON sync_log (outbox_id, id);
CREATE TRIGGER sync_log_no_update BEFORE UPDATE ON sync_log
BEGIN SELECT RAISE(ABORT, 'the sync log is append-only'); END;
CREATE TRIGGER sync_log_no_delete BEFORE DELETE ON sync_log
BEGIN SELECT RAISE(ABORT, 'the sync log is append-only'); END;
`;

export const outbox: Migration = {
  version: 2,
  name: 'outbox',
  up(db: Database.Database): void {
    db.exec(SQL);
  },
};
