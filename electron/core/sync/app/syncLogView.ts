// The sync log as the technician reads it: newest first, a page at a time, each record said in a
// sentence. The stored detail is data for diagnostics; the sentence is built from it here.
import type Database from 'better-sqlite3';
import { guarded } from '../../store/storeErrors';
import type { SyncLogRecord } from '../outbox/outboxEntry';
import { toLogRecord, type SyncLogRow } from '../outbox/outboxRows';

export interface SyncLogLine {
  readonly id: number;
  readonly at: string;
  readonly outboxId: number | null;
  readonly event: string;
  readonly message: string;
}

const pages = new WeakMap<Database.Database, Database.Statement<[number, number], SyncLogRow>>();

/** Records before `beforeId` (all when absent), newest first. */
export function syncLogPage(db: Database.Database, beforeId: number | undefined, limit: number): SyncLogLine[] {
  let statement = pages.get(db);
  if (statement === undefined) {
    statement = db.prepare<[number, number], SyncLogRow>('SELECT * FROM sync_log WHERE id < ? ORDER BY id DESC LIMIT ?');
    pages.set(db, statement);
  }
  const page = statement;
  return guarded('outbox.logPage', () => page.all(beforeId ?? Number.MAX_SAFE_INTEGER, limit).map(toLogRecord)).map((record) => ({
    id: record.id,
    at: record.time,
    outboxId: record.outboxId,
    event: record.event,
    message: describe(record),
  }));
}

function describe(record: SyncLogRecord): string {
  const d = record.detail;
  const error = errorMessage(d['error']);
  switch (record.event) {
    case 'enqueued':
      return `Export ${String(d['exportSeq'] ?? '?')} of run ${String(d['runId'] ?? '?')} joined the outbox.`;
    case 'sending':
      return `Sending to head office (attempt ${String(d['attempts'] ?? '?')}).`;
    case 'delivered':
      return typeof d['folder'] === 'string' && d['folder'] !== '' ? `Delivered to head office (${d['folder']}).` : 'Delivered to head office.';
    case 'conflict':
      return error ?? 'Head office already holds a different file under this name; neither copy was changed.';
    case 'retry-scheduled':
      return `${error ?? 'The upload did not finish.'}${typeof d['nextAttemptAt'] === 'string' ? ` Next attempt at ${d['nextAttemptAt']}.` : ''}`;
    case 'failed-permanently':
      return error ?? 'Head office refused the report; fix what the error says, then retry.';
    case 'interrupted':
      return typeof d['reason'] === 'string' ? d['reason'] : 'Fieldrun stopped during the upload; the report will be sent again.';
    case 'requeued':
      return 'Queued again by the technician.';
    case 'probe': {
      if (d['online'] === true) {
        const skew = typeof d['clockSkewMs'] === 'number' ? d['clockSkewMs'] : undefined;
        return d['clockSkewed'] === true && skew !== undefined
          ? `Head office is reachable, but this laptop's clock is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'behind' : 'ahead of'} the server's. Correct the clock.`
          : 'Head office is reachable.';
      }
      return error ?? 'Head office is not reachable.';
    }
  }
}

function errorMessage(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('message' in value)) return undefined;
  const message = (value as { message: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}
