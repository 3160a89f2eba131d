// The outbox's rows and their moves between states. Each move updates the entry and appends its
// sync-log record in one transaction, and names the state it expects to leave, so a move that
// does not fit (a delivered entry "retried") fails instead of rewriting history.
import type Database from 'better-sqlite3';
import { AppError, type AppErrorData } from '../../../../shared/errors';
import { guarded } from '../../store/storeErrors';
import type { WallClock } from '../backoff';
import type { OutboxEntry, OutboxState, SyncLogEvent, SyncLogRecord } from './outboxEntry';
import { toEntry, toLogRecord, type OutboxRow, type SyncLogRow } from './outboxRows';

/** What a move changed: the entry as it is now and the log record that says so. */
export interface OutboxChange {
  readonly entry: OutboxEntry | null;
  readonly log: SyncLogRecord;
}

export interface SyncLogQuery {
  readonly outboxId?: number;
  /** records after this id, for a UI that follows the log */
  readonly afterId?: number;
  readonly limit?: number;
}

export interface OutboxRepository {
  get(id: number): OutboxEntry | undefined;
  /** Oldest first; every entry unless states are given. */
  list(states?: readonly OutboxState[]): OutboxEntry[];
  /** Oldest first. */
  log(query?: SyncLogQuery): SyncLogRecord[];
  /** The first queued entry after `afterId` (in export order), due by `dueBy` when given. */
  nextQueued(afterId: number, dueBy?: Date): OutboxEntry | undefined;
  /** When the earliest queued entry is due; undefined when nothing is queued. */
  earliestDue(): Date | undefined;
  markSending(id: number): OutboxChange;
  markDelivered(id: number, detail: Record<string, unknown>): OutboxChange;
  markConflict(id: number, error: AppErrorData, detail: Record<string, unknown>): OutboxChange;
  markRetry(id: number, error: AppErrorData, nextAttemptAt: Date, detail: Record<string, unknown>): OutboxChange;
  markPermanent(id: number, error: AppErrorData): OutboxChange;
  /** Entries left `sending` by a process that died go back to the queue, due now. */
  requeueInterrupted(): OutboxChange[];
  /** The technician's "try again" for a conflict or a permanent failure. */
  requeue(id: number): OutboxChange;
  /** Appends a record about head office as a whole (a probe). */
  record(event: SyncLogEvent, detail: Record<string, unknown>): OutboxChange;
}

const DEFAULT_LOG_LIMIT = 1000;

