import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { applyMigrations, MIGRATIONS } from '../../../../electron/core/store';
import { tempDir } from '../support';

const HASH = 'c'.repeat(64);
let db: Database.Database;

beforeEach(() => {
  // The version before 0001 is the empty database: there is no older data to carry over.
  db = new Database(join(tempDir(), 'fieldrun.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, MIGRATIONS.slice(0, 1));
  return () => db.close();
});

const columns = (table: string): string[] =>
  db
    .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
    .all()
    .map((c) => c.name);

const insertPlan = (): void => {
  db.prepare(
    `INSERT INTO plans (hash, plan_id, version, title, bytes, size, parsed_json, source_json, imported_at, signature_status, signature_json)
     VALUES (?, 'p', '1', 'P', x'0102', 2, '{}', '{}', '2026-01-01T00:00:00.000Z', 'valid-untrusted', '{}')`,
  ).run(HASH);
  db.prepare("INSERT INTO runs (id, plan_hash, created_at) VALUES ('r1', ?, '2026-01-01T00:00:00.000Z')").run(HASH);
};

describe('migration 0001-initial on an empty database', () => {
  test('creates the tables with their columns and sets user_version 1', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(columns('plans')).toEqual([
      'hash', 'plan_id', 'version', 'title', 'bytes', 'size', 'parsed_json', 'source_json', 'imported_at', 'signature_status', 'signature_json', 'acknowledgement_json',
    ]);
    expect(columns('plan_artifacts')).toEqual(['plan_hash', 'artifact_id', 'path', 'sha256', 'size']);
    expect(columns('runs')).toEqual(['id', 'plan_hash', 'created_at', 'label']);
    expect(columns('journal')).toEqual(['run_id', 'seq', 'time_utc', 'mono_ns', 'type', 'payload', 'prev_hash', 'hash']);
    expect(columns('output_chunks')).toEqual(['run_id', 'stream', 'idx', 'byte_offset', 'size', 'data', 'sha256']);
  });

  test('plans are immutable: content cannot change, the acknowledgement is set once, nothing is deleted', () => {
    insertPlan();
    expect(() => db.prepare("UPDATE plans SET title = 'other' WHERE hash = ?").run(HASH)).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE plans SET bytes = x'00', size = 1 WHERE hash = ?").run(HASH)).toThrow(/immutable/);
    db.prepare(`UPDATE plans SET acknowledgement_json = '{"by":"tech"}' WHERE hash = ?`).run(HASH);
    expect(() => db.prepare(`UPDATE plans SET acknowledgement_json = '{"by":"other"}' WHERE hash = ?`).run(HASH)).toThrow(/once/);
    expect(() => db.prepare('DELETE FROM plans').run()).toThrow(/never deleted/);
    expect(() => db.prepare("UPDATE runs SET plan_hash = 'x' WHERE id = 'r1'").run()).toThrow(/keeps/);
    expect(() => db.prepare('DELETE FROM runs').run()).toThrow(/never deleted/);
  });

  test('the journal and output chunks are append-only', () => {
    insertPlan();
    db.prepare("INSERT INTO journal VALUES ('r1', 1, '2026-01-01T00:00:00.000Z', 5, 'run.created', '{}', ?, ?)").run('0'.repeat(64), '1'.repeat(64));
    expect(() => db.prepare("UPDATE journal SET payload = '{\"x\":1}'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
    db.prepare("INSERT INTO output_chunks VALUES ('r1', 's', 0, 0, 2, x'0102', ?)").run('2'.repeat(64));
    expect(() => db.prepare("UPDATE output_chunks SET data = x'0000'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM output_chunks').run()).toThrow(/append-only/);
  });

  test('constraints refuse malformed rows: strict types, bounded chunks, known runs', () => {
    insertPlan();
    const chunk = db.prepare('INSERT INTO output_chunks VALUES (?, ?, ?, ?, ?, ?, ?)');
    expect(() => chunk.run('r1', 's', 0, 0, 65_537, Buffer.alloc(65_537), '2'.repeat(64))).toThrow(/CHECK/);
    expect(() => chunk.run('r1', 's', 0, 0, 3, Buffer.alloc(2), '2'.repeat(64))).toThrow(/CHECK/);
    expect(() => chunk.run('no-such-run', 's', 0, 0, 2, Buffer.alloc(2), '2'.repeat(64))).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO journal VALUES ('r1', 'one', 't', 5, 'x', '{}', ?, ?)").run('0'.repeat(64), '1'.repeat(64))).toThrow(/cannot store TEXT/);
    expect(() =>
      db.prepare("INSERT INTO plans (hash, plan_id, version, title, bytes, size, parsed_json, source_json, imported_at, signature_status, signature_json) VALUES (?, 'p', '1', 'P', x'00', 1, '{}', '{}', 't', 'maybe', '{}')").run('d'.repeat(64)),
    ).toThrow(/CHECK/);
  });
});
