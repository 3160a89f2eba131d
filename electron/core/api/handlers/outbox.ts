import type { MethodOutput } from '../../../../shared/contract';
import { AppError, isAppError, type AppErrorData } from '../../../../shared/errors';
import type { Store } from '../../store';
import type { WallClock } from '../../sync/backoff';
import type { HeadOfficeAuth } from '../../sync/headOfficeConnection';
import type { ServerCheck } from '../../sync/checkServer';
import type { OutboxEntry } from '../../sync/outbox/outboxEntry';
import { checkCompanyCa, newCredentialId, type HeadOfficeSettings } from '../../sync/app/headOfficeSettings';
import { NOT_CONFIGURED, type HeadOfficeSync } from '../../sync/app/headOfficeSync';
import { acknowledgementOf } from '../../plan/planTrust';
import { importPublishedPlan, listPublishedPlans } from '../../sync/app/publishedPlans';
import { syncLogPage } from '../../sync/app/syncLogView';
import type { HeadOffice } from '../../sync/headOffice';
import type { EventHub } from '../eventHub';
import type { Handlers } from '../dispatch';

type OutboxMethod = 'outbox.list' | 'outbox.log' | 'outbox.syncNow' | 'outbox.retry' | 'sync.probe' | 'headOffice.get' | 'headOffice.set' | 'headOffice.clear' | 'headOffice.plans.list' | 'headOffice.plans.import';
type EntrySummary = MethodOutput<'outbox.list'>['entries'][number];
type SettingsView = NonNullable<MethodOutput<'headOffice.get'>['settings']>;
type CheckLine = MethodOutput<'headOffice.set'>['checks'][number];

export interface OutboxPorts {
  readonly sync: HeadOfficeSync;
  readonly store: Store;
  readonly events: EventHub;
  readonly clock: WallClock;
}

// What the setup check proves, in order; a check that stopped is named by the first it did not pass.
const SETUP_CHECKS = ['creates folders (MKCOL)', 'returns the bytes it stored (PUT, GET)', 'refuses to overwrite on MOVE with Overwrite: F (412, file intact)'];

const NO_ROUND = { attempted: 0, delivered: 0, conflicts: 0, failedPermanently: 0, retrying: 0 } as const;

export function outboxHandlers(ports: OutboxPorts): Pick<Handlers, OutboxMethod> {
  const { sync, store, events, clock } = ports;
  // One plan download at a time: each import owns the download folder while it runs.
  let importing: Promise<unknown> = Promise.resolve();
  // headOffice.set and headOffice.clear take effect in the order they were called, each whole
  // (setup check included): a clear never lands in the middle of a set, nor two sets interleave.
  let settingUp: Promise<unknown> = Promise.resolve();
  const oneSetupAtATime = <T>(change: () => Promise<T>): Promise<T> => {
    const next = settingUp.then(change);
    settingUp = next.catch(() => undefined);
    return next;
  };

  const configuredOffice = async (): Promise<HeadOffice> => {
    const office = await sync.office();
    if (office === undefined) throw new AppError(NOT_CONFIGURED.code, NOT_CONFIGURED.message);
    return office;
  };

  return {
    'outbox.list': ({ runId }) => ({
      entries: sync.outbox.entries
        .list()
        .filter((e) => runId === undefined || e.runId === runId)
        .map(summarise),
    }),
    'outbox.log': ({ beforeId, limit }) => ({ records: syncLogPage(store.db, beforeId, limit) }),
    'outbox.syncNow': async () => {
      if (sync.settings() === undefined) return { configured: false, ...NO_ROUND, stoppedBy: plainError(sync.settingsProblem() ?? NOT_CONFIGURED) };
      try {
        const round = await sync.syncNow();
        const { stoppedBy, ...tally } = round;
        return stoppedBy === undefined ? tally : { ...tally, stoppedBy: plainError(stoppedBy) };
      } catch (error) {
        // The key store is locked, or the saved credential is gone: nothing was tried.
        if (isAppError(error)) return { configured: true, ...NO_ROUND, stoppedBy: plainError(error.toData()) };
        throw error;
      }
    },
    'outbox.retry': ({ id }) => ({ state: sync.outbox.retry(id).state }),
    'sync.probe': async () => {
      const offline = { online: false, clockSkewMs: null, skewTooLarge: false };
      if (sync.settings() === undefined) {
        const problem = sync.settingsProblem();
        return problem === undefined ? { configured: false, ...offline } : { configured: false, ...offline, error: plainError(problem) };
      }
      try {
        await sync.office();
      } catch (error) {
        if (isAppError(error)) return { configured: true, ...offline, error: plainError(error.toData()) };
        throw error;
      }
      const result = await sync.outbox.probe();
      if (!result.online) return { configured: true, ...offline, error: plainError(result.error) };
      return { configured: true, online: true, clockSkewMs: result.clockSkewMs ?? null, skewTooLarge: result.clockSkewed };
    },
    'headOffice.get': () => ({ settings: viewOf(sync.settings()) }),
    'headOffice.set': ({ baseUrl, auth, companyCaPem }) => oneSetupAtATime(async () => {
      const ca = companyCaPem === undefined || companyCaPem.trim() === '' ? undefined : checkCompanyCa(companyCaPem);
      // A locked key store could not keep the secret: say so before trying the server.
      sync.secrets();
      const credential: HeadOfficeAuth = auth.kind === 'basic' ? { kind: 'basic', user: auth.user, password: auth.password } : { kind: 'bearer', token: auth.token };
      const office = sync.connect(baseUrl, credential, ca);
      let check: ServerCheck;
      try {
        check = await office.checkServer();
      } catch (error) {
        office.close();
        throw error;
      }
      const checks = checkLines(check);
      if (!check.safe) {
        office.close();
        return { saved: false, checks, settings: viewOf(sync.settings()) };
      }
      const settings: HeadOfficeSettings = {
        version: 1,
        baseUrl: office.baseUrl,
        auth: auth.kind === 'basic' ? { kind: 'basic', user: auth.user } : { kind: 'bearer' },
        ...(ca === undefined ? {} : { companyCaPem: ca }),
        credentialId: newCredentialId(),
        verifiedAt: clock.nowUtc().toISOString(),
      };
      try {
        await sync.configure(settings, credential, office);
      } catch (error) {
        office.close();
        throw error;
      }
      return { saved: true, checks, settings: viewOf(settings) };
    }),
    'headOffice.clear': () => oneSetupAtATime(async () => ({ cleared: await sync.clear() })),
    'headOffice.plans.list': async () => ({ plans: await listPublishedPlans(await configuredOffice(), store) }),
    'headOffice.plans.import': ({ name, acknowledgeUntrusted }) => {
      const work = importing.then(async () => {
        const office = await configuredOffice();
        const acknowledgement = acknowledgementOf(acknowledgeUntrusted, clock.nowUtc());
        const { plan, inserted } = await importPublishedPlan(office, store, { name, now: () => clock.nowUtc(), ...(acknowledgement === undefined ? {} : { acknowledgement }) });
        if (inserted) events.emit('plans.changed', { hash: plan.hash });
        return { planHash: plan.hash, alreadyImported: !inserted, signatureStatus: plan.signatureStatus };
      });
      importing = work.catch(() => undefined);
      return work;
    },
  };
}

