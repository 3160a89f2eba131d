import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadOffice } from '../../../electron/core/sync';
import { startNginxPeer, type NginxPeer } from './nginx/nginxPeer';
import { startOverwritingStandIn } from './overwritingStandIn';

const clock = { nowUtc: () => new Date() };
let peer: NginxPeer;

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'] });
});

afterAll(async () => {
  await peer?.stop();
});

describe('checkServer (the setup check)', () => {
  it('accepts nginx with WebDAV and leaves nothing behind', async () => {
    const office = createHeadOffice({ baseUrl: `${peer.url}reports/`, auth: { kind: 'basic', user: peer.user, password: peer.password }, clock, random: Math.random });
    const check = await office.checkServer();
    office.close();
    expect(check).toMatchObject({ safe: true });
    expect(check.checked).toHaveLength(3);
    expect(readdirSync(join(peer.davRoot, 'reports'))).toEqual([]);
  });

  it('refuses a stand-in server that overwrites on MOVE, saying why', async () => {
    const standIn = await startOverwritingStandIn();
    try {
      const office = createHeadOffice({ baseUrl: standIn.url, auth: { kind: 'bearer', token: 't0ken' }, clock, random: Math.random });
      const check = await office.checkServer();
      office.close();
      expect(check).toMatchObject({ safe: false, retryable: false, reason: { code: 'SYNC_SERVER_UNSAFE' } });
      if (!check.safe) expect(check.reason.message).toMatch(/overwrote/);
      expect(standIn.files.size).toBe(0);
    } finally {
      await standIn.close();
    }
  });

  it('refuses a stand-in server that returns other bytes than it stored', async () => {
    const standIn = await startOverwritingStandIn({ mangle: true });
    try {
      const office = createHeadOffice({ baseUrl: standIn.url, auth: { kind: 'bearer', token: 't0ken' }, clock, random: Math.random });
      const check = await office.checkServer();
      office.close();
      expect(check).toMatchObject({ safe: false, reason: { code: 'SYNC_SERVER_UNSAFE' } });
      if (!check.safe) expect(check.reason.message).toMatch(/different bytes/);
    } finally {
      await standIn.close();
    }
  });

  it('says what to fix for wrong credentials, a missing base, or no server at all', async () => {
    const wrong = createHeadOffice({ baseUrl: `${peer.url}reports/`, auth: { kind: 'basic', user: peer.user, password: 'nope' }, clock, random: Math.random });
    expect(await wrong.checkServer()).toMatchObject({ safe: false, retryable: false, reason: { code: 'SYNC_AUTH_FAILED' } });
    wrong.close();
    const missing = createHeadOffice({ baseUrl: `${peer.url}absent/`, auth: { kind: 'basic', user: peer.user, password: peer.password }, clock, random: Math.random });
    expect(await missing.checkServer()).toMatchObject({ safe: false, retryable: false, reason: { code: 'SYNC_BASE_MISSING' } });
    missing.close();
    const nobody = createHeadOffice({ baseUrl: 'http://127.0.0.1:9/', auth: { kind: 'bearer', token: 'x' }, clock, random: Math.random });
    expect(await nobody.checkServer()).toMatchObject({ safe: false, retryable: true, reason: { code: 'SYNC_UNREACHABLE' } });
    nobody.close();
  });
});
