// The core's one outbox and the head office it delivers to. Sync runs only in a data folder where
// head office was set up (and its setup check passed); the password or token is read from the key
// store when first needed, so a locked key store holds sync back instead of failing the core.
import type Database from 'better-sqlite3';
import { AppError, isAppError, type AppErrorData } from '../../../../shared/errors';
import type { SecretStore } from '../../keys/secretStore';
import type { WallClock } from '../backoff';
import { createHeadOffice, type HeadOffice } from '../headOffice';
import type { HeadOfficeAuth } from '../headOfficeConnection';
import { createOutbox, type Outbox, type SyncRound } from '../outbox/outbox';
import type { OutboxEntry } from '../outbox/outboxEntry';
import type { Timers } from '../outbox/syncScheduler';
import { HEAD_OFFICE_SECRET, loadAuth, readHeadOfficeSettings, removeHeadOfficeSettings, saveCredential, writeHeadOfficeSettings, type HeadOfficeSettings } from './headOfficeSettings';

export interface HeadOfficeSyncOptions {
  readonly store: { readonly db: Database.Database; readonly dataDir: string };
  readonly clock: WallClock;
  /** The key store; throws KEY_LOCKED (or KEY_MISSING) until the technician unlocked it. */
  readonly secrets: () => SecretStore;
  /** Hears of every committed change of an outbox entry. */
  readonly onOutboxChange?: (entry: OutboxEntry) => void;
  readonly random?: () => number;
  readonly timers?: Timers;
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
}

export interface HeadOfficeSync {
  readonly outbox: Outbox;
  /** The saved settings; undefined when head office is not set up. */
  settings(): HeadOfficeSettings | undefined;
  /** Why sync is off although a settings file exists (it is damaged); undefined otherwise. */
  settingsProblem(): AppErrorData | undefined;
  /** Head office as set up, ready to use; undefined when not set up. Throws KEY_LOCKED while the key store is locked. */
  office(): Promise<HeadOffice | undefined>;
  /** The key store, or KEY_LOCKED / KEY_MISSING: asked before a setup check whose result could not be saved. */
  secrets(): SecretStore;
  /** An office for settings not saved yet (the setup check runs against it). */
  connect(baseUrl: string, auth: HeadOfficeAuth, companyCaPem: string | undefined): HeadOffice;
  /** Saves settings whose setup check passed (the secret in the key store), and syncs with them from now on. */
  configure(settings: HeadOfficeSettings, auth: HeadOfficeAuth, office: HeadOffice): Promise<void>;
  /** Forgets head office and its secret; the outbox keeps every entry. */
  clear(): Promise<boolean>;
  /** The technician's "Sync now": every queued entry, backoff or not. */
  syncNow(): Promise<SyncRound>;
  /** Tells sync that an export was queued (the export's transaction has committed). */
  exported(outboxId: number): void;
  /** Looks again for the credential (the key store was unlocked). */
  refresh(): void;
  /** Stops waking and drops head office's connections; resolves when a round in progress ended. */
  close(): Promise<void>;
}

export const NOT_CONFIGURED: AppErrorData = {
  code: 'SYNC_CONFIG_INVALID',
  message: 'Head office is not set up. Enter its address and credentials in the sync settings.',
};

