// The outbox against a real nginx head office and a real SQLite store: bundles are delivered
// intact, failures are recorded and retried on an injected clock, credentials errors stop with
// what to fix, conflicts are shown and never retried or overwritten.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../../shared/errors';
import type { HeadOffice } from '../../../../electron/core/sync';
import { createOutbox, enqueueExport, nextExportSeq, type Outbox, type OutboxChange, type OutboxOptions } from '../../../../electron/core/sync/outbox';
import { sha256, temporariesOnServer } from '../bundleFixture';
import { startNginxPeer, type NginxPeer } from '../nginx/nginxPeer';
import { enqueue, exportBundle, manualTimers, officeFor, openLab, until, type Lab } from './outboxLab';
import { startUnwellFront, type UnwellFront } from './unwellFront';

let peer: NginxPeer;
let front: UnwellFront;
const offices: HeadOffice[] = [];
const labs: Lab[] = [];

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'] });
  front = await startUnwellFront(peer.port);
});
afterAll(async () => {
  await front?.close();
  await peer?.stop();
});
afterEach(() => {
  for (const office of offices.splice(0)) office.close();
  for (const lab of labs.splice(0)) lab.store.close();
});

function lab(): Lab {
  const made = openLab();
  labs.push(made);
  return made;
}

function outboxFor(l: Lab, office: HeadOffice | undefined, extra: Partial<OutboxOptions> = {}): { outbox: Outbox; changes: OutboxChange[] } {
  if (office !== undefined) offices.push(office);
  const changes: OutboxChange[] = [];
  const outbox = createOutbox({ store: l.store, headOffice: () => office, clock: l.clock, random: () => 0.5, onChange: (c) => changes.push(c), ...extra });
  return { outbox, changes };
}

function expectOnServer(l: Lab, exportSeq: number, entry: { files: { name: string; sha256: string }[] }): void {
  const folder = join(peer.davRoot, 'reports/depot', l.runId, String(exportSeq));
  for (const file of entry.files) expect(sha256(readFileSync(join(folder, file.name))), file.name).toBe(file.sha256);
  expect(temporariesOnServer(peer.davRoot)).toEqual([]);
}

