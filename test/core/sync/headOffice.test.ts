import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { createHeadOffice, type HeadOfficeOptions } from '../../../electron/core/sync';
import { makeCompanyCa, type CompanyCa } from './nginx/companyCa';
import { startNginxPeer, type NginxPeer } from './nginx/nginxPeer';

const clock = { nowUtc: () => new Date() };
let peer: NginxPeer;
let tlsPeer: NginxPeer;
let ca: CompanyCa;
let work: string;

const options = (baseUrl: string, extra: Partial<HeadOfficeOptions> = {}): HeadOfficeOptions => ({
  baseUrl,
  auth: { kind: 'basic', user: peer.user, password: peer.password },
  clock,
  random: Math.random,
  ...extra,
});

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-office-'));
  ca = makeCompanyCa(work);
  peer = await startNginxPeer({ folders: ['reports/plans/old'] });
  tlsPeer = await startNginxPeer({ folders: ['reports'], tls: { certPath: ca.certPath, keyPath: ca.keyPath } });
});

afterAll(async () => {
  await peer?.stop();
  await tlsPeer?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the head-office address', () => {
  it('refuses plain http:// except to loopback, and credentials or queries in the URL', () => {
    expect(thrown(() => createHeadOffice(options('http://office.example.com/reports/'))).code).toBe('SYNC_URL_INSECURE');
    expect(thrown(() => createHeadOffice(options('http://10.0.0.5/reports/'))).code).toBe('SYNC_URL_INSECURE');
    expect(thrown(() => createHeadOffice(options('https://user:secret@office.example.com/'))).message).not.toContain('secret');
    expect(thrown(() => createHeadOffice(options('https://office.example.com/?a=1'))).code).toBe('SYNC_CONFIG_INVALID');
    expect(thrown(() => createHeadOffice(options('ftp://office.example.com/'))).code).toBe('SYNC_CONFIG_INVALID');
    expect(thrown(() => createHeadOffice(options('not a url'))).code).toBe('SYNC_CONFIG_INVALID');
    expect(thrown(() => createHeadOffice(options('https://office.example.com/', { auth: { kind: 'bearer', token: 'has space' } }))).code).toBe('SYNC_CONFIG_INVALID');
    for (const ok of ['https://office.example.com/reports', 'http://127.0.0.1:8080/', 'http://localhost/x/', 'http://[::1]/']) {
      const office = createHeadOffice(options(ok));
      expect(office.baseUrl.endsWith('/')).toBe(true);
      office.close();
    }
  });
});

describe('probe', () => {
  it('is online with the right credentials and reports the clock skew', async () => {
    const office = createHeadOffice(options(`${peer.url}reports/`));
    const result = await office.probe();
    office.close();
    expect(result).toMatchObject({ online: true, clockSkewed: false });
    if (result.online) expect(Math.abs(result.clockSkewMs ?? Infinity)).toBeLessThan(3000);

    const behind = createHeadOffice(options(`${peer.url}reports/`, { clock: { nowUtc: () => new Date(Date.now() - 10 * 60_000) } }));
    const skewed = await behind.probe();
    behind.close();
    expect(skewed).toMatchObject({ online: true, clockSkewed: true });
    if (skewed.online) expect(skewed.clockSkewMs).toBeGreaterThan(9 * 60_000);
  });

  it('is offline with a reason: wrong credentials (permanent), no server (retryable), missing base', async () => {
    const wrong = createHeadOffice(options(`${peer.url}reports/`, { auth: { kind: 'basic', user: peer.user, password: 'x' } }));
    expect(await wrong.probe()).toMatchObject({ online: false, retryable: false, error: { code: 'SYNC_AUTH_FAILED' } });
    wrong.close();
    const absent = createHeadOffice(options('http://127.0.0.1:9/'));
    expect(await absent.probe()).toMatchObject({ online: false, retryable: true, error: { code: 'SYNC_UNREACHABLE' } });
    absent.close();
    const missing = createHeadOffice(options(`${peer.url}nowhere/`));
    expect(await missing.probe()).toMatchObject({ online: false, retryable: false, error: { code: 'SYNC_BASE_MISSING' } });
    missing.close();
  });

  it('reaches an HTTPS head office through the company CA, and refuses it without', async () => {
    const trusted = createHeadOffice(options(`${tlsPeer.url}reports/`, { ca: ca.caPem }));
    expect(await trusted.probe()).toMatchObject({ online: true });
    expect((await trusted.checkServer()).safe).toBe(true);
    trusted.close();
    const untrusted = createHeadOffice(options(`${tlsPeer.url}reports/`));
    expect(await untrusted.probe()).toMatchObject({ online: false, retryable: false, error: { code: 'SYNC_TLS_UNTRUSTED' } });
    untrusted.close();
  });
});

describe('plans from head office', () => {
  it('lists the plan files in <base>/plans/ and downloads one, bounded', async () => {
    const office = createHeadOffice(options(`${peer.url}reports/`));
    expect(await office.listPlans()).toEqual([]);
    const plan = 'apiVersion: fieldrun/v1\nkind: InstallationPlan\n';
    peer.placeFile('reports/plans/zurich-rollout.yaml', plan);
    peer.placeFile('reports/plans/zurich-rollout.yaml.sig', 'sig');
    const listed = await office.listPlans();
    expect(listed.map((p) => p.name)).toEqual(['zurich-rollout.yaml', 'zurich-rollout.yaml.sig']);
    expect(listed[0]?.length).toBe(plan.length);

    const downloaded = await office.downloadPlan('zurich-rollout.yaml');
    expect(downloaded.bytes.toString('utf8')).toBe(plan);
    await expect(office.downloadPlan('zurich-rollout.yaml', 10)).rejects.toMatchObject({ code: 'SYNC_RESPONSE_TOO_LARGE' });
    await expect(office.downloadPlan('../reports/x')).rejects.toMatchObject({ code: 'SYNC_NAME_INVALID' });
    await expect(office.downloadPlan('gone.yaml')).rejects.toMatchObject({ code: 'PLAN_NOT_FOUND' });
    office.close();
  });

  it('finds no plans where head office has no plans folder', async () => {
    const office = createHeadOffice(options(`${tlsPeer.url}reports/`, { ca: ca.caPem }));
    expect(await office.listPlans()).toEqual([]);
    office.close();
  });
});
