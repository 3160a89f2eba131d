// Pointing Fieldrun at head office: the setup check runs before anything is saved, a server that
// would overwrite or corrupt reports is refused, the password lives only in the key store, and a
// locked key store holds sync back until the technician unlocks it.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../../electron/core/core';
import { HEAD_OFFICE_FILE, HEAD_OFFICE_SECRET } from '../../../../electron/core/sync/app/headOfficeSettings';
import { makeCompanyCa } from '../nginx/companyCa';
import { startNginxPeer, type NginxPeer } from '../nginx/nginxPeer';
import { startOverwritingStandIn } from '../overwritingStandIn';
import { startThrottleProxy } from './throttleProxy';
import { call, createRun, headOfficeInput, openAppLab, PASSPHRASE, refusal, startCore, until, type AppLab } from './appLab';

// A password that must never be found outside the key store, nor its Basic-auth form.
const PASSWORD = 'Pw-canary-7f3a9c-never-in-clear';
let peer: NginxPeer;
let lab: AppLab;

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'], password: PASSWORD });
  lab = await openAppLab('setup');
});
afterAll(async () => {
  lab?.dispose();
  await peer?.stop();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('headOffice.set', () => {
  it('refuses a server that overwrites on MOVE or returns other bytes, and saves nothing', async () => {
    const overwriting = await startOverwritingStandIn();
    const mangling = await startOverwritingStandIn({ mangle: true });
    try {
      const refused = await call(lab.core, 'headOffice.set', { baseUrl: overwriting.url, auth: { kind: 'basic', user: 'office', password: PASSWORD } });
      expect(refused.saved).toBe(false);
      expect(refused.settings).toBeNull();
      expect(refused.checks.at(-1)).toMatchObject({ name: expect.stringContaining('MOVE'), passed: false, detail: expect.stringContaining('overwrote an existing file') });
      expect(refused.checks.slice(0, -1).every((c) => c.passed)).toBe(true);

      const corrupted = await call(lab.core, 'headOffice.set', { baseUrl: mangling.url, auth: { kind: 'bearer', token: 'token-canary-51b2' } });
      expect(corrupted.saved).toBe(false);
      expect(corrupted.checks.at(-1)).toMatchObject({ name: expect.stringContaining('returns the bytes'), passed: false });
    } finally {
      await overwriting.close();
      await mangling.close();
    }
    expect(await call(lab.core, 'headOffice.get', {})).toEqual({ settings: null });
    expect(readdirSync(lab.dataDir)).not.toContain(HEAD_OFFICE_FILE);
    expect(await lab.keys.secrets.get(HEAD_OFFICE_SECRET)).toBeUndefined();
  });

  it('refuses plain http to another machine, a wrong password and a damaged CA, and saves nothing', async () => {
    expect(await refusal(lab.core, 'headOffice.set', { baseUrl: 'http://head-office.example/reports/', auth: { kind: 'basic', user: 'office', password: PASSWORD } })).toMatchObject({ code: 'SYNC_URL_INSECURE' });
    const wrong = await call(lab.core, 'headOffice.set', { baseUrl: `${peer.url}reports/`, auth: { kind: 'basic', user: peer.user, password: 'not the password' } });
    expect(wrong.saved).toBe(false);
    expect(wrong.checks).toEqual([expect.objectContaining({ passed: false, detail: expect.stringMatching(/password|credential|auth/i) })]);
    expect(await refusal(lab.core, 'headOffice.set', { ...headOfficeInput(peer), companyCaPem: 'not a certificate' })).toMatchObject({ code: 'SYNC_CONFIG_INVALID' });
    expect(await call(lab.core, 'headOffice.get', {})).toEqual({ settings: null });
  });

  it('accepts nginx; the password is in no answer and in no file of the data folder, only in the key store', async () => {
    const set = await call(lab.core, 'headOffice.set', headOfficeInput(peer));
    expect(set.saved).toBe(true);
    const got = await call(lab.core, 'headOffice.get', {});
    expect(got.settings).toEqual({ baseUrl: `${peer.url}reports/`, auth: { kind: 'basic', user: peer.user }, hasCompanyCa: false, verifiedAt: expect.any(String) });

    // Something to sync, so the database and its WAL hold the outbox and its log.
    const runId = await createRun(lab.core);
    await call(lab.core, 'reports.export', { runId });
    await until('the export is delivered', async () => (await call(lab.core, 'outbox.list', { runId })).entries[0]?.state === 'delivered');
    await call(lab.core, 'sync.probe', {});
    const log = await call(lab.core, 'outbox.log', { limit: 500 });

    const canaries = [PASSWORD, Buffer.from(`${peer.user}:${PASSWORD}`).toString('base64')];
    const answers = JSON.stringify([set, got, log, await call(lab.core, 'outbox.list', {})]);
    for (const canary of canaries) expect(answers).not.toContain(canary);
    const files = filesUnder(lab.dataDir);
    expect(files.map((f) => f.slice(lab.dataDir.length + 1))).toEqual(expect.arrayContaining(['fieldrun.db', 'fieldrun.db-wal', HEAD_OFFICE_FILE]));
    expect(statSync(join(lab.dataDir, 'fieldrun.db-wal')).size).toBeGreaterThan(0);
    for (const file of [...files, ...filesUnder(lab.keysDir)]) {
      const bytes = readFileSync(file);
      for (const canary of canaries) expect(bytes.includes(Buffer.from(canary)), `${canary} in ${file}`).toBe(false);
    }
    // The key store holds it, encrypted on disk.
    expect((await lab.keys.secrets.get(HEAD_OFFICE_SECRET))?.toString('utf8')).toContain(PASSWORD);
  });

  it('clear forgets the endpoint and its secret and keeps every outbox entry', async () => {
    const before = (await call(lab.core, 'outbox.list', {})).entries;
    expect(before.length).toBeGreaterThan(0);
    expect(await call(lab.core, 'headOffice.clear', {})).toEqual({ cleared: true });
    expect(await call(lab.core, 'headOffice.get', {})).toEqual({ settings: null });
    expect(await lab.keys.secrets.get(HEAD_OFFICE_SECRET)).toBeUndefined();
    expect((await call(lab.core, 'outbox.list', {})).entries).toEqual(before);
    expect(await call(lab.core, 'outbox.syncNow', {})).toMatchObject({ configured: false });
    expect(await call(lab.core, 'headOffice.clear', {})).toEqual({ cleared: false });
  });

  it('moves to another head office over HTTPS with a company CA; a refused change keeps the old one', async () => {
    const ca = makeCompanyCa(lab.work);
    const secure = await startNginxPeer({ folders: ['reports'], tls: { certPath: ca.certPath, keyPath: ca.keyPath } });
    try {
      expect((await call(lab.core, 'headOffice.set', headOfficeInput(peer))).saved).toBe(true);
      // Without the CA the laptop does not trust the certificate: nothing changes.
      const untrusted = await call(lab.core, 'headOffice.set', headOfficeInput(secure));
      expect(untrusted.saved).toBe(false);
      expect(untrusted.checks.at(-1)?.passed).toBe(false);
      expect(untrusted.settings).toMatchObject({ baseUrl: `${peer.url}reports/`, hasCompanyCa: false });
      const set = await call(lab.core, 'headOffice.set', { ...headOfficeInput(secure), companyCaPem: ca.caPem });
      expect(set.saved).toBe(true);
      expect(set.settings).toMatchObject({ baseUrl: `${secure.url}reports/`, hasCompanyCa: true });
      const runId = await createRun(lab.core, 'over https');
      const exported = await call(lab.core, 'reports.export', { runId });
      await until('the export is delivered over HTTPS', async () => (await call(lab.core, 'outbox.list', { runId })).entries[0]?.state === 'delivered');
      const name = exported.archivePath.split('/').at(-1)!;
      expect(filesUnder(secure.davRoot).some((f) => f.endsWith(name))).toBe(true);
      expect(filesUnder(peer.davRoot).some((f) => f.endsWith(name))).toBe(false);
      expect(await call(lab.core, 'sync.probe', {})).toMatchObject({ configured: true, online: true });
    } finally {
      await call(lab.core, 'headOffice.clear', {});
      await secure.stop();
    }
  }, 30_000);
});

describe('damaged head-office settings', () => {
  it('leave the core working with sync off, say so, and are replaced by a new setup', async () => {
    const dataDir = join(lab.work, 'damaged-data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, HEAD_OFFICE_FILE), '{"version":1,"baseUrl":');
    const core = startCore(dataDir, lab.keys);
    try {
      expect(await call(core, 'headOffice.get', {})).toEqual({ settings: null });
      expect(await call(core, 'outbox.syncNow', {})).toMatchObject({ configured: false, attempted: 0, stoppedBy: { code: 'STORE_CORRUPT' } });
      expect(await call(core, 'sync.probe', {})).toMatchObject({ configured: false, online: false, error: { code: 'STORE_CORRUPT' } });
      expect((await call(core, 'headOffice.set', headOfficeInput(peer))).saved).toBe(true);
      expect(await call(core, 'sync.probe', {})).toMatchObject({ configured: true, online: true });
    } finally {
      core.close();
    }
  });
});

describe('a locked key store', () => {
  it('holds sync back and refuses a new setup; unlocking resumes the upload a closed app cut short', async () => {
    const dataDir = join(lab.work, 'vault-data');
    const proxy = await startThrottleProxy(peer.port);
    // A core whose key vault keeps a passphrase file in the data folder (no OS keychain).
    let core = createCore({ dataDir, strictOutputs: true });
    try {
      await call(core, 'identity.create', { technician: 'tech@example.com', passphrase: PASSPHRASE });
      expect((await call(core, 'headOffice.set', headOfficeInput(peer, `${proxy.url}reports/`))).saved).toBe(true);
      const runId = await createRun(core, 'locked store');
      // The link slows to a stall and the app is closed mid-upload.
      proxy.bytesPerSecond = 1;
      const exported = await call(core, 'reports.export', { runId });
      await until('the upload starts', async () => (await call(core, 'outbox.list', { runId })).entries[0]?.state === 'sending');
      core.close();
      proxy.bytesPerSecond = 0;

      core = createCore({ dataDir, strictOutputs: true });
      expect((await call(core, 'headOffice.get', {})).settings).toMatchObject({ baseUrl: `${proxy.url}reports/` });
      expect(await call(core, 'outbox.syncNow', {})).toMatchObject({ configured: true, attempted: 0, stoppedBy: { code: 'KEY_LOCKED' } });
      expect(await call(core, 'sync.probe', {})).toMatchObject({ configured: true, online: false, error: { code: 'KEY_LOCKED' } });
      expect(await refusal(core, 'headOffice.set', headOfficeInput(peer))).toMatchObject({ code: 'KEY_LOCKED', message: expect.stringContaining('Unlock') });
      expect((await call(core, 'outbox.list', { runId })).entries[0]).toMatchObject({ id: exported.outboxId, state: 'sending' });

      // Unlocking is all it takes: the interrupted upload is sent again, without "Sync now".
      await call(core, 'identity.unlock', { passphrase: PASSPHRASE });
      await until('the export is delivered after the unlock', async () => (await call(core, 'outbox.list', { runId })).entries[0]?.state === 'delivered');
      expect((await call(core, 'outbox.list', { runId })).entries[0]).toMatchObject({ id: exported.outboxId, attempts: 2 });
    } finally {
      core.close();
      await proxy.close();
    }
  }, 30_000);
});