describe('enqueueing an export', () => {
  it('joins the caller’s transaction: it commits with the export or not at all', () => {
    const l = lab();
    const entry = exportBundle(l, 1, 'tx');
    expect(() => enqueueExport(l.store, entry, l.clock)).toThrow(/outside the transaction/);
    expect(() =>
      l.store.db.transaction(() => {
        enqueueExport(l.store, entry, l.clock);
        throw new Error('the export failed after the enqueue');
      })(),
    ).toThrow(/export failed/);
    expect(l.store.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    const queued = enqueue(l, entry);
    expect(queued).toMatchObject({ state: 'queued', attempts: 0, runId: l.runId, exportSeq: 1, lastError: null, nextAttemptAt: l.clock.nowUtc().toISOString() });
    expect(nextExportSeq(l.store, l.runId)).toBe(2);
  });

  it('refuses a bundle it could not deliver as described, saying what is wrong', () => {
    const l = lab();
    const entry = exportBundle(l, 1, 'bad');
    const attempt = (bad: unknown): unknown => {
      try {
        l.store.db.transaction(() => enqueueExport(l.store, bad, l.clock))();
      } catch (error) {
        return isAppError(error) ? { code: error.code, message: error.message } : error;
      }
      return undefined;
    };
    expect(attempt({ ...entry, files: [{ name: '../etc/passwd', size: 1, sha256: 'a'.repeat(64) }] })).toMatchObject({ code: 'OUTBOX_ENTRY_INVALID', message: expect.stringContaining('files.0.name') });
    expect(attempt({ ...entry, signatureName: 'missing.sig' })).toMatchObject({ code: 'OUTBOX_ENTRY_INVALID', message: expect.stringContaining('signatureName') });
    expect(attempt({ ...entry, siteSlug: 'Zürich / 3' })).toMatchObject({ code: 'OUTBOX_ENTRY_INVALID' });
    expect(attempt({ ...entry, bundleDir: 'relative/dir' })).toMatchObject({ code: 'OUTBOX_ENTRY_INVALID' });
    enqueue(l, entry);
    expect(attempt(entry)).toMatchObject({ code: 'OUTBOX_ENTRY_INVALID', message: expect.stringContaining('already in the outbox') });
  });
});

describe('delivering', () => {
  it('sends every queued bundle in export order, records states and log, keeps the local bundle', async () => {
    const l = lab();
    const first = enqueue(l, exportBundle(l, 1, 'first'));
    const second = enqueue(l, exportBundle(l, 2, 'second'));
    const { outbox, changes } = outboxFor(l, officeFor(peer, l.clock));
    const round = await outbox.syncNow();
    expect(round).toEqual({ configured: true, attempted: 2, delivered: 2, conflicts: 0, failedPermanently: 0, retrying: 0 });
    expectOnServer(l, 1, first);
    expectOnServer(l, 2, second);
    const entries = outbox.entries.list();
    expect(entries.map((e) => [e.id, e.state, e.attempts, e.nextAttemptAt])).toEqual([
      [first.id, 'delivered', 1, null],
      [second.id, 'delivered', 1, null],
    ]);
    expect(entries[0]?.deliveredAt).toBe(l.clock.nowUtc().toISOString());
    expect(outbox.entries.log().map((r) => [r.outboxId, r.event])).toEqual([
      [first.id, 'enqueued'],
      [second.id, 'enqueued'],
      [first.id, 'sending'],
      [first.id, 'delivered'],
      [second.id, 'sending'],
      [second.id, 'delivered'],
    ]);
    expect(changes.map((c) => c.log.event)).toEqual(['sending', 'delivered', 'sending', 'delivered']);
    // Nothing is deleted locally because it was uploaded.
    for (const file of first.files) expect(sha256(readFileSync(join(first.bundleDir, file.name)))).toBe(file.sha256);
    // Delivered is final: a second round sends nothing.
    expect((await outbox.syncNow({ all: true })).attempted).toBe(0);
  });

  it('without head office configured, tries nothing and says how to set it up', async () => {
    const l = lab();
    enqueue(l, exportBundle(l, 1, 'unset'));
    const { outbox } = outboxFor(l, undefined);
    const round = await outbox.syncNow();
    expect(round).toMatchObject({ configured: false, attempted: 0, stoppedBy: { code: 'SYNC_CONFIG_INVALID' } });
    expect(outbox.entries.list()[0]?.state).toBe('queued');
    const probe = await outbox.probe();
    expect(probe).toMatchObject({ online: false, error: { code: 'SYNC_CONFIG_INVALID' } });
  });
});

describe('failures', () => {
  it('a 503 with Retry-After, then success: backs off on the injected clock, honours Retry-After, then delivers', async () => {
    const l = lab();
    const entry = enqueue(l, exportBundle(l, 1, 'busy'));
    const later = enqueue(l, exportBundle(l, 2, 'busy'));
    const timers = manualTimers();
    const { outbox } = outboxFor(l, officeFor(peer, l.clock, { url: front.url }), { timers, backoff: { baseMs: 1_000, capMs: 60_000 } });
    front.answer = { status: 503, headers: { 'retry-after': '120' } };
    front.refusals = 1;

    outbox.start();
    expect(timers.pending()).toBe(0); // due at once
    timers.fire();
    await until(() => outbox.entries.get(entry.id)?.state === 'queued' && outbox.entries.get(entry.id)?.attempts === 1);
    const waiting = outbox.entries.get(entry.id);
    expect(waiting?.lastError).toMatchObject({ code: 'SYNC_SERVER_BUSY', details: { status: 503 } });
    // Jitter would say at most 1 s; the server asked for 120 s.
    expect(Date.parse(waiting?.nextAttemptAt ?? '')).toBe(l.clock.nowUtc().getTime() + 120_000);
    const retryLog = outbox.entries.log({ outboxId: entry.id }).at(-1);
    expect(retryLog).toMatchObject({ event: 'retry-scheduled', detail: { delayMs: 120_000, retryAfter: '120' } });
    // The round stopped: the later bundle was not sent into the same trouble.
    expect(outbox.entries.get(later.id)).toMatchObject({ state: 'queued', attempts: 0 });
    // The scheduler sleeps until the entry is due, not before.
    await until(() => timers.pending() === 120_000);
    l.clock.advance(60_000);
    timers.fire(); // woken early (by the idle re-check, say): nothing is due yet
    expect(timers.pending()).toBe(60_000);
    expect(outbox.entries.get(entry.id)?.attempts).toBe(1);
    l.clock.advance(60_000);
    timers.fire();
    await until(() => outbox.entries.list().every((e) => e.state === 'delivered'));
    await outbox.stop();
    expect(outbox.entries.get(entry.id)).toMatchObject({ attempts: 2, lastError: null });
    expectOnServer(l, 1, entry);
    expectOnServer(l, 2, later);
  });

  it('a 500 without Retry-After backs off with jitter, growing with each attempt, capped', async () => {
    const l = lab();
    const entry = enqueue(l, exportBundle(l, 1, 'flaky'));
    const { outbox } = outboxFor(l, officeFor(peer, l.clock, { url: front.url }), { backoff: { baseMs: 1_000, capMs: 3_000 } });
    front.answer = { status: 500, headers: {} };
    const delays: unknown[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      front.refusals = 1;
      expect((await outbox.syncNow({ all: true })).retrying).toBe(1);
      delays.push(outbox.entries.log({ outboxId: entry.id }).at(-1)?.detail.delayMs);
    }
    // random() = 0.5: half of min(cap, base · 2^(n-1)).
    expect(delays).toEqual([500, 1_000, 1_500, 1_500]);
    // Not due yet: a scheduled round leaves it alone; the technician's Sync now sends it.
    expect((await outbox.syncNow()).attempted).toBe(0);
    expect(await outbox.syncNow({ all: true })).toMatchObject({ delivered: 1 });
    expect(outbox.entries.get(entry.id)).toMatchObject({ state: 'delivered', attempts: 5 });
    expectOnServer(l, 1, entry);
  });

  it('401: failed permanently with what to fix, the round stops; after the fix the technician retries and it is delivered', async () => {
    const l = lab();
    const entry = enqueue(l, exportBundle(l, 1, 'auth'));
    const other = enqueue(l, exportBundle(l, 2, 'auth'));
    let office = officeFor(peer, l.clock, { password: 'wrong' });
    offices.push(office);
    const { outbox } = outboxFor(l, undefined, { headOffice: () => office });
    const round = await outbox.syncNow();
    expect(round).toMatchObject({ attempted: 1, failedPermanently: 1, stoppedBy: { code: 'SYNC_AUTH_FAILED' } });
    const failed = outbox.entries.get(entry.id);
    expect(failed).toMatchObject({ state: 'failed-permanently', nextAttemptAt: null, lastError: { code: 'SYNC_AUTH_FAILED' } });
    expect(failed?.lastError?.message).toMatch(/Check the user name and password/);
    expect(failed?.lastError?.message).not.toContain('wrong');
    expect(outbox.entries.get(other.id)?.state).toBe('queued');
    // Never retried on its own.
    l.clock.advance(24 * 3600_000);
    office = officeFor(peer, l.clock);
    offices.push(office);
    expect(await outbox.syncNow({ all: true })).toMatchObject({ attempted: 1, delivered: 1 });
    expect(outbox.entries.get(entry.id)?.state).toBe('failed-permanently');
    expect(outbox.retry(entry.id)).toMatchObject({ state: 'queued' });
    expect(await outbox.syncNow()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(outbox.entries.log({ outboxId: entry.id }).map((r) => r.event)).toEqual(['enqueued', 'sending', 'failed-permanently', 'requeued', 'sending', 'delivered']);
    expectOnServer(l, 1, entry);
    expect(() => outbox.retry(entry.id)).toThrow(/delivered, so it cannot become queued/);
  });

  it('conflict: a different file already on the server is left untouched, shown, never retried automatically; the next export goes to its own folder', async () => {
    const l = lab();
    const entry = enqueue(l, exportBundle(l, 1, 'clash'));
    const theirs = 'head office already has this report.json\n';
    peer.placeFile(`reports/depot/${l.runId}/1/report.json`, theirs);
    const timers = manualTimers();
    const { outbox } = outboxFor(l, officeFor(peer, l.clock), { timers });
    const round = await outbox.syncNow();
    expect(round).toMatchObject({ attempted: 1, conflicts: 1 });
    const conflict = outbox.entries.get(entry.id);
    expect(conflict).toMatchObject({ state: 'conflict', nextAttemptAt: null, lastError: { code: 'SYNC_CONFLICT', details: { serverSha256: sha256(theirs) } } });
    expect(readFileSync(join(peer.davRoot, `reports/depot/${l.runId}/1/report.json`), 'utf8')).toBe(theirs);
    for (const file of entry.files) expect(sha256(readFileSync(join(entry.bundleDir, file.name)))).toBe(file.sha256);
    // The scheduler has nothing to wake for; Sync now does not touch it either.
    outbox.start();
    expect(timers.pending()).toBe(300_000);
    expect((await outbox.syncNow({ all: true })).attempted).toBe(0);
    await outbox.stop();
    const again = enqueue(l, exportBundle(l, nextExportSeq(l.store, l.runId), 'clash-again'));
    expect(await outbox.syncNow()).toMatchObject({ attempted: 1, delivered: 1, conflicts: 0 });
    expectOnServer(l, 2, again);
    expect(outbox.entries.get(entry.id)?.state).toBe('conflict');
  });
});

describe('online probe and crash leftovers', () => {
  it('records the probe in the sync log with the clock skew', async () => {
    const l = lab();
    const { outbox } = outboxFor(l, officeFor(peer, l.clock));
    const probe = await outbox.probe();
    // The lab clock is pinned to 2026-11-26 08:00 UTC; the server uses real time.
    expect(probe.online).toBe(true);
    if (!probe.online) return;
    const skew = Date.now() - l.clock.nowUtc().getTime();
    expect(Math.abs((probe.clockSkewMs ?? NaN) - skew)).toBeLessThan(5_000);
    expect(probe.clockSkewed).toBe(Math.abs(skew) > 5 * 60_000 + 1000);
    const record = outbox.entries.log().at(-1);
    expect(record).toMatchObject({ event: 'probe', outboxId: null, detail: { online: true, clockSkewMs: probe.clockSkewMs, baseUrl: `${peer.url}reports/` } });

    const offline = outboxFor(l, officeFor(peer, l.clock, { url: 'http://127.0.0.1:9/' })).outbox;
    expect(await offline.probe()).toMatchObject({ online: false, retryable: true, error: { code: 'SYNC_UNREACHABLE' } });
    expect(outbox.entries.log().at(-1)).toMatchObject({ event: 'probe', detail: { online: false, error: { code: 'SYNC_UNREACHABLE' } } });
  });

  it('an entry left `sending` by a dead process goes back to the queue and is delivered', async () => {
    const l = lab();
    const entry = enqueue(l, exportBundle(l, 1, 'left'));
    const { outbox } = outboxFor(l, officeFor(peer, l.clock));
    outbox.entries.markSending(entry.id); // what a process killed mid-upload leaves behind
    expect(await outbox.syncNow()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(outbox.entries.log({ outboxId: entry.id }).map((r) => r.event)).toEqual(['enqueued', 'sending', 'interrupted', 'sending', 'delivered']);
    expect(outbox.entries.get(entry.id)?.attempts).toBe(2);
    expectOnServer(l, 1, entry);
  });
});
