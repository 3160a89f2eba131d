// How rounds behave around each other and around the scheduler: one round at a time, a bundle
// that cannot be sent does not hold up the others, a probe that finds head office back wakes the
// queue, and a failing listener never undoes a delivery.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HeadOffice } from '../../../../electron/core/sync';
import { createOutbox, type OutboxOptions } from '../../../../electron/core/sync/outbox';
import { sha256 } from '../bundleFixture';
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

function setUp(options: Partial<OutboxOptions> & { url?: string } = {}): { l: Lab; outbox: ReturnType<typeof createOutbox> } {
  const l = openLab();
  labs.push(l);
  const office = officeFor(peer, l.clock, options.url === undefined ? {} : { url: options.url });
  offices.push(office);
  const outbox = createOutbox({ store: l.store, headOffice: () => office, clock: l.clock, random: () => 0.5, ...options });
  return { l, outbox };
}

const onServer = (l: Lab, seq: number, name: string): Buffer => readFileSync(join(peer.davRoot, 'reports/depot', l.runId, String(seq), name));

describe('rounds', () => {
  it('two Sync now presses at once make one round: every bundle is sent once', async () => {
    const { l, outbox } = setUp();
    for (let seq = 1; seq <= 3; seq++) enqueue(l, exportBundle(l, seq, 'twice'));
    const [a, b] = await Promise.all([outbox.syncNow(), outbox.syncNow()]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ attempted: 3, delivered: 3 });
    expect(outbox.entries.list().map((e) => e.attempts)).toEqual([1, 1, 1]);
    expect(outbox.entries.log().filter((r) => r.event === 'sending')).toHaveLength(3);
  });

  it('a bundle changed on disk after export fails on its own, with what to do; the next bundle is still delivered', async () => {
    const { l, outbox } = setUp();
    const changed = enqueue(l, exportBundle(l, 1, 'changed'));
    const fine = enqueue(l, exportBundle(l, 2, 'fine'));
    appendFileSync(join(changed.bundleDir, 'report.json'), ' tampered');
    const round = await outbox.syncNow();
    expect(round).toMatchObject({ attempted: 2, delivered: 1, failedPermanently: 1 });
    expect(round.stoppedBy).toBeUndefined();
    const failed = outbox.entries.get(changed.id);
    expect(failed).toMatchObject({ state: 'failed-permanently', lastError: { code: 'SYNC_LOCAL_FILE_CHANGED' } });
    expect(failed?.lastError?.message).toMatch(/export the report again/i);
    // Nothing of the changed bundle's report reached head office under its real name.
    expect(() => onServer(l, 1, 'report.json')).toThrow(/ENOENT/);
    expect(outbox.entries.get(fine.id)?.state).toBe('delivered');
    for (const file of fine.files) expect(sha256(onServer(l, 2, file.name))).toBe(file.sha256);
  });

  it('a listener that throws does not stop or undo a delivery', async () => {
    const { l, outbox } = setUp({
      onChange: () => {
        throw new Error('the window went away');
      },
    });
    const entry = enqueue(l, exportBundle(l, 1, 'listener'));
    expect(await outbox.syncNow()).toMatchObject({ delivered: 1 });
    expect(outbox.entries.get(entry.id)?.state).toBe('delivered');
  });
});

describe('the scheduler', () => {
  it('holds the queue after head office failed, and a probe that finds it back wakes the queue at once', async () => {
    const timers = manualTimers();
    const { l, outbox } = setUp({ timers, url: front.url, backoff: { baseMs: 1_000, capMs: 60_000 } });
    enqueue(l, exportBundle(l, 1, 'held'));
    front.answer = { status: 503, headers: { 'retry-after': '600' } };
    front.refusals = 1;
    expect(await outbox.syncNow()).toMatchObject({ retrying: 1, stoppedBy: { code: 'SYNC_SERVER_BUSY' } });
    outbox.start();
    expect(timers.pending()).toBe(300_000); // due in 600 s: the idle re-check comes first
    // A bundle exported meanwhile waits with the queue instead of meeting the same trouble.
    enqueue(l, exportBundle(l, 2, 'held'));
    outbox.wake();
    expect(timers.pending()).toBe(300_000);
    expect(await outbox.probe()).toMatchObject({ online: true });
    expect(timers.pending()).toBe(0);
    timers.fire();
    await until(() => outbox.entries.list().filter((e) => e.state === 'delivered').length === 1);
    await outbox.stop();
    // The scheduled round sends what is due (the new bundle); the first keeps its server-asked wait.
    expect(outbox.entries.list().map((e) => e.state)).toEqual(['queued', 'delivered']);
    expect(timers.pending()).toBeUndefined();
  });

  it('an export enqueued while idle is picked up at once after wake()', async () => {
    const timers = manualTimers();
    const { l, outbox } = setUp({ timers });
    outbox.start();
    expect(timers.pending()).toBe(300_000);
    enqueue(l, exportBundle(l, 1, 'woken'));
    outbox.wake();
    expect(timers.pending()).toBe(0);
    timers.fire();
    await until(() => outbox.entries.list()[0]?.state === 'delivered');
    await until(() => timers.pending() === 300_000);
    await outbox.stop();
  });
});
