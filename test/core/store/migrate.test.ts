import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { applyMigrations, MIGRATIONS, type Migration } from '../../../electron/core/store';
import { AppError } from '../../../shared/errors';
import { tempDir } from './support';

const initial = MIGRATIONS[0]!;

function freshDb(): Database.Database {
  const db = new Database(join(tempDir(), 'fieldrun.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  return db;
}

const tableNames = (db: Database.Database): string[] =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);

const seedPlanAndRun = (db: Database.Database): void => {
  db.prepare(
    `INSERT INTO plans (hash, plan_id, version, title, bytes, size, parsed_json, source_json, imported_at, signature_status, signature_json)
     VALUES (?, 'p', '1', 'P', x'00', 1, '{}', '{}', '2026-01-01T00:00:00.000Z', 'unsigned', 'null')`,
  ).run('a'.repeat(64));
  db.prepare("INSERT INTO runs (id, plan_hash, created_at, label) VALUES ('r1', ?, '2026-01-01T00:00:00.000Z', 'first')").run('a'.repeat(64));
};

// A later-style migration for these tests: rebuilds `runs` the SQLite way (new table, copy,
// drop, rename), which needs foreign keys off while it runs.
const rebuildRuns: Migration = {
  version: 2,
  name: 'rebuild-runs',
  up(db) {
    db.exec(`
      CREATE TABLE runs_next (id TEXT PRIMARY KEY, plan_hash TEXT NOT NULL REFERENCES plans (hash), created_at TEXT NOT NULL, label TEXT, site_note TEXT) STRICT;
      INSERT INTO runs_next (id, plan_hash, created_at, label) SELECT id, plan_hash, created_at, label FROM runs;
      DROP TABLE runs;
      ALTER TABLE runs_next RENAME TO runs;
    `);
  },
};

function refusal(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('applyMigrations', () => {
  test('applies every pending migration in one transaction and bumps user_version once', () => {
    const db = freshDb();
    const outcome = applyMigrations(db, [initial, rebuildRuns]);
    expect(outcome).toEqual({ fromVersion: 0, toVersion: 2, applied: ['0001-initial', '0002-rebuild-runs'] });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  test('a later migration keeps the data of a database at the previous version', () => {
    const db = freshDb();
    applyMigrations(db, [initial]);
    seedPlanAndRun(db);
    expect(applyMigrations(db, [initial, rebuildRuns]).applied).toEqual(['0002-rebuild-runs']);
    expect(db.prepare('SELECT id, label, site_note FROM runs').all()).toEqual([{ id: 'r1', label: 'first', site_note: null }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  test('a failing migration leaves the database exactly as it was', () => {
    const db = freshDb();
    const failing: Migration = {
      version: 2,
      name: 'fails-halfway',
      up(inner) {
        inner.exec('CREATE TABLE half_done (x)');
        throw new Error('boom');
      },
    };
    expect(() => applyMigrations(db, [initial, failing])).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tableNames(db)).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  test('a migration that breaks foreign keys is rolled back', () => {
    const db = freshDb();
    applyMigrations(db, [initial]);
    seedPlanAndRun(db);
    const orphaning: Migration = {
      version: 2,
      name: 'orphans-runs',
      up(inner) {
        inner.exec("INSERT INTO runs (id, plan_hash, created_at) VALUES ('r2', '" + 'b'.repeat(64) + "', '2026-01-01T00:00:00.000Z')");
      },
    };
    expect(refusal(() => applyMigrations(db, [initial, orphaning])).code).toBe('INTERNAL');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id FROM runs').all()).toEqual([{ id: 'r1' }]);
    db.close();
  });

  test('a database newer than the known migrations is refused (STORE_TOO_NEW), never migrated down', () => {
    const db = freshDb();
    applyMigrations(db, [initial, rebuildRuns]);
    const error = refusal(() => applyMigrations(db, [initial]));
    expect(error.code).toBe('STORE_TOO_NEW');
    expect(error.details).toMatchObject({ databaseVersion: 2, supportedVersion: 1 });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  test('migration versions must run 1, 2, 3 without gaps', () => {
    const db = freshDb();
    expect(refusal(() => applyMigrations(db, [initial, { ...rebuildRuns, version: 3 }])).code).toBe('INTERNAL');
    db.close();
  });

  test('every migration has its own test file', () => {
    for (const migration of MIGRATIONS) {
      const name = `${String(migration.version).padStart(4, '0')}-${migration.name}.test.ts`;
      expect(existsSync(join(import.meta.dirname, 'migrations', name)), name).toBe(true);
    }
  });
});
