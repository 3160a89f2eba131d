import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../shared/errors';
import { systemClock, type Clock } from './clock';
import { applyConnectionSettings, assertSafeSettings, readConnectionSettings } from './connectionSettings';
import { acquireDataFolderLock, type DataFolderLock } from './dataFolderLock';
import { applyMigrations, type MigrationOutcome } from './migrate';
import { createOutputStore, type OutputStore } from './outputStore';
import { createPlansRepository, type PlansRepository } from './plansRepository';
import { createQueryTimer, type SlowQueryListener } from './queryTiming';
import { createRunJournal, type RunJournal } from './runJournal';
import { createRunsRepository, type RunsRepository } from './runsRepository';
import { guarded } from './storeErrors';
import { betterSqliteOptions } from './nativeBinding';

export const DATABASE_FILE = 'fieldrun.db';

export interface StoreOptions {
  readonly dataDir: string;
  readonly clock?: Clock;
  /** Hears of every store operation slower than 40 ms. */
  readonly onSlowQuery?: SlowQueryListener;
}

export interface Store {
  /** The raw connection, for migrations, tests and diagnostics; product code goes through the repositories. */
  readonly db: Database.Database;
  readonly dataDir: string;
  readonly dbPath: string;
  readonly migration: MigrationOutcome;
  readonly journal: RunJournal;
  readonly output: OutputStore;
  readonly plans: PlansRepository;
  readonly runs: RunsRepository;
  /** Flushes open output writers, closes the database and releases the data-folder lock. */
  close(): void;
}

/**
 * Opens the data folder: takes its lock (one process at a time), opens `fieldrun.db` with the
 * settings the journal's promise needs (refusing to run without them) and migrates it.
 */
export function openStore(options: StoreOptions): Store {
  const dataDir = resolve(options.dataDir);
  const clock = options.clock ?? systemClock;
  const dbPath = join(dataDir, DATABASE_FILE);
  createDataDir(dataDir);
  const lock = guarded('store.open', () => acquireDataFolderLock(dataDir));
  let db: Database.Database | undefined;
  try {
    return guarded('store.open', () => {
      db = new Database(dbPath, betterSqliteOptions());
      assertSafeSettings(applyConnectionSettings(db), dbPath);
      const migration = applyMigrations(db);
      assertSafeSettings(readConnectionSettings(db), dbPath);
      return assemble(db, dataDir, dbPath, migration, clock, lock, options.onSlowQuery);
    });
  } catch (error) {
    db?.close();
    lock.release();
    throw error;
  }
}

function assemble(
  db: Database.Database,
  dataDir: string,
  dbPath: string,
  migration: MigrationOutcome,
  clock: Clock,
  lock: DataFolderLock,
  onSlowQuery: SlowQueryListener | undefined,
): Store {
  const timer = createQueryTimer(onSlowQuery);
  const journal = createRunJournal(db, clock, timer);
  const output = createOutputStore(db, timer);
  let open = true;
  return {
    db,
    dataDir,
    dbPath,
    migration,
    journal,
    output,
    plans: createPlansRepository(db, clock, timer),
    runs: createRunsRepository(db, clock, timer, journal),
    close(): void {
      if (!open) return;
      open = false;
      try {
        output.closeAll();
      } finally {
        db.close();
        lock.release();
      }
    },
  };
}

function createDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AppError('STORE_IO_FAILED', `Fieldrun could not create its data folder ${dataDir}. Check that the disk is writable, or choose another folder.`, {
      dataDir,
      errno: (error as NodeJS.ErrnoException).code,
    });
  }
}
