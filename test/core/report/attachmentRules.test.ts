// When attachments may be added, and what is trusted when they are read and signed: nothing is
// attached once the client signed or the run is over, a stored file damaged after it was attached
// is never signed into a bundle under the journaled hash, and reads are served in ranges from the
// stored file, checked against the hash.
import { createHash } from 'node:crypto';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldRun } from '../../../shared/run';
import { createCore, type Core } from '../../../electron/core/core';
import { AttachmentStore } from '../../../electron/core/report/attachments';
import { attachmentsClosedBecause } from '../../../electron/core/report/attachments/runAttachments';
import { EXAMPLE_PLAN_DIR, call, mkdtempSync, removeTempDirs } from '../runner/runLab';
import { makeIdentity } from './bundleFixture';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n% the signed handover protocol\ntrailer <<>>\n%%EOF\n');

let core: Core;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-attachment-rules-'));
  core = createCore({ dataDir: join(work, 'data'), strictOutputs: true, appVersion: '0.1.0-test', signing: { identity: await makeIdentity(work) } });
});
afterAll(() => {
  core?.close();
  removeTempDirs();
});

async function upload(name: string, bytes: Buffer): Promise<string> {
  const { uploadId } = await call(core, 'files.upload.begin', { name, size: bytes.length, sha256: sha256(bytes) });
  await call(core, 'files.upload.chunk', { uploadId, offset: 0, data: bytes.toString('base64') });
  await call(core, 'files.upload.finish', { uploadId });
  return uploadId;
}

async function newRun(): Promise<{ runId: string; seq: number }> {
  const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: EXAMPLE_PLAN_DIR }, acknowledgeUntrusted: { note: 'test plan' } });
  const { runId } = await call(core, 'runs.create', { planHash: plan.hash });
  return { runId, seq: (await call(core, 'runs.get', { runId })).head.seq };
}

describe('adding an attachment', () => {
  it('is refused once the run is aborted, saying why, and records nothing', async () => {
    const { runId, seq } = await newRun();
    const aborted = (await call(core, 'runs.abort', { runId, expectSeq: seq, reason: 'client postponed' })).seq;
    const photo = await upload('late.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    const refused = await core.dispatch('runs.attachments.add', { runId, expectSeq: aborted, target: { kind: 'checklist', itemId: 'backup-confirmed' }, uploadId: photo });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('RUN_PHASE_WRONG');
    expect(refused.error.message).toContain('the run is aborted, and its record is closed');
    expect((await call(core, 'runs.get', { runId })).head.seq).toBe(aborted);
  });

  it('is closed once any sign-off exists, or the run is done or rolled back', async () => {
    const { runId } = await newRun();
    const state = foldRun(core.store.journal.events(runId));
    expect(attachmentsClosedBecause(state)).toBeUndefined();
    const signed = { ...state, phase: 'handover' as const, signOffs: { 'client-operations': { role: 'client-operations', name: 'Claire Client', seq: 9, timeUtc: '2026-01-01T00:00:00Z' } } };
    expect(attachmentsClosedBecause(signed)).toMatch(/already signed off \(by client-operations\), and a file added now would change what they signed/);
    expect(attachmentsClosedBecause({ ...state, phase: 'done' })).toMatch(/the run is done/);
    expect(attachmentsClosedBecause({ ...state, phase: 'rolled-back' })).toMatch(/the run is rolled-back/);
    expect(attachmentsClosedBecause({ ...state, phase: 'handover' })).toBeUndefined();
  });
});

describe('exporting attachments', () => {
  it('refuses to sign a stored file damaged after it was attached, and records no export', async () => {
    const { runId, seq } = await newRun();
    const added = await call(core, 'runs.attachments.add', { runId, expectSeq: seq, target: { kind: 'handover', itemId: 'release-running' }, uploadId: await upload('protocol.pdf', PDF) });
    const stored = join(core.store.dataDir, 'attachments', sha256(PDF));
    const damaged = Buffer.from(PDF);
    damaged[20] = damaged[20]! ^ 0x20;
    writeFileSync(stored, damaged);
    try {
      const refused = await core.dispatch('reports.export', { runId });
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.code).toBe('ATTACHMENT_NOT_FOUND');
        expect(refused.error.message).toContain(`the run recorded ${sha256(PDF)}`);
      }
      expect((await call(core, 'runs.get', { runId })).state.exports).toEqual([]);
    } finally {
      writeFileSync(stored, PDF);
    }
    const exported = await call(core, 'reports.export', { runId });
    expect((await call(core, 'runs.get', { runId })).head.seq).toBe(exported.seq);
    expect(added.attachment.sha256).toBe(sha256(PDF));
  });
});

describe('reading an attachment in ranges', () => {
  it('answers the bytes asked for, checked against the hash, and refuses a file damaged or cut short', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-attachment-ranges-'));
    const store = new AttachmentStore(dataDir);
    const source = join(dataDir, 'source.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    writeFileSync(source, bytes);
    const put = await store.put(source, 'scan.bin');
    const attachment = { sha256: put.sha256, size: put.size, name: 'scan.bin' };
    expect((await store.readRange(attachment, 0, 1024 * 1024)).equals(bytes.subarray(0, 1024 * 1024))).toBe(true);
    expect((await store.readRange(attachment, 3 * 1024 * 1024, 1024 * 1024)).equals(bytes.subarray(3 * 1024 * 1024))).toBe(true);
    expect((await store.readRange(attachment, bytes.length, 10)).length).toBe(0);

    truncateSync(store.pathOf(put.sha256), 100);
    await expect(store.readRange(attachment, 0, 10)).rejects.toThrow(/missing or damaged/);

    const fresh = new AttachmentStore(dataDir);
    const flipped = Buffer.from(bytes);
    flipped[7] = flipped[7]! ^ 1;
    writeFileSync(fresh.pathOf(put.sha256), flipped);
    await expect(fresh.readRange(attachment, 0, 10)).rejects.toThrow(/missing or damaged/);
    expect(readFileSync(fresh.pathOf(put.sha256)).length).toBe(bytes.length);
  });
});