export function createOutboxRepository(db: Database.Database, clock: WallClock): OutboxRepository {
  const selectOne = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?');
  const selectAll = db.prepare<[], OutboxRow>('SELECT * FROM outbox ORDER BY id');
  const selectNext = db.prepare<[number], OutboxRow>("SELECT * FROM outbox WHERE state = 'queued' AND id > ? ORDER BY id LIMIT 1");
  const selectNextDue = db.prepare<[number, string], OutboxRow>(
    "SELECT * FROM outbox WHERE state = 'queued' AND id > ? AND next_attempt_at <= ? ORDER BY id LIMIT 1",
  );
  const selectEarliest = db.prepare<[], { due: string | null }>("SELECT min(next_attempt_at) AS due FROM outbox WHERE state = 'queued'");
  const selectSending = db.prepare<[], { id: number }>("SELECT id FROM outbox WHERE state = 'sending' ORDER BY id");
  const selectLog = db.prepare<[number, number, number, number], SyncLogRow>(
    'SELECT * FROM sync_log WHERE id > ? AND (? < 0 OR outbox_id = ?) ORDER BY id LIMIT ?',
  );
  const insertLog = db.prepare<[string, number | null, string, string], SyncLogRow>(
    'INSERT INTO sync_log (time, outbox_id, event, detail) VALUES (?, ?, ?, ?) RETURNING *',
  );
  const update = db.prepare<[string, number, string | null, string | null, string, string | null, number, string], OutboxRow>(
    `UPDATE outbox SET state = ?, attempts = attempts + ?, next_attempt_at = ?, last_error = ?, updated_at = ?, delivered_at = ?
     WHERE id = ? AND state = ? RETURNING *`,
  );

  const appendLog = (now: string, outboxId: number | null, event: SyncLogEvent, detail: Record<string, unknown>): SyncLogRecord => {
    const row = insertLog.get(now, outboxId, event, JSON.stringify(detail));
    if (row === undefined) throw new AppError('INTERNAL', 'The sync log record was not stored. This is a bug in Fieldrun; please report it.');
    return toLogRecord(row);
  };

  interface Move {
    id: number;
    from: readonly OutboxState[];
    to: OutboxState;
    event: SyncLogEvent;
    countsAttempt?: boolean;
    nextAttemptAt?: Date;
    error?: AppErrorData | null;
    detail?: Record<string, unknown>;
  }

  const move = db.transaction((m: Move): OutboxChange => {
    const now = clock.nowUtc().toISOString();
    const before = selectOne.get(m.id);
    if (before === undefined) throw new AppError('OUTBOX_ENTRY_NOT_FOUND', `There is no outbox entry ${m.id}. Refresh the outbox view.`, { id: m.id });
    if (!m.from.some((state) => state === before.state)) {
      throw new AppError('OUTBOX_STATE_WRONG', `Outbox entry ${m.id} is ${before.state}, so it cannot become ${m.to}. Refresh the outbox view.`, {
        id: m.id,
        state: before.state,
        wanted: m.to,
      });
    }
    const lastError = m.error === undefined ? before.last_error : m.error === null ? null : JSON.stringify(m.error);
    const nextAttemptAt = m.to === 'queued' ? (m.nextAttemptAt?.toISOString() ?? now) : null;
    const row = update.get(m.to, m.countsAttempt === true ? 1 : 0, nextAttemptAt, lastError, now, m.to === 'delivered' ? now : null, m.id, before.state);
    if (row === undefined) throw new AppError('INTERNAL', `Outbox entry ${m.id} changed while it was being updated. This is a bug in Fieldrun; please report it.`);
    const entry = toEntry(row);
    const detail = { ...(m.detail ?? {}), state: entry.state, attempts: entry.attempts, ...(m.error ? { error: m.error } : {}), ...(entry.nextAttemptAt === null ? {} : { nextAttemptAt: entry.nextAttemptAt }) };
    return { entry, log: appendLog(now, m.id, m.event, detail) };
  });

  const run = <T>(label: string, work: () => T): T => guarded(`outbox.${label}`, work);
  const moveNow = (m: Move): OutboxChange => run(m.event, () => move.immediate(m));

  return {
    get: (id) => run('get', () => {
      const row = selectOne.get(id);
      return row === undefined ? undefined : toEntry(row);
    }),
    list: (states) => run('list', () => selectAll.all().map(toEntry).filter((e) => states === undefined || states.includes(e.state))),
    log: (query = {}) =>
      run('log', () => selectLog.all(query.afterId ?? 0, query.outboxId ?? -1, query.outboxId ?? -1, query.limit ?? DEFAULT_LOG_LIMIT).map(toLogRecord)),
    nextQueued: (afterId, dueBy) =>
      run('next', () => {
        const row = dueBy === undefined ? selectNext.get(afterId) : selectNextDue.get(afterId, dueBy.toISOString());
        return row === undefined ? undefined : toEntry(row);
      }),
    earliestDue: () =>
      run('earliestDue', () => {
        const due = selectEarliest.get()?.due ?? null;
        return due === null ? undefined : new Date(due);
      }),
    markSending: (id) => moveNow({ id, from: ['queued'], to: 'sending', event: 'sending', countsAttempt: true }),
    markDelivered: (id, detail) => moveNow({ id, from: ['sending'], to: 'delivered', event: 'delivered', error: null, detail }),
    markConflict: (id, error, detail) => moveNow({ id, from: ['sending'], to: 'conflict', event: 'conflict', error, detail }),
    markRetry: (id, error, nextAttemptAt, detail) => moveNow({ id, from: ['sending'], to: 'queued', event: 'retry-scheduled', error, nextAttemptAt, detail }),
    markPermanent: (id, error) => moveNow({ id, from: ['sending'], to: 'failed-permanently', event: 'failed-permanently', error }),
    requeueInterrupted: () =>
      run('requeueInterrupted', () =>
        selectSending.all().map(({ id }) =>
          moveNow({ id, from: ['sending'], to: 'queued', event: 'interrupted', detail: { reason: 'Fieldrun stopped during the upload; the bundle will be sent again.' } }),
        ),
      ),
    requeue: (id) => moveNow({ id, from: ['conflict', 'failed-permanently'], to: 'queued', event: 'requeued', detail: { by: 'technician' } }),
    record: (event, detail) => run(event, () => db.transaction(() => ({ entry: null, log: appendLog(clock.nowUtc().toISOString(), null, event, detail) })).immediate()),
  };
}
