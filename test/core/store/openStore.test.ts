import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assertSafeSettings, LATEST_SCHEMA_VERSION, openStore, type SlowQuery } from '../../../electron/core/store';
import { AppError } from '../../../shared/errors';
import { seedRun } from './seed';
import { tempDir, tempStore } from './support';

function thrown(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('openStore', () => {
  test('creates the data folder and runs with WAL, synchronous=FULL and foreign keys, as read back from SQLite', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = openStore({ dataDir });
    try {
      expect(existsSync(join(dataDir, 'fieldrun.db'))).toBe(true);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
      expect(store.migration).toEqual({ fromVersion: 0, toVersion: LATEST_SCHEMA_VERSION, applied: ['0001-initial', '0002-outbox'] });
    } finally {
      store.close();
    }
    // WAL is a property of the file: another connection sees it too.
    const other = new Database(join(dataDir, 'fieldrun.db'), { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
  });

  test('a new database gets 64 KiB pages; a database made with 4 KiB pages keeps them and its output', () => {
    const fresh = tempStore();
    expect(fresh.db.pragma('page_size', { simple: true })).toBe(65536);
    const dataDir = join(tempDir(), 'old');
    const created = openStore({ dataDir });
    const runId = seedRun(created);
    const early = Buffer.alloc(300_000, 0x61);
    const writer = created.output.openWriter(runId, 'out');
    writer.write(early);
    writer.close();
    created.close();
    // As an older Fieldrun left it: same content, 4 KiB pages (VACUUM rewrites the file).
    const raw = new Database(join(dataDir, 'fieldrun.db'));
    raw.pragma('journal_mode = DELETE');
    raw.pragma('page_size = 4096');
    raw.exec('VACUUM');
    raw.pragma('journal_mode = WAL');
    expect(raw.pragma('page_size', { simple: true })).toBe(4096);
    raw.close();
    const reopened = openStore({ dataDir });
    try {
      expect(reopened.db.pragma('page_size', { simple: true })).toBe(4096);
      const more = reopened.output.openWriter(runId, 'out');
      more.write(Buffer.alloc(100_000, 0x62));
      expect(more.close().length).toBe(400_000);
      expect(reopened.output.read(runId, 'out', { offset: 299_998, length: 4 }).toString()).toBe('aabb');
      expect(reopened.output.verify(runId, 'out')).toMatchObject({ ok: true, length: 400_000 });
    } finally {
      reopened.close();
    }
  });

  test('reopening keeps what was stored and applies no migration twice', () => {
    const dataDir = join(tempDir(), 'data');
    const first = openStore({ dataDir });
    const { plan } = first.plans.insert({
      bytes: Buffer.from('plan'),
      planId: 'p',
      version: '1',
      title: 'P',
      parsed: {},
      source: { kind: 'file', path: 'plan.yaml' },
      signature: { status: 'unsigned', details: null },
      artifacts: [],
    });
    first.close();
    const second = openStore({ dataDir });
    try {
      expect(second.migration.applied).toEqual([]);
      expect(second.plans.get(plan.hash)?.bytes.toString()).toBe('plan');
    } finally {
      second.close();
    }
  });

  test('a database from a newer Fieldrun is refused and left untouched', () => {
    const dataDir = join(tempDir(), 'data');
    openStore({ dataDir }).close();
    const raw = new Database(join(dataDir, 'fieldrun.db'));
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.exec('CREATE TABLE from_the_future (x)');
    raw.close();

    const error = thrown(() => openStore({ dataDir }));
    expect(error.code).toBe('STORE_TOO_NEW');
    expect(error.message).toContain(`database version ${LATEST_SCHEMA_VERSION + 1}`);
    expect(error.message).toContain('Update Fieldrun');
    // Refusing released the lock (the same refusal again, not STORE_LOCKED) and changed nothing.
    expect(thrown(() => openStore({ dataDir })).code).toBe('STORE_TOO_NEW');
    const after = new Database(join(dataDir, 'fieldrun.db'), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(after.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'from_the_future'").get()).toEqual({ n: 1 });
    after.close();
  });

  test('settings that break durability are refused with STORE_UNSAFE_SETTINGS', () => {
    const safe = { journalMode: 'wal', synchronous: 2, foreignKeys: 1 };
    expect(() => assertSafeSettings(safe, 'x.db')).not.toThrow();
    for (const unsafe of [
      { ...safe, journalMode: 'delete' },
      { ...safe, synchronous: 1 },
      { ...safe, foreignKeys: 0 },
    ]) {
      const error = thrown(() => assertSafeSettings(unsafe, 'x.db'));
      expect(error.code).toBe('STORE_UNSAFE_SETTINGS');
      expect(error.message).toMatch(/local disk/);
    }
  });

  test('a data folder that cannot be created is STORE_IO_FAILED', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    expect(thrown(() => openStore({ dataDir: join(file, 'data') })).code).toBe('STORE_IO_FAILED');
  });

  test('an operation slower than 40 ms is reported to onSlowQuery', () => {
    const slow: SlowQuery[] = [];
    const store = tempStore({ onSlowQuery: (query) => slow.push(query) });
    const { plan } = store.plans.insert({
      bytes: Buffer.from('plan'),
      planId: 'p',
      version: '1',
      title: 'P',
      parsed: {},
      source: {},
      signature: { status: 'unsigned', details: null },
      artifacts: [],
    });
    const { runId } = store.runs.create({ planHash: plan.hash });
    store.journal.appendMany(
      runId,
      Array.from({ length: 20_000 }, (_, i) => ({ type: 'test.bulk', payload: { i, text: 'z'.repeat(200) } })),
    );
    expect(slow.find((q) => q.label === 'journal.appendMany')?.ms).toBeGreaterThan(40);
  });
});
