import type Database from 'better-sqlite3';
import type { Migration } from './migration';

// Frozen: this is what every database in the field ran. Change the schema with a new migration.
const SQL = `
CREATE TABLE plans (
  hash TEXT PRIMARY KEY CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
  plan_id TEXT NOT NULL,
  version TEXT NOT NULL,
  title TEXT NOT NULL,
  bytes BLOB NOT NULL,
  size INTEGER NOT NULL CHECK (size = length(bytes)),
  parsed_json TEXT NOT NULL,
  source_json TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  signature_status TEXT NOT NULL CHECK (signature_status IN ('unsigned', 'valid-trusted', 'valid-untrusted', 'invalid')),
  signature_json TEXT NOT NULL,
  acknowledgement_json TEXT
) STRICT;
CREATE INDEX plans_by_imported_at ON plans (imported_at);
CREATE INDEX plans_by_plan_id ON plans (plan_id, version);

-- A plan is content-addressed: what was imported is what runs, and what the report cites.
CREATE TRIGGER plans_content_immutable
BEFORE UPDATE OF hash, plan_id, version, title, bytes, size, parsed_json, source_json, imported_at, signature_status, signature_json ON plans
BEGIN SELECT RAISE(ABORT, 'plans are immutable'); END;
-- The acknowledgement of an untrusted plan is given once and never taken back or rewritten.
CREATE TRIGGER plans_acknowledgement_once
BEFORE UPDATE OF acknowledgement_json ON plans WHEN OLD.acknowledgement_json IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a plan acknowledgement is recorded once'); END;
CREATE TRIGGER plans_no_delete BEFORE DELETE ON plans
BEGIN SELECT RAISE(ABORT, 'plans are never deleted'); END;

CREATE TABLE plan_artifacts (
  plan_hash TEXT NOT NULL REFERENCES plans (hash),
  artifact_id TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  size INTEGER NOT NULL CHECK (size >= 0),
  PRIMARY KEY (plan_hash, artifact_id)
) STRICT;
CREATE INDEX plan_artifacts_by_sha256 ON plan_artifacts (sha256);
CREATE TRIGGER plan_artifacts_immutable BEFORE UPDATE ON plan_artifacts
BEGIN SELECT RAISE(ABORT, 'plan artifacts are immutable'); END;
CREATE TRIGGER plan_artifacts_no_delete BEFORE DELETE ON plan_artifacts
BEGIN SELECT RAISE(ABORT, 'plan artifacts are never deleted'); END;

CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  plan_hash TEXT NOT NULL REFERENCES plans (hash),
  created_at TEXT NOT NULL,
  label TEXT
) STRICT;
CREATE INDEX runs_by_created_at ON runs (created_at);
CREATE INDEX runs_by_plan_hash ON runs (plan_hash);
CREATE TRIGGER runs_identity_immutable BEFORE UPDATE OF id, plan_hash, created_at ON runs
BEGIN SELECT RAISE(ABORT, 'a run keeps its id, plan and creation time'); END;
CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
BEGIN SELECT RAISE(ABORT, 'runs are never deleted'); END;

-- The run journal: the truth about a run. Hash-chained, append-only.
CREATE TABLE journal (
  run_id TEXT NOT NULL REFERENCES runs (id),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  time_utc TEXT NOT NULL,
  mono_ns INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  PRIMARY KEY (run_id, seq)
) STRICT;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;

-- Command output in bounded chunks: one row per chunk (appending to a row is quadratic), found
-- by byte offset without scanning.
CREATE TABLE output_chunks (
  run_id TEXT NOT NULL REFERENCES runs (id),
  stream TEXT NOT NULL CHECK (length(stream) BETWEEN 1 AND 200),
  idx INTEGER NOT NULL CHECK (idx >= 0),
  byte_offset INTEGER NOT NULL CHECK (byte_offset >= 0),
  size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 65536 AND size = length(data)),
  data BLOB NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  PRIMARY KEY (run_id, stream, idx),
  UNIQUE (run_id, stream, byte_offset)
) STRICT;
CREATE TRIGGER output_chunks_no_update BEFORE UPDATE ON output_chunks
BEGIN SELECT RAISE(ABORT, 'output chunks are append-only'); END;
CREATE TRIGGER output_chunks_no_delete BEFORE DELETE ON output_chunks
BEGIN SELECT RAISE(ABORT, 'output chunks are append-only'); END;
`;

export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db: Database.Database): void {
    db.exec(SQL);
  },
};