/** reports.export, then the outbox hears of the new entry (after the export's commit) and wakes. */
export function wakeOutboxAfterExport<H extends Pick<Handlers, 'reports.export'>>(handlers: H, sync: HeadOfficeSync): H {
  const exportReport = handlers['reports.export'];
  return {
    ...handlers,
    'reports.export': async (input) => {
      const exported = await exportReport(input);
      sync.exported(exported.outboxId);
      return exported;
    },
  };
}

/** identity.unlock, then sync looks again for head office's credential in the now open key store. */
export function resumeSyncAfterUnlock<H extends Pick<Handlers, 'identity.unlock'>>(handlers: H, sync: HeadOfficeSync): H {
  const unlock = handlers['identity.unlock'];
  return {
    ...handlers,
    'identity.unlock': async (input) => {
      const unlocked = await unlock(input);
      sync.refresh();
      return unlocked;
    },
  };
}

function summarise(entry: OutboxEntry): EntrySummary {
  return {
    id: entry.id,
    runId: entry.runId,
    exportSeq: entry.exportSeq,
    siteSlug: entry.siteSlug,
    state: entry.state,
    attempts: entry.attempts,
    nextAttemptAt: entry.state === 'queued' ? entry.nextAttemptAt : null,
    lastError: entry.lastError === null ? null : plainError(entry.lastError),
    createdAt: entry.createdAt,
    deliveredAt: entry.deliveredAt,
    files: entry.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 })),
    remotePath: `${entry.siteSlug}/${entry.runId}/${entry.exportSeq}/`,
  };
}

function viewOf(settings: HeadOfficeSettings | undefined): SettingsView | null {
  if (settings === undefined) return null;
  return {
    baseUrl: settings.baseUrl,
    auth: settings.auth.kind === 'basic' ? { kind: 'basic', user: settings.auth.user } : { kind: 'bearer' },
    hasCompanyCa: settings.companyCaPem !== undefined,
    verifiedAt: settings.verifiedAt,
  };
}

function checkLines(check: ServerCheck): CheckLine[] {
  const passed = check.checked.map((name) => ({ name, passed: true, detail: 'passed' }));
  if (check.safe) return passed;
  const name = SETUP_CHECKS[check.checked.length] ?? 'setup check';
  return [...passed, { name, passed: false, detail: `${check.reason.message}${check.retryable ? ' (This may pass later: try again.)' : ''}` }];
}

/** Errors cross the contract as code and message; details may hold server paths and stay in the log. */
function plainError(error: AppErrorData): { code: string; message: string } {
  return { code: error.code, message: error.message };
}
