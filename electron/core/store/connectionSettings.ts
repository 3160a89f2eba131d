import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';

/** The settings the store's durability promise rests on, as SQLite reports them back. */
export interface ConnectionSettings {
  readonly journalMode: string;
  readonly synchronous: number;
  readonly foreignKeys: number;
}

const SYNCHRONOUS_FULL = 2;
export const BUSY_TIMEOUT_MS = 5_000;
// A big ingest grows the WAL; after a checkpoint SQLite truncates it back to this size.
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
/**
 * Output is most of what the store holds, in rows of up to 64 KiB. On SQLite's default 4 KiB pages
 * such a row spans 16 overflow pages, each its own WAL frame and write() — twice, once more when
 * checkpointed; on 64 KiB pages a row (cut at ROW_BYTES) fits one page. Measured on the 2-core
 * machine: output ingestion (the store alone) 273 → 423 MB/s; the price is paid by
 * one-event commits (7,300 → 4,800 events/s, far above what a run produces). A page size only
 * takes effect on a new, empty database: folders created before keep 4 KiB pages and work as before.
 */
export const PAGE_SIZE_BYTES = 64 * 1024;

/**
 * Sets and reads back the connection's settings. The order matters: this SQLite build defaults to
 * synchronous=NORMAL on entering WAL (SQLITE_DEFAULT_WAL_SYNCHRONOUS=1), which may lose the last
 * commits on power loss, so FULL is set after the journal mode. A file system without shared
 * memory or locking support silently keeps the old journal mode: reading back catches that.
 */
export function applyConnectionSettings(db: Database.Database): ConnectionSettings {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Before journal_mode: entering WAL writes the file's header, after which the size is fixed.
  db.pragma(`page_size = ${PAGE_SIZE_BYTES}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // macOS: plain fsync() does not flush the drive's cache; F_FULLFSYNC does. No-op elsewhere.
  db.pragma('fullfsync = ON');
  db.pragma('checkpoint_fullfsync = ON');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  // Schema objects (triggers, views) may not call application functions: a tampered file must
  // not run code in the core.
  db.pragma('trusted_schema = OFF');
  return readConnectionSettings(db);
}

export function readConnectionSettings(db: Database.Database): ConnectionSettings {
  return {
    journalMode: String(db.pragma('journal_mode', { simple: true })).toLowerCase(),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
    foreignKeys: Number(db.pragma('foreign_keys', { simple: true })),
  };
}

/** Refuses to run on settings that break "acknowledged means on disk". */
export function assertSafeSettings(settings: ConnectionSettings, dbPath: string): void {
  const problems: string[] = [];
  if (settings.journalMode !== 'wal') problems.push(`journal_mode is ${settings.journalMode}, not wal`);
  if (settings.synchronous !== SYNCHRONOUS_FULL) problems.push(`synchronous is ${settings.synchronous}, not 2 (FULL)`);
  if (settings.foreignKeys !== 1) problems.push('foreign_keys is off');
  if (problems.length === 0) return;
  throw new AppError(
    'STORE_UNSAFE_SETTINGS',
    `The database ${dbPath} cannot be opened safely (${problems.join('; ')}). Move the data folder to a local disk (not a network share), then start Fieldrun again.`,
    { dbPath, ...settings },
  );
}
