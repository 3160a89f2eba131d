// Uploads a page gave up on never block the next import: files.upload.discard drops one at once,
// finished uploads nobody used expire after an hour, stalled ones after ten minutes, and a ninth
// upload makes room by dropping the oldest finished one. Names that Windows would misread
// (alternate data streams, device names) are refused at the contract.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileHandlers } from '../../../electron/core/api/handlers/files';
import { FINISHED_UPLOAD_TTL_MS, MAX_HELD_UPLOADS, STALLED_UPLOAD_TTL_MS, UploadArea } from '../../../electron/core/files/uploadArea';
import { fileMethods } from '../../../shared/contract/files';

const work = mkdtempSync(join(tmpdir(), 'fieldrun-upload-lifetime-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function areaAt(name: string): { area: UploadArea; root: string; clock: { now: number }; files: ReturnType<typeof fileHandlers> } {
  const clock = { now: 1_000_000 };
  const root = join(work, name);
  const area = new UploadArea(root, () => clock.now);
  return { area, root, clock, files: fileHandlers(area) };
}

function send(files: ReturnType<typeof fileHandlers>, name: string, bytes: Buffer, finish = true): string {
  const { uploadId } = files['files.upload.begin']({ name, size: bytes.length, sha256: sha256(bytes) });
  files['files.upload.chunk']({ uploadId, offset: 0, data: bytes.toString('base64') });
  if (finish) files['files.upload.finish']({ uploadId });
  return uploadId;
}

describe('files.upload.discard', () => {
  it('drops an upload under way or finished, with its bytes; a second discard finds nothing', () => {
    const { area, root, files } = areaAt('discard');
    const finished = send(files, 'plan.yaml', Buffer.from('apiVersion: fieldrun/v1\n'));
    const halfway = send(files, 'photo.jpg', Buffer.from('first half'), false);
    expect(readdirSync(root).sort()).toEqual([finished, halfway].sort());
    expect(files['files.upload.discard']({ uploadId: finished })).toEqual({ discarded: true });
    expect(files['files.upload.discard']({ uploadId: halfway })).toEqual({ discarded: true });
    expect(files['files.upload.discard']({ uploadId: halfway })).toEqual({ discarded: false });
    expect(readdirSync(root)).toEqual([]);
    expect(() => area.finished(finished)).toThrow(/no finished upload/);
  });

  it('is declared in the contract with the upload id as its only input', () => {
    const input = fileMethods['files.upload.discard'].input;
    expect(input.safeParse({ uploadId: 'a'.repeat(32) }).success).toBe(true);
    expect(input.safeParse({ uploadId: '../x' }).success).toBe(false);
  });
});

describe('uploads nobody uses', () => {
  it('eight failed attempts do not block a ninth: the oldest finished one is dropped to make room', () => {
    const { area, root, files, clock } = areaAt('full');
    const ids: string[] = [];
    for (let i = 0; i < MAX_HELD_UPLOADS; i++) {
      clock.now += 1000;
      ids.push(send(files, `attempt-${i}.jpg`, Buffer.from(`photo ${i}`)));
    }
    clock.now += 1000;
    const ninth = send(files, 'attempt-8.jpg', Buffer.from('photo 8'));
    expect(existsSync(join(root, ids[0]!))).toBe(false);
    expect(() => area.finished(ids[0]!)).toThrow(/UPLOAD|no finished upload/);
    expect(area.finished(ninth).path).toContain(ninth);
    expect(area.finished(ids[1]!).path).toContain(ids[1]!);
  });

  it('eight uploads still under way refuse a ninth, until they stall for ten minutes', () => {
    const { files, clock } = areaAt('busy');
    for (let i = 0; i < MAX_HELD_UPLOADS; i++) send(files, `big-${i}.tar`, Buffer.from('part'), false);
    expect(() => send(files, 'one-more.tar', Buffer.from('x'))).toThrow(/already under way/);
    clock.now += STALLED_UPLOAD_TTL_MS + 1;
    expect(send(files, 'one-more.tar', Buffer.from('x'))).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a finished upload expires an hour after it finished, an upload in use does not', () => {
    const { area, root, files, clock } = areaAt('expiry');
    const unused = send(files, 'refused-plan.yaml', Buffer.from('kind: InstallationPlan\n'));
    clock.now += FINISHED_UPLOAD_TTL_MS - 1000;
    const recent = send(files, 'recent.yaml', Buffer.from('kind: InstallationPlan\n# 2\n'));
    clock.now += 2000;
    expect(() => area.finished(unused)).toThrow(/expired/);
    expect(existsSync(join(root, unused))).toBe(false);
    expect(area.finished(recent).path).toContain(recent);
  });
});

describe('upload names', () => {
  const begin = fileMethods['files.upload.begin'].input;
  const accepted = (name: string): boolean => begin.safeParse({ name, size: 1, sha256: 'a'.repeat(64) }).success;

  it('refuse what Windows would read as a stream, a device or another name', () => {
    for (const name of ['photo.jpg:hidden', 'CON', 'con.txt', 'aux.tar.gz', 'NUL', 'Com1.jpg', 'lpt9', 'prn.yaml', 'photo.jpg.', 'photo.jpg ', 'tab\there.jpg', 'bell\u0007.jpg', 'del\u007f.jpg', 'a/b.jpg', 'a\\b.jpg', '..', '.']) {
      expect(accepted(name), name).toBe(false);
    }
  });

  it('accept ordinary names, including ones that merely start like a device name', () => {
    for (const name of ['plan.yaml', 'Übergabe protokoll.pdf', 'console.log', 'com10.jpg', 'auxiliary.png', 'nullable.txt', '.hidden', 'rack front (2).jpg']) {
      expect(accepted(name), name).toBe(true);
    }
  });
});
