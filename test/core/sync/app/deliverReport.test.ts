// A real report, exported through dispatch, reaches the nginx head office once it is set up, and
// the file head office holds verifies with the real `fieldrun report verify`.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../../shared/contract';
import { temporariesOnServer } from '../bundleFixture';
import { startNginxPeer, type NginxPeer } from '../nginx/nginxPeer';
import { call, createRun, fieldrun, headOfficeInput, openAppLab, startCore, until, type AppLab } from './appLab';

let peer: NginxPeer;
let lab: AppLab;

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'] });
  lab = await openAppLab('deliver');
});
afterAll(async () => {
  lab?.dispose();
  await peer?.stop();
});

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('the outbox in the app', () => {
  it('keeps exports queued while head office is not set up, then delivers them; the delivered archive verifies', async () => {
    const core = lab.core;
    const heard: Array<EventPayload<'outbox.changed'>> = [];
    core.events.subscribe(<E extends EventName>(name: E, payload: EventPayload<E>) => {
      if (name === 'outbox.changed') heard.push(payload as EventPayload<'outbox.changed'>);
    });
    const runId = await createRun(core);

    // Not set up: nothing is tried, the export waits in the outbox.
    expect(await call(core, 'headOffice.get', {})).toEqual({ settings: null });
    const exported = await call(core, 'reports.export', { runId });
    expect(await call(core, 'outbox.syncNow', {})).toMatchObject({ configured: false, attempted: 0, stoppedBy: { code: 'SYNC_CONFIG_INVALID' } });
    expect(await call(core, 'sync.probe', {})).toMatchObject({ configured: false, online: false });
    const [queued] = (await call(core, 'outbox.list', { runId })).entries;
    expect(queued).toMatchObject({ id: exported.outboxId, state: 'queued', attempts: 0, exportSeq: 1, siteSlug: 'example-retail-data-centre-lyon' });
    expect(heard).toContainEqual({ id: exported.outboxId, state: 'queued' });

    const set = await call(core, 'headOffice.set', headOfficeInput(peer));
    expect(set.saved).toBe(true);
    expect(set.checks.map((c) => c.passed)).toEqual([true, true, true]);
    expect(set.settings).toMatchObject({ baseUrl: `${peer.url}reports/`, auth: { kind: 'basic', user: peer.user }, hasCompanyCa: false });

    const round = await call(core, 'outbox.syncNow', {});
    expect(round.configured).toBe(true);
    await until('the export is delivered', async () => (await call(core, 'outbox.list', { runId })).entries[0]?.state === 'delivered');
    const [delivered] = (await call(core, 'outbox.list', { runId })).entries;
    expect(delivered).toMatchObject({ state: 'delivered', lastError: null, remotePath: `example-retail-data-centre-lyon/${runId}/1/` });
    expect(heard).toContainEqual({ id: exported.outboxId, state: 'sending' });
    expect(heard).toContainEqual({ id: exported.outboxId, state: 'delivered' });

    // What head office holds is the local archive, byte for byte, and it verifies on its own.
    const file = delivered!.files[0]!;
    const onServer = join(peer.davRoot, 'reports', delivered!.remotePath, file.name);
    expect(sha256(readFileSync(onServer))).toBe(sha256(readFileSync(exported.archivePath)));
    expect(file.sha256).toBe(sha256(readFileSync(exported.archivePath)));
    const allowed = join(lab.work, 'allowed_signers');
    writeFileSync(allowed, `${lab.keys.identity.allowedSignersLine()}\n`);
    const verify = await fieldrun('report', 'verify', onServer, '--allowed-signers', allowed);
    expect(verify.stdout).toContain('bundle:');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(temporariesOnServer(peer.davRoot)).toEqual([]);

    const probe = await call(core, 'sync.probe', {});
    expect(probe).toMatchObject({ configured: true, online: true, skewTooLarge: false });
    expect(typeof probe.clockSkewMs).toBe('number');

    // The log, newest first, says what happened in sentences.
    const { records } = await call(core, 'outbox.log', { limit: 50 });
    expect(records[0]?.event).toBe('probe');
    expect(records.map((r) => r.id)).toEqual([...records.map((r) => r.id)].sort((a, b) => b - a));
    expect(records.filter((r) => r.outboxId === exported.outboxId).map((r) => r.event).reverse()).toEqual(['enqueued', 'sending', 'delivered']);
    expect(records.find((r) => r.event === 'delivered')?.message).toMatch(/^Delivered to head office/);
    const older = await call(core, 'outbox.log', { beforeId: records[1]!.id, limit: 1 });
    expect(older.records.map((r) => r.id)).toEqual([records[2]!.id]);
  }, 60_000);

  it('sends a new export without being asked, and again after a restart with the same settings', async () => {
    const runId = await createRun(lab.core, 'second run');
    const first = await call(lab.core, 'reports.export', { runId });
    await until('the export is delivered on its own', async () => (await call(lab.core, 'outbox.list', { runId })).entries[0]?.state === 'delivered');

    // A new core on the same data folder syncs with the saved settings (the credential comes from the key store).
    lab.core.close();
    lab.core = startCore(lab.dataDir, lab.keys);
    expect((await call(lab.core, 'headOffice.get', {})).settings).toMatchObject({ baseUrl: `${peer.url}reports/` });
    const second = await call(lab.core, 'reports.export', { runId });
    expect(second.exportSeq).toBe(2);
    await until('the second export is delivered', async () => (await call(lab.core, 'outbox.list', { runId })).entries.every((e) => e.state === 'delivered'));
    const entries = (await call(lab.core, 'outbox.list', { runId })).entries;
    expect(entries.map((e) => [e.id, e.exportSeq, e.remotePath])).toEqual([
      [first.outboxId, 1, `example-retail-data-centre-lyon/${runId}/1/`],
      [second.outboxId, 2, `example-retail-data-centre-lyon/${runId}/2/`],
    ]);
  }, 60_000);
});
