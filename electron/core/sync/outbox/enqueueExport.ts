// Putting an exported bundle into the outbox. It runs inside the caller's transaction, so the
// report export recorded in the journal and its outbox entry commit together or not at all: a
// crash can never leave an export that will not be sent, or an entry for an export not recorded.
import type Database from 'better-sqlite3';
import { AppError } from '../../../../shared/errors';
import type { WallClock } from '../backoff';
import { NewOutboxEntrySchema, type OutboxEntry } from './outboxEntry';
import { toEntry, type OutboxRow } from './outboxRows';

interface EnqueueStatements {
  existing: Database.Statement<[string, number], { id: number }>;
  insert: Database.Statement<[string, number, string, string, string, string, string, string, string], OutboxRow>;
  log: Database.Statement<[string, number, string]>;
  lastSeq: Database.Statement<[string], { seq: number | null }>;
}

const prepared = new WeakMap<Database.Database, EnqueueStatements>();

function statements(db: Database.Database): EnqueueStatements {
  let set = prepared.get(db);
  if (set === undefined) {
    set = {
      existing: db.prepare('SELECT id FROM outbox WHERE run_id = ? AND export_seq = ?'),
      insert: db.prepare(
        `INSERT INTO outbox (run_id, export_seq, site_slug, bundle_dir, files, signature_name, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?) RETURNING *`,
      ),
      log: db.prepare("INSERT INTO sync_log (time, outbox_id, event, detail) VALUES (?, ?, 'enqueued', ?)"),
      lastSeq: db.prepare('SELECT max(export_seq) AS seq FROM outbox WHERE run_id = ?'),
    };
    prepared.set(db, set);
  }
  return set;
}

/**
 * Adds an exported bundle to the outbox, due at once. Call it inside the transaction that records
 * the export (`db.transaction(() => { journal.append(...); enqueueExport(store, entry, clock); })`);
 * called outside one it refuses, because a lone enqueue could outlive a failed export.
 */
export function enqueueExport(store: { readonly db: Database.Database }, entry: unknown, clock: WallClock): OutboxEntry {
  const db = store.db;
  if (!db.inTransaction) {
    throw new AppError('INTERNAL', 'An export was put into the outbox outside the transaction that records it. This is a bug in Fieldrun; please report it.');
  }
  const parsed = NewOutboxEntrySchema.safeParse(entry);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.join('.');
    throw new AppError('OUTBOX_ENTRY_INVALID', `The exported bundle cannot go into the outbox: ${where} must be ${issue?.message ?? 'valid'}. Export the report again.`, {
      path: where,
    });
  }
  const value = parsed.data;
  const set = statements(db);
  if (set.existing.get(value.runId, value.exportSeq) !== undefined) {
    throw new AppError('OUTBOX_ENTRY_INVALID', `Export ${value.exportSeq} of run ${value.runId} is already in the outbox. A new export needs the next export number.`, {
      runId: value.runId,
      exportSeq: value.exportSeq,
    });
  }
  const now = clock.nowUtc().toISOString();
  const row = set.insert.get(value.runId, value.exportSeq, value.siteSlug, value.bundleDir, JSON.stringify(value.files), value.signatureName, now, now, now);
  if (row === undefined) throw new AppError('INTERNAL', 'The outbox entry was not stored. This is a bug in Fieldrun; please report it.');
  set.log.run(now, row.id, JSON.stringify({ runId: value.runId, exportSeq: value.exportSeq, files: value.files.length }));
  return toEntry(row);
}

/** The export number the run's next export takes: each export goes to its own folder on head office. */
export function nextExportSeq(store: { readonly db: Database.Database }, runId: string): number {
  return (statements(store.db).lastSeq.get(runId)?.seq ?? 0) + 1;
}
