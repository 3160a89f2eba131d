import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { MIGRATIONS, type Migration } from './migrations';

export interface MigrationOutcome {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly applied: readonly string[];
}

/**
 * Brings the database to the newest schema this build knows: every pending migration in ONE
 * transaction that also bumps `user_version`, so a crash leaves the old schema or the new one,
 * never a mix. A database from a newer Fieldrun is refused, never "repaired" down.
 *
 * Foreign keys are switched off around the transaction (SQLite ignores the pragma inside one) so
 * a migration may rebuild a table the SQLite way; `foreign_key_check` must then be clean before
 * COMMIT.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): MigrationOutcome {
  checkMigrationList(migrations);
  const latest = migrations.length;
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > latest) {
    throw new AppError(
      'STORE_TOO_NEW',
      `This data folder was written by a newer Fieldrun (database version ${current}; this Fieldrun knows up to ${latest}). Update Fieldrun to open it; nothing was changed.`,
      { databaseVersion: current, supportedVersion: latest, dbPath: db.name },
    );
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return { fromVersion: current, toVersion: current, applied: [] };

  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const migration of pending) migration.up(db);
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new AppError('INTERNAL', `A migration to database version ${latest} broke foreign keys; nothing was changed. Please report this bug.`, {
          violations: violations.slice(0, 10),
        });
      }
      db.pragma(`user_version = ${latest}`);
    }).immediate();
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return { fromVersion: current, toVersion: latest, applied: pending.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`) };
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new AppError('INTERNAL', `Migration "${migration.name}" has version ${migration.version} at position ${index + 1}; versions must run 1, 2, 3… without gaps.`);
    }
  });
}
