// The outbox at work: delivers queued bundles to head office one at a time, in export order,
// records every attempt, backs off after failures and wakes itself when the next entry is due.
// Nothing is deleted locally, whatever the server says.
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { AppError, type AppErrorData, type ErrorCode } from '../../../../shared/errors';
import { nextAttemptDelay, type WallClock } from '../backoff';
import type { HeadOffice } from '../headOffice';
import type { ProbeResult } from '../probe';
import type { BundleOutcome, BundleUpload } from '../uploadBundle';
import type { OutboxEntry } from './outboxEntry';
import { createOutboxRepository, type OutboxChange, type OutboxRepository } from './outboxRepository';
import { createSyncScheduler, systemTimers, type Timers } from './syncScheduler';

export interface OutboxOptions {
  readonly store: { readonly db: Database.Database };
  /** head office as currently configured; undefined while sync is not set up */
  readonly headOffice: () => HeadOffice | undefined;
  readonly clock: WallClock;
  /** uniform in [0, 1), for backoff jitter */
  readonly random: () => number;
  /** hears of every committed change, after the commit */
  readonly onChange?: (change: OutboxChange) => void;
  readonly timers?: Timers;
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
}

export interface SyncRound {
  /** false when head office is not configured: nothing was tried */
  readonly configured: boolean;
  readonly attempted: number;
  readonly delivered: number;
  readonly conflicts: number;
  readonly failedPermanently: number;
  readonly retrying: number;
  /** why the round ended before the queue did: head office is unwell or refuses us */
  readonly stoppedBy?: AppErrorData;
}

export interface Outbox {
  /**
   * Delivers every due entry, one at a time, in export order. `all: true` (the technician's
   * "Sync now") also sends queued entries still waiting out their backoff. A call while a round
   * runs joins that round.
   */
  syncNow(options?: { readonly all?: boolean }): Promise<SyncRound>;
  /** Is head office reachable, and is the laptop clock right? Recorded in the sync log. */
  probe(): Promise<ProbeResult>;
  /** Wakes whenever the next entry is due. */
  start(): void;
  stop(): Promise<void>;
  /** Tells a started outbox that an entry was enqueued. */
  wake(): void;
  /** The technician's "try again" for a conflict or a permanent failure. */
  retry(id: number): OutboxEntry;
  readonly entries: OutboxRepository;
}

export const DEFAULT_BACKOFF = { baseMs: 10_000, capMs: 30 * 60 * 1000 } as const;

// Failures that would meet every entry alike: the round stops instead of failing the whole queue.
const SERVER_WIDE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['SYNC_AUTH_FAILED', 'SYNC_FORBIDDEN', 'SYNC_BASE_MISSING', 'SYNC_TLS_UNTRUSTED', 'SYNC_CONFIG_INVALID', 'SYNC_URL_INSECURE']);

const NOT_CONFIGURED: AppErrorData = {
  code: 'SYNC_CONFIG_INVALID',
  message: 'Head office is not set up. Enter its address and credentials in the sync settings.',
};

