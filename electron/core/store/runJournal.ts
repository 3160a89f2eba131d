import type Database from 'better-sqlite3';
import { canonicalJson } from '../../../shared/canonicalJson';
import { AppError } from '../../../shared/errors';
import type { Clock } from './clock';
import { ChainVerifier, GENESIS_HASH, computeEventHash, type ChainVerdict, type JournalEvent, type JournalHead } from './journalChain';
import type { QueryTimer } from './queryTiming';
import { guarded } from './storeErrors';

export interface NewJournalEvent {
  readonly type: string;
  readonly payload: unknown;
}

export interface JournalAppendOptions {
  /** The head seq the caller last saw; the append is refused if another writer moved it. */
  readonly expectSeq?: number;
}

export interface JournalReadOptions {
  readonly fromSeq?: number;
  readonly limit?: number;
}

export interface VerifyChainOptions {
  readonly upToSeq?: number;
  readonly expectHeadHash?: string;
}

export interface RunJournal {
  /** Appends one event in its own transaction; returns it only after COMMIT. */
  append(runId: string, event: NewJournalEvent, options?: JournalAppendOptions): JournalEvent;
  /** Appends several events in one transaction: all or none. */
  appendMany(runId: string, events: readonly NewJournalEvent[], options?: JournalAppendOptions): JournalEvent[];
  read(runId: string, options?: JournalReadOptions): JournalEvent[];
  /** Every event from `fromSeq` on, read in batches so memory stays bounded. */
  events(runId: string, options?: { readonly fromSeq?: number }): Iterable<JournalEvent>;
  head(runId: string): JournalHead;
  verifyChain(runId: string, options?: VerifyChainOptions): ChainVerdict;
}

export const MAX_PAYLOAD_BYTES = 1024 * 1024;
const EVENT_TYPE = /^[a-z][a-zA-Z0-9]*(?:[._:-][a-zA-Z0-9]+)*$/;
const BATCH = 1000;

interface JournalRow {
  run_id: string;
  seq: bigint;
  time_utc: string;
  mono_ns: bigint;
  type: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

export function createRunJournal(db: Database.Database, clock: Clock, timer: QueryTimer): RunJournal {
  const runExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM runs WHERE id = ?');
  const headOf = db.prepare<[string], { seq: number; hash: string }>('SELECT seq, hash FROM journal WHERE run_id = ? ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare<[string, number, string, bigint, string, string, string, string]>(
    'INSERT INTO journal (run_id, seq, time_utc, mono_ns, type, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const select = db
    .prepare<[string, number, number], JournalRow>('SELECT * FROM journal WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?')
    .safeIntegers(true);

  const requireRun = (runId: string): void => {
    if (runExists.get(runId) === undefined) {
      throw new AppError('RUN_NOT_FOUND', `There is no run ${runId} in this data folder. Pick the run again from the list of runs.`, { runId });
    }
  };

  const currentHead = (runId: string): JournalHead => headOf.get(runId) ?? { seq: 0, hash: GENESIS_HASH(runId) };

  const writeAll = (runId: string, events: readonly NewJournalEvent[], options: JournalAppendOptions): JournalEvent[] => {
    const prepared = events.map(normalize);
    requireRun(runId);
    let head = currentHead(runId);
    if (options.expectSeq !== undefined && options.expectSeq !== head.seq) {
      throw new AppError(
        'JOURNAL_POSITION_STALE',
        `The run has moved on since this was shown (expected it at event ${options.expectSeq}, it is at event ${head.seq}). Look at the run again, then decide.`,
        { runId, expectedSeq: options.expectSeq, headSeq: head.seq },
      );
    }
    const written: JournalEvent[] = [];
    for (const { type, payload, payloadJson } of prepared) {
      const monoNs = clock.monotonicNs();
      const unhashed = { runId, seq: head.seq + 1, timeUtc: clock.nowUtc().toISOString(), monoNs: monoNs.toString(), type, payload, prevHash: head.hash };
      const event: JournalEvent = { ...unhashed, hash: computeEventHash(unhashed) };
      insert.run(runId, event.seq, event.timeUtc, monoNs, type, payloadJson, event.prevHash, event.hash);
      written.push(event);
      head = event;
    }
    return written;
  };
  const appendTransaction = db.transaction(writeAll);

  const readBatch = (runId: string, fromSeq: number, limit: number): JournalEvent[] => select.all(runId, fromSeq, limit).map(toEvent);

  return {
    append(runId, event, options = {}) {
      return guarded('journal.append', () => timer.measure('journal.append', () => appendTransaction.immediate(runId, [event], options)))[0]!;
    },
    appendMany(runId, events, options = {}) {
      return guarded('journal.appendMany', () => timer.measure('journal.appendMany', () => appendTransaction.immediate(runId, events, options)));
    },
    read(runId, options = {}) {
      const fromSeq = Math.max(1, options.fromSeq ?? 1);
      const limit = options.limit ?? -1;
      return guarded('journal.read', () =>
        timer.measure('journal.read', () => {
          requireRun(runId);
          return readBatch(runId, fromSeq, limit);
        }),
      );
    },
    *events(runId, options = {}) {
      let next = Math.max(1, options.fromSeq ?? 1);
      guarded('journal.events', () => requireRun(runId));
      for (;;) {
        const batch = guarded('journal.events', () => readBatch(runId, next, BATCH));
        yield* batch;
        if (batch.length < BATCH) return;
        next = batch[batch.length - 1]!.seq + 1;
      }
    },
    head(runId) {
      return guarded('journal.head', () => {
        requireRun(runId);
        return currentHead(runId);
      });
    },
    verifyChain(runId, options = {}) {
      return guarded('journal.verifyChain', () =>
        timer.measure('journal.verifyChain', () => {
          requireRun(runId);
          const verifier = new ChainVerifier(runId);
          const upTo = options.upToSeq ?? Number.MAX_SAFE_INTEGER;
          // Rows are fetched by seq order, not by seq value: a gap must show as a gap.
          let from = 1;
          for (;;) {
            const batch = readBatch(runId, from, BATCH).filter((e) => e.seq <= upTo);
            for (const event of batch) if (!verifier.push(event)) return verifier.result();
            if (batch.length < BATCH) break;
            from = batch[batch.length - 1]!.seq + 1;
          }
          return verifier.result(options.expectHeadHash);
        }),
      );
    },
  };
}

function normalize(event: NewJournalEvent): { type: string; payload: unknown; payloadJson: string } {
  if (typeof event.type !== 'string' || event.type.length > 100 || !EVENT_TYPE.test(event.type)) {
    throw new AppError('INPUT_INVALID', `Journal event type "${String(event.type).slice(0, 100)}" is not a dotted name like "run.phase".`);
  }
  let payloadJson: string;
  try {
    payloadJson = canonicalJson(event.payload);
  } catch (error) {
    throw new AppError('INPUT_INVALID', `The payload of a "${event.type}" event is not plain JSON: ${(error as Error).message}.`);
  }
  if (Buffer.byteLength(payloadJson, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new AppError('INPUT_INVALID', `The payload of a "${event.type}" event is over ${MAX_PAYLOAD_BYTES} bytes; store large data as output chunks instead.`);
  }
  // What the caller gets back is exactly what a later read returns (undefined fields dropped...).
  return { type: event.type, payload: JSON.parse(payloadJson) as unknown, payloadJson };
}

function toEvent(row: JournalRow): JournalEvent {
  return {
    runId: row.run_id,
    seq: Number(row.seq),
    timeUtc: row.time_utc,
    monoNs: row.mono_ns.toString(),
    type: row.type,
    payload: JSON.parse(row.payload) as unknown,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
