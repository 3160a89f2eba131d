import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadOffice, siteSlug, type HeadOffice } from '../../../electron/core/sync';
import { filesOnServer, sha256, SIGNATURE_NAME, temporariesOnServer, writeBundle } from './bundleFixture';
import { startNginxPeer, type NginxPeer } from './nginx/nginxPeer';

const clock = { nowUtc: () => new Date() };
let peer: NginxPeer;
let office: HeadOffice;
let work: string;

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'] });
  office = createHeadOffice({ baseUrl: `${peer.url}reports`, auth: { kind: 'basic', user: peer.user, password: peer.password }, clock, random: Math.random });
  work = mkdtempSync(join(tmpdir(), 'fieldrun-sync-'));
});

afterAll(async () => {
  office?.close();
  await peer?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('uploadBundle against nginx', () => {
  it('lands every file at <base>/<site>/<run>/<seq>/<file> with the right bytes, signature last', async () => {
    const files = writeBundle(join(work, 'b1'), 'first');
    const outcome = await office.uploadBundle({ siteSlug: siteSlug('Zürich / 3'), runId: 'run-01', exportSeq: 1, files, signatureName: SIGNATURE_NAME });
    expect(outcome.status).toBe('delivered');
    expect(outcome.folder).toBe('/reports/zurich-3/run-01/1/');
    expect(outcome.files.map((f) => f.name).at(-1)).toBe(SIGNATURE_NAME);
    expect(outcome.files.every((f) => f.kind === 'delivered' && !f.alreadyThere)).toBe(true);
    // Nothing is deleted locally because it was uploaded.
    for (const file of files) expect(sha256(readFileSync(file.localPath))).toBe(file.sha256);
    for (const file of files) {
      const onServer = readFileSync(join(peer.davRoot, 'reports/zurich-3/run-01/1', file.name));
      expect(sha256(onServer)).toBe(file.sha256);
    }
    expect(temporariesOnServer(peer.davRoot)).toEqual([]);
  });

  it('counts a second upload of the same bundle as delivered without rewriting anything', async () => {
    const files = writeBundle(join(work, 'b2'), 'again');
    const bundle = { siteSlug: 'depot', runId: 'run-02', exportSeq: 1, files, signatureName: SIGNATURE_NAME };
    expect((await office.uploadBundle(bundle)).status).toBe('delivered');
    const serverPath = join(peer.davRoot, 'reports/depot/run-02/1/report.json');
    const inodeBefore = statSync(serverPath).ino;
    const second = await office.uploadBundle(bundle);
    expect(second.status).toBe('delivered');
    expect(second.files.every((f) => f.kind === 'delivered' && f.alreadyThere)).toBe(true);
    expect(statSync(serverPath).ino).toBe(inodeBefore);
    expect(temporariesOnServer(peer.davRoot)).toEqual([]);
  });

  it('reports a conflict for a different file already there and leaves both copies untouched', async () => {
    const files = writeBundle(join(work, 'b3'), 'mine');
    const theirs = Buffer.from('{"report":"someone else"}');
    const folder = join(peer.davRoot, 'reports/depot/run-03/1');
    peer.placeFile('reports/depot/run-03/1/journal.jsonl', theirs);
    const localBefore = files.map((f) => readFileSync(f.localPath));

    const outcome = await office.uploadBundle({ siteSlug: 'depot', runId: 'run-03', exportSeq: 1, files, signatureName: SIGNATURE_NAME });
    expect(outcome.status).toBe('conflict');
    expect(outcome.error?.code).toBe('SYNC_CONFLICT');
    const conflict = outcome.files.find((f) => f.kind === 'conflict');
    expect(conflict).toMatchObject({ name: 'journal.jsonl', serverSha256: sha256(theirs), localSha256: files[1]?.sha256 });
    expect(readFileSync(join(folder, 'journal.jsonl'))).toEqual(theirs);
    // The commit marker never goes up next to a conflicting file.
    expect(filesOnServer(folder)).not.toContain(SIGNATURE_NAME);
    expect(files.map((f) => readFileSync(f.localPath))).toEqual(localBefore);
    expect(temporariesOnServer(peer.davRoot)).toEqual([]);

    // A second export of the same run goes to its own folder: no conflict.
    const again = await office.uploadBundle({ siteSlug: 'depot', runId: 'run-03', exportSeq: 2, files, signatureName: SIGNATURE_NAME });
    expect(again.status).toBe('delivered');
    expect(again.folder).toBe('/reports/depot/run-03/2/');
  });

  it('stops with what to fix on wrong credentials (401), a missing base, no write access (403), or a changed local file', async () => {
    const files = writeBundle(join(work, 'b4'), 'denied');
    const bundle = { siteSlug: 'depot', runId: 'run-04', exportSeq: 1, files, signatureName: SIGNATURE_NAME };
    const wrong = createHeadOffice({ baseUrl: `${peer.url}reports/`, auth: { kind: 'basic', user: peer.user, password: 'wrong' }, clock, random: Math.random });
    const denied = await wrong.uploadBundle(bundle);
    wrong.close();
    expect(denied).toMatchObject({ status: 'permanent', error: { code: 'SYNC_AUTH_FAILED' } });
    expect(denied.error?.message).not.toContain('wrong');

    const lost = createHeadOffice({ baseUrl: `${peer.url}no-such-base/`, auth: { kind: 'basic', user: peer.user, password: peer.password }, clock, random: Math.random });
    const missing = await lost.uploadBundle(bundle);
    lost.close();
    expect(missing).toMatchObject({ status: 'permanent', error: { code: 'SYNC_BASE_MISSING' } });

    const barred = createHeadOffice({ baseUrl: `${peer.url}forbidden/`, auth: { kind: 'basic', user: peer.user, password: peer.password }, clock, random: Math.random });
    const forbidden = await barred.uploadBundle(bundle);
    barred.close();
    expect(forbidden).toMatchObject({ status: 'permanent', error: { code: 'SYNC_FORBIDDEN' } });

    writeFileSync(files[0]!.localPath, 'tampered after export');
    const changed = await office.uploadBundle(bundle);
    expect(changed).toMatchObject({ status: 'permanent', error: { code: 'SYNC_LOCAL_FILE_CHANGED' } });
    expect(filesOnServer(peer.davRoot).filter((p) => p.startsWith('reports/depot/run-04/'))).toEqual([]);
    expect(temporariesOnServer(peer.davRoot)).toEqual([]);
  });

  it('refuses names that would leave the bundle folder', async () => {
    const files = writeBundle(join(work, 'b5'), 'names');
    const base = { siteSlug: 'depot', runId: 'run-05', exportSeq: 1, files, signatureName: SIGNATURE_NAME };
    for (const bad of [
      { ...base, siteSlug: '../x' },
      { ...base, runId: '..' },
      { ...base, exportSeq: 0 },
      { ...base, files: [...files, { ...files[0]!, name: '../escape' }] },
      { ...base, signatureName: 'absent.sig' },
    ]) {
      const outcome = await office.uploadBundle(bad);
      expect(outcome).toMatchObject({ status: 'permanent', error: { code: 'SYNC_NAME_INVALID' } });
    }
    expect(filesOnServer(peer.davRoot).filter((p) => !p.startsWith('reports/'))).toEqual([]);
  });
});