export function createHeadOfficeSync(options: HeadOfficeSyncOptions): HeadOfficeSync {
  const { dataDir } = options.store;
  const random = options.random ?? Math.random;
  let settings: HeadOfficeSettings | undefined;
  let settingsError: AppError | undefined;
  try {
    settings = readHeadOfficeSettings(dataDir);
  } catch (error) {
    // A damaged settings file must not stop the core: sync stays off and says why when asked.
    settingsError = isAppError(error) ? error : new AppError('STORE_IO_FAILED', 'The head-office settings cannot be read. Set head office up again in the sync settings.');
  }
  let current: HeadOffice | undefined;
  let opening: Promise<HeadOffice | undefined> | undefined;
  let closed = false;
  // While head office is being changed, nothing may open a connection with the old settings.
  let changing = false;
  const rounds = new Set<Promise<unknown>>();
  // Setups and clears run one after the other, whole: the settings file and the key-store entry
  // are never written by two of them interleaved.
  let changes: Promise<unknown> = Promise.resolve();
  const serially = <T>(change: () => Promise<T>): Promise<T> => {
    const next = changes.then(change);
    changes = next.catch(() => undefined);
    return next;
  };

  const office = (): Promise<HeadOffice | undefined> => {
    if (closed || changing) return Promise.resolve(undefined);
    if (settings === undefined) return settingsError === undefined ? Promise.resolve(undefined) : Promise.reject(settingsError);
    if (current !== undefined) return Promise.resolve(current);
    const wanted = settings;
    opening ??= (async () => {
      const auth = await loadAuth(options.secrets(), wanted);
      // Settings changed or the core closed while the key store answered: this office is stale.
      if (settings !== wanted || closed || changing || current !== undefined) return current;
      current = createHeadOffice({ baseUrl: wanted.baseUrl, auth, clock: options.clock, random, ...(wanted.companyCaPem === undefined ? {} : { ca: wanted.companyCaPem }) });
      outbox.wake();
      return current;
    })().finally(() => {
      opening = undefined;
    });
    return opening;
  };

  const outbox = createOutbox({
    store: options.store,
    headOffice: () => {
      // The scheduler asks often; while the key store is locked this retries the credential quietly.
      if (current === undefined && settings !== undefined && opening === undefined && !closed) void office().catch(() => undefined);
      return current;
    },
    clock: options.clock,
    random,
    onChange: (change) => {
      if (change.entry !== null) options.onOutboxChange?.(change.entry);
    },
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
  });

  const track = <T>(round: Promise<T>): Promise<T> => {
    rounds.add(round);
    void round.catch(() => undefined).finally(() => rounds.delete(round));
    return round;
  };

  /** After a start or a new setup: sends what is due, and whatever a killed process left `sending`. */
  const resume = (all = false): void => {
    void office()
      .then((ready) => (ready === undefined || closed ? undefined : track(outbox.syncNow({ all }))))
      .catch(() => undefined);
  };

  /** Before head office changes: no new round starts, and one in flight is cut (its entry is sent again). */
  const quiesce = async (): Promise<void> => {
    changing = true;
    const stopping = outbox.stop();
    await opening?.catch(() => undefined);
    current?.close();
    current = undefined;
    await stopping;
    await Promise.allSettled([...rounds]);
  };

  if (settings !== undefined) {
    outbox.start();
    resume();
  }

  return {
    outbox,
    settings: () => settings,
    settingsProblem: () => settingsError?.toData(),
    office,
    secrets: () => options.secrets(),
    connect: (baseUrl, auth, companyCaPem) =>
      createHeadOffice({ baseUrl, auth, clock: options.clock, random, ...(companyCaPem === undefined ? {} : { ca: companyCaPem }) }),
    configure: (next, auth, ready) =>
      serially(async () => {
        // Secret first, then settings, both naming next.credentialId: a crash in between leaves a pair that loadAuth refuses as "set up again".
        await saveCredential(options.secrets(), next.credentialId, auth);
        await writeHeadOfficeSettings(dataDir, next);
        await quiesce();
        settings = next;
        settingsError = undefined;
        changing = false;
        if (closed) {
          // The core closed while this was saved: the checked office would hold its connections open.
          ready.close();
          return;
        }
        current = ready;
        outbox.start();
        // Just verified: whatever waits is sent now, backoff or not.
        resume(true);
      }),
    clear: () =>
      serially(async () => {
        await quiesce();
        let existed: boolean;
        try {
          existed = (await removeHeadOfficeSettings(dataDir)) || settings !== undefined;
          settings = undefined;
          settingsError = undefined;
        } finally {
          changing = false;
        }
        try {
          await options.secrets().delete(HEAD_OFFICE_SECRET);
        } catch (error) {
          // A locked key store keeps the old secret, encrypted; its credentialId matches no settings, and the next setup replaces it.
          if (!(isAppError(error) && (error.code === 'KEY_LOCKED' || error.code === 'KEY_MISSING'))) throw error;
        }
        return existed;
      }),
    syncNow: async () => {
      await office();
      const first = await track(outbox.syncNow({ all: true }));
      // A press during an automatic round joins it, and that round leaves entries still in backoff.
      if (first.stoppedBy !== undefined || !first.configured || outbox.entries.nextQueued(0) === undefined) return first;
      return addRounds(first, await track(outbox.syncNow({ all: true })));
    },
    exported: (outboxId) => {
      const entry = outbox.entries.get(outboxId);
      if (entry !== undefined) options.onOutboxChange?.(entry);
      if (settings !== undefined && !closed) outbox.wake();
    },
    refresh: () => {
      if (settings !== undefined && !closed) resume();
    },
    close: async () => {
      closed = true;
      const stopping = outbox.stop();
      // Dropping the connections ends an upload in flight at once; its entry is sent again next time.
      current?.close();
      current = undefined;
      await stopping;
    },
  };
}

function addRounds(a: SyncRound, b: SyncRound): SyncRound {
  const sum = {
    configured: a.configured && b.configured,
    attempted: a.attempted + b.attempted,
    delivered: a.delivered + b.delivered,
    conflicts: a.conflicts + b.conflicts,
    failedPermanently: a.failedPermanently + b.failedPermanently,
    retrying: a.retrying + b.retrying,
  };
  return b.stoppedBy === undefined ? sum : { ...sum, stoppedBy: b.stoppedBy };
}
