import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { applyMigrations, MIGRATIONS } from '../../../../electron/core/store';
import { tempDir } from '../support';

const HASH = 'c'.repeat(64);
const T = '2026-01-01T00:00:00.000Z';
const FILES = JSON.stringify([{ name: 'manifest.json.sig', size: 3, sha256: 'a'.repeat(64) }]);
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function database(): Database.Database {
  const db = new Database(join(tempDir(), 'fieldrun.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  open.push(db);
  return db;
}

function seedVersion1(db: Database.Database): void {
  applyMigrations(db, MIGRATIONS.slice(0, 1));
  db.prepare(
    `INSERT INTO plans (hash, plan_id, version, title, bytes, size, parsed_json, source_json, imported_at, signature_status, signature_json)
     VALUES (?, 'p', '1', 'P', x'0102', 2, '{}', '{}', ?, 'unsigned', '{}')`,
  ).run(HASH, T);
  db.prepare('INSERT INTO runs (id, plan_hash, created_at) VALUES (?, ?, ?)').run('r1', HASH, T);
  db.prepare("INSERT INTO journal VALUES ('r1', 1, ?, 5, 'run.created', '{}', ?, ?)").run(T, '0'.repeat(64), '1'.repeat(64));
}

const insertEntry = (db: Database.Database, seq = 1, state = 'queued'): number =>
  Number(
    db
      .prepare(
        `INSERT INTO outbox (run_id, export_seq, site_slug, bundle_dir, files, signature_name, state, created_at, updated_at, delivered_at)
         VALUES ('r1', ?, 'depot', '/b', ?, 'manifest.json.sig', ?, ?, ?, ?)`,
      )
      .run(seq, FILES, state, T, T, state === 'delivered' ? T : null).lastInsertRowid,
  );

const columns = (db: Database.Database, table: string): string[] =>
  db
    .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
    .all()
    .map((c) => c.name);

describe('migration 0002-outbox', () => {
  test('on an empty database: both versions apply in one go and create the outbox and sync log', () => {
    const db = database();
    expect(applyMigrations(db)).toEqual({ fromVersion: 0, toVersion: 2, applied: ['0001-initial', '0002-outbox'] });
    expect(columns(db, 'outbox')).toEqual([
      'id', 'run_id', 'export_seq', 'site_slug', 'bundle_dir', 'files', 'signature_name', 'state', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'updated_at', 'delivered_at',
    ]);
    expect(columns(db, 'sync_log')).toEqual(['id', 'time', 'outbox_id', 'event', 'detail']);
  });

  test('on a version-1 database with data: the data stays, the new tables start empty', () => {
    const db = database();
    seedVersion1(db);
    expect(applyMigrations(db)).toEqual({ fromVersion: 1, toVersion: 2, applied: ['0002-outbox'] });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT id, plan_hash FROM runs').all()).toEqual([{ id: 'r1', plan_hash: HASH }]);
    expect(db.prepare('SELECT count(*) AS n FROM journal').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM sync_log').get()).toEqual({ n: 0 });
    insertEntry(db);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  test('nothing is deleted, a bundle never changes, delivered is final, the log is append-only', () => {
    const db = database();
    seedVersion1(db);
    applyMigrations(db);
    const id = insertEntry(db);
    expect(() => db.prepare('DELETE FROM outbox').run()).toThrow(/never deleted/);
    expect(() => db.prepare("UPDATE outbox SET bundle_dir = '/other' WHERE id = ?").run(id)).toThrow(/keeps its bundle/);
    expect(() => db.prepare("UPDATE outbox SET files = '[]' WHERE id = ?").run(id)).toThrow(/keeps its bundle/);
    db.prepare("UPDATE outbox SET state = 'delivered', delivered_at = ? WHERE id = ?").run(T, id);
    expect(() => db.prepare("UPDATE outbox SET state = 'queued', delivered_at = NULL WHERE id = ?").run(id)).toThrow(/final/);
    db.prepare("INSERT INTO sync_log (time, outbox_id, event, detail) VALUES (?, ?, 'delivered', '{}')").run(T, id);
    expect(() => db.prepare("UPDATE sync_log SET event = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM sync_log').run()).toThrow(/append-only/);
  });

  test('constraints refuse malformed entries: unknown states, unsafe slugs, unknown runs, a second entry for one export', () => {
    const db = database();
    seedVersion1(db);
    applyMigrations(db);
    insertEntry(db, 1);
    expect(() => insertEntry(db, 1)).toThrow(/UNIQUE/);
    expect(() => insertEntry(db, 2, 'lost')).toThrow(/CHECK/);
    expect(() => insertEntry(db, 0)).toThrow(/CHECK/);
    const insert = db.prepare(
      `INSERT INTO outbox (run_id, export_seq, site_slug, bundle_dir, files, signature_name, state, created_at, updated_at) VALUES (?, 3, ?, '/b', ?, 's', 'queued', ?, ?)`,
    );
    expect(() => insert.run('r1', '../x', FILES, T, T)).toThrow(/CHECK/);
    expect(() => insert.run('r1', 'depot', 'not json', T, T)).toThrow(/CHECK/);
    expect(() => insert.run('no-such-run', 'depot', FILES, T, T)).toThrow(/FOREIGN KEY/);
    // delivered needs its time, and only delivered has one
    expect(() => db.prepare("UPDATE outbox SET state = 'delivered' WHERE export_seq = 1").run()).toThrow(/CHECK/);
  });
});