export function createOutbox(options: OutboxOptions): Outbox {
  const entries = createOutboxRepository(options.store.db, options.clock);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const now = (): number => options.clock.nowUtc().getTime();
  // After head office failed us, the scheduler waits this long before the next round, even for
  // entries that were not tried yet: they would only meet the same trouble.
  let heldUntil = 0;
  let current: Promise<SyncRound> | undefined;

  const notify = (change: OutboxChange): void => {
    try {
      options.onChange?.(change);
    } catch {
      // A listener's failure must not undo or stop a delivery that is already committed.
    }
  };

  const round = async (all: boolean): Promise<SyncRound> => {
    const office = options.headOffice();
    if (office === undefined) return { configured: false, attempted: 0, delivered: 0, conflicts: 0, failedPermanently: 0, retrying: 0, stoppedBy: NOT_CONFIGURED };
    // Rounds never overlap and one process owns the data folder, so `sending` here means a
    // process died mid-upload. The transport re-checks every file by hash on the next attempt.
    for (const change of entries.requeueInterrupted()) notify(change);
    const tally = { attempted: 0, delivered: 0, conflicts: 0, failedPermanently: 0, retrying: 0 };
    let afterId = 0;
    for (;;) {
      const next = entries.nextQueued(afterId, all ? undefined : options.clock.nowUtc());
      if (next === undefined) break;
      afterId = next.id;
      const sending = entries.markSending(next.id);
      notify(sending);
      tally.attempted++;
      const outcome = await upload(office, next);
      const stop = settle(next.id, sending.entry?.attempts ?? next.attempts + 1, outcome, tally);
      if (stop !== undefined) return { configured: true, ...tally, stoppedBy: stop };
    }
    heldUntil = 0;
    return { configured: true, ...tally };
  };

  /** Records the outcome; returns the error that ends the round, if any. */
  const settle = (id: number, attempts: number, outcome: BundleOutcome, tally: { delivered: number; conflicts: number; failedPermanently: number; retrying: number }): AppErrorData | undefined => {
    const detail = { folder: outcome.folder, files: outcome.files.map((f) => ({ name: f.name, outcome: f.kind })) };
    if (outcome.status === 'delivered') {
      notify(entries.markDelivered(id, detail));
      tally.delivered++;
      return undefined;
    }
    const error: AppErrorData = outcome.error ?? { code: 'INTERNAL', message: 'The upload ended without saying why. This is a bug in Fieldrun; please report it.' };
    if (outcome.status === 'conflict') {
      notify(entries.markConflict(id, error, detail));
      tally.conflicts++;
      return undefined;
    }
    if (outcome.status === 'permanent') {
      notify(entries.markPermanent(id, error));
      tally.failedPermanently++;
      return SERVER_WIDE.has(error.code) ? error : undefined;
    }
    const delay = nextAttemptDelay(attempts, { ...backoff, retryAfter: outcome.retryAfter, clock: options.clock, random: options.random });
    const at = new Date(now() + delay);
    notify(entries.markRetry(id, error, at, { ...detail, delayMs: delay, ...(outcome.retryAfter === undefined ? {} : { retryAfter: outcome.retryAfter }) }));
    tally.retrying++;
    heldUntil = at.getTime();
    return error;
  };

  const syncNow = (all: boolean): Promise<SyncRound> => {
    if (current === undefined) {
      current = round(all).finally(() => {
        current = undefined;
      });
    }
    return current;
  };

  const scheduler = createSyncScheduler({
    timers: options.timers ?? systemTimers,
    now,
    wakeAt: () => {
      if (options.headOffice() === undefined) return undefined;
      const due = entries.earliestDue();
      return due === undefined ? undefined : Math.max(due.getTime(), heldUntil);
    },
    round: () => syncNow(false),
  });

  return {
    syncNow: async (syncOptions = {}) => {
      const result = await syncNow(syncOptions.all === true);
      scheduler.reschedule();
      return result;
    },
    probe: async () => {
      const office = options.headOffice();
      const result: ProbeResult = office === undefined ? { online: false, retryable: false, error: NOT_CONFIGURED } : await office.probe();
      notify(entries.record('probe', { ...result, baseUrl: office?.baseUrl ?? null }));
      if (result.online) {
        // Back online: whatever held the queue back is over.
        heldUntil = 0;
        scheduler.reschedule();
      }
      return result;
    },
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
    wake: () => scheduler.reschedule(),
    retry: (id) => {
      const change = entries.requeue(id);
      notify(change);
      scheduler.reschedule();
      if (change.entry === null) throw new AppError('INTERNAL', 'A retried outbox entry was not found after the retry. This is a bug in Fieldrun; please report it.');
      return change.entry;
    },
    entries,
  };
}

async function upload(office: HeadOffice, entry: OutboxEntry): Promise<BundleOutcome> {
  const bundle: BundleUpload = {
    siteSlug: entry.siteSlug,
    runId: entry.runId,
    exportSeq: entry.exportSeq,
    files: entry.files.map((f) => ({ name: f.name, localPath: join(entry.bundleDir, f.name), sha256: f.sha256 })),
    signatureName: entry.signatureName,
  };
  try {
    return await office.uploadBundle(bundle);
  } catch (error) {
    // The transport reports failures as outcomes; a throw is a bug, but the entry must not stay
    // `sending` until the next start because of it.
    return {
      status: 'retryable',
      folder: '',
      files: [],
      error: { code: 'INTERNAL', message: `The upload failed unexpectedly (${error instanceof Error ? error.name : 'unknown'}). Fieldrun will try again; if it keeps failing, report it.` },
    };
  }
}
