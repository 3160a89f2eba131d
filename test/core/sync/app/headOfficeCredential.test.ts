// The head-office settings file and its secret in the key store always belong together: setups and
// clears take effect whole and in the order they were called, a pair left mismatched by a crash
// between the two writes is "set head office up again" (reports stay queued, never failed on a
// 401), and a core closed during a setup leaves no connection open.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../../electron/core/store';
import { HEAD_OFFICE_FILE, HEAD_OFFICE_SECRET, newCredentialId, saveCredential } from '../../../../electron/core/sync/app/headOfficeSettings';
import { createHeadOfficeSync } from '../../../../electron/core/sync/app/headOfficeSync';
import { startNginxPeer, type NginxPeer } from '../nginx/nginxPeer';
import { call, createRun, headOfficeInput, openAppLab, startCore, type AppLab } from './appLab';

let peer: NginxPeer;
let other: NginxPeer;
let lab: AppLab;

beforeAll(async () => {
  [peer, other] = await Promise.all([startNginxPeer({ folders: ['reports'] }), startNginxPeer({ folders: ['reports'], user: 'branch', password: 'another-password-2c1d' })]);
  lab = await openAppLab('credential');
});
afterAll(async () => {
  lab?.dispose();
  await Promise.all([peer?.stop(), other?.stop()]);
});

const storedEntry = async (): Promise<unknown> => {
  const bytes = await lab.keys.secrets.get(HEAD_OFFICE_SECRET);
  return bytes === undefined ? undefined : JSON.parse(bytes.toString('utf8'));
};
const settingsFile = (dataDir = lab.dataDir): { credentialId: string; baseUrl: string } => JSON.parse(readFileSync(join(dataDir, HEAD_OFFICE_FILE), 'utf8')) as { credentialId: string; baseUrl: string };

describe('headOffice.set and headOffice.clear', () => {
  it('a clear called while a setup runs lands after it: nothing is left set up, no secret is left behind', async () => {
    const [set, cleared] = await Promise.all([call(lab.core, 'headOffice.set', headOfficeInput(peer)), call(lab.core, 'headOffice.clear', {})]);
    expect(set.saved).toBe(true);
    expect(cleared).toEqual({ cleared: true });
    expect(await call(lab.core, 'headOffice.get', {})).toEqual({ settings: null });
    expect(existsSync(join(lab.dataDir, HEAD_OFFICE_FILE))).toBe(false);
    expect(await storedEntry()).toBeUndefined();
  });

  it('two setups called together: the later one wins whole, and a restarted core signs in with it', async () => {
    const [first, second] = await Promise.all([call(lab.core, 'headOffice.set', headOfficeInput(peer)), call(lab.core, 'headOffice.set', headOfficeInput(other))]);
    expect([first.saved, second.saved]).toEqual([true, true]);
    const saved = settingsFile();
    expect(saved.baseUrl).toBe(`${other.url}reports/`);
    expect(await storedEntry()).toEqual({ credentialId: saved.credentialId, kind: 'basic', user: 'branch', password: 'another-password-2c1d' });

    lab.core.close();
    lab.core = startCore(lab.dataDir, lab.keys);
    expect(await call(lab.core, 'sync.probe', {})).toMatchObject({ configured: true, online: true });
    await call(lab.core, 'headOffice.clear', {});
  });
});

describe('a settings file and a key-store entry from different setups', () => {
  it('is "set head office up again", and a queued report stays queued instead of failing on a 401', async () => {
    expect((await call(lab.core, 'headOffice.set', headOfficeInput(peer))).saved).toBe(true);
    lab.core.close();
    // What a crash between the two writes of a later setup leaves: its secret, the older settings.
    await saveCredential(lab.keys.secrets, newCredentialId(), { kind: 'basic', user: peer.user, password: 'the password of a setup never finished' });
    lab.core = startCore(lab.dataDir, lab.keys);

    const runId = await createRun(lab.core, 'mismatched setup');
    await call(lab.core, 'reports.export', { runId });
    const round = await call(lab.core, 'outbox.syncNow', {});
    expect(round).toMatchObject({ configured: true, attempted: 0, stoppedBy: { code: 'SYNC_CONFIG_INVALID', message: expect.stringContaining('Set head office up again') } });
    expect(await call(lab.core, 'sync.probe', {})).toMatchObject({ online: false, error: { code: 'SYNC_CONFIG_INVALID' } });
    expect((await call(lab.core, 'outbox.list', { runId })).entries[0]).toMatchObject({ state: 'queued', attempts: 0 });

    // The same id with another user is refused as well: the key store holds the user it was set up for.
    await saveCredential(lab.keys.secrets, settingsFile().credentialId, { kind: 'basic', user: 'someone-else', password: peer.password });
    lab.core.close();
    lab.core = startCore(lab.dataDir, lab.keys);
    expect(await call(lab.core, 'outbox.syncNow', {})).toMatchObject({ attempted: 0, stoppedBy: { code: 'SYNC_CONFIG_INVALID' } });

    // Setting up again heals it, and the waiting report goes out.
    expect((await call(lab.core, 'headOffice.set', headOfficeInput(peer))).saved).toBe(true);
    expect((await call(lab.core, 'outbox.syncNow', {})).delivered).toBeGreaterThanOrEqual(1);
    expect((await call(lab.core, 'outbox.list', { runId })).entries[0]?.state).toBe('delivered');
    await call(lab.core, 'headOffice.clear', {});
  }, 30_000);
});

describe('a core closed while a setup is saved', () => {
  it("closes the checked office's connections instead of keeping them", async () => {
    const store = openStore({ dataDir: join(lab.work, 'closing-data') });
    const sync = createHeadOfficeSync({ store, clock: { nowUtc: () => new Date() }, secrets: () => lab.keys.secrets });
    try {
      const auth = { kind: 'basic' as const, user: peer.user, password: peer.password };
      const office = sync.connect(`${peer.url}reports/`, auth, undefined);
      let closed = 0;
      const watched = { ...office, close: () => {
        closed += 1;
        office.close();
      } };
      const settings = { version: 1 as const, baseUrl: office.baseUrl, auth: { kind: 'basic' as const, user: peer.user }, credentialId: newCredentialId(), verifiedAt: new Date().toISOString() };
      const configuring = sync.configure(settings, auth, watched);
      await sync.close();
      await configuring;
      expect(closed).toBe(1);
      expect(await sync.office()).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
