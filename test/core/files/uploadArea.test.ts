import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileHandlers } from '../../../electron/core/api/handlers/files';
import { UploadArea } from '../../../electron/core/files/uploadArea';
import { importPlanAt } from '../../../electron/core/plan/importPlan';
import { openStore } from '../../../electron/core/store';
import { fileMethods, MAX_UPLOAD_CHUNK_BYTES } from '../../../shared/contract/files';

const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-uploads-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const area = UploadArea.inDataDir(dataDir);
const files = fileHandlers(area);

// Inputs go through the contract's schemas first, as dispatch does.
const begin = (input: unknown) => files['files.upload.begin'](fileMethods['files.upload.begin'].input.parse(input));
const chunk = (input: unknown) => files['files.upload.chunk'](fileMethods['files.upload.chunk'].input.parse(input));
const finish = (input: unknown) => files['files.upload.finish'](fileMethods['files.upload.finish'].input.parse(input));
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function upload(name: string, bytes: Buffer, chunkSize = 1000): string {
  const { uploadId } = begin({ name, size: bytes.length, sha256: sha256(bytes) });
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    chunk({ uploadId, offset, data: bytes.subarray(offset, offset + chunkSize).toString('base64') });
  }
  return uploadId;
}

describe('chunked uploads', () => {
  it('carries a plan file in chunks that plans can then import', async () => {
    const plan = readFileSync('resources/plans/first-plan.yaml');
    const uploadId = upload('first-plan.yaml', plan, 700);
    expect(finish({ uploadId })).toEqual({ uploadId, name: 'first-plan.yaml', size: plan.length, sha256: sha256(plan) });
    const store = openStore({ dataDir: join(dataDir, 'store') });
    try {
      const { path, name } = area.finished(uploadId);
      // The bytes sit under a fixed name; the page's name is data, and the stored plan keeps it.
      expect(path.endsWith(`${uploadId}/content`)).toBe(true);
      const { plan: stored } = await importPlanAt(store, path, { trustedPlanSigners: '', acknowledgement: { note: 'upload test', at: new Date().toISOString() } }, name);
      expect(stored.hash).toBe(sha256(plan));
      expect(stored.source).toMatchObject({ kind: 'file', name: 'first-plan.yaml', planFile: 'first-plan.yaml' });
    } finally {
      store.close();
    }
    area.discard(uploadId);
    expect(() => area.finished(uploadId)).toThrow(expect.objectContaining({ code: 'UPLOAD_NOT_FOUND' }));
  });

  it('refuses a chunk at the wrong offset and says where to resume', () => {
    const bytes = Buffer.from('0123456789');
    const { uploadId } = begin({ name: 'a.yaml', size: 10, sha256: sha256(bytes) });
    chunk({ uploadId, offset: 0, data: bytes.subarray(0, 4).toString('base64') });
    expect(() => chunk({ uploadId, offset: 2, data: bytes.subarray(2).toString('base64') })).toThrow(expect.objectContaining({ code: 'UPLOAD_INVALID', details: { expectedOffset: 4 } }));
    chunk({ uploadId, offset: 4, data: bytes.subarray(4).toString('base64') });
    expect(finish({ uploadId }).size).toBe(10);
  });

  it('discards an upload that is longer, shorter or other than announced', () => {
    const bytes = Buffer.from('announced');
    const long = begin({ name: 'b.yaml', size: 3, sha256: sha256(bytes) }).uploadId;
    expect(() => chunk({ uploadId: long, offset: 0, data: bytes.toString('base64') })).toThrow(expect.objectContaining({ code: 'UPLOAD_INVALID' }));
    const other = upload('c.yaml', Buffer.from('different'));
    const forged = begin({ name: 'd.yaml', size: 9, sha256: sha256(bytes) }).uploadId;
    chunk({ uploadId: forged, offset: 0, data: Buffer.from('different').toString('base64') });
    expect(() => finish({ uploadId: forged })).toThrow(expect.objectContaining({ code: 'UPLOAD_INVALID' }));
    const short = begin({ name: 'e.yaml', size: 100, sha256: sha256(bytes) }).uploadId;
    expect(() => finish({ uploadId: short })).toThrow(expect.objectContaining({ code: 'UPLOAD_INVALID' }));
    for (const id of [long, forged, short]) expect(existsSync(join(dataDir, 'uploads', id))).toBe(false);
    area.discard(other);
  });

  it('refuses names with folders, unknown ids and oversized chunks at the contract', () => {
    for (const name of ['../plan.yaml', 'a/b.yaml', 'a\\b.yaml', '..', '']) {
      expect(fileMethods['files.upload.begin'].input.safeParse({ name, size: 1, sha256: '0'.repeat(64) }).success, name).toBe(false);
    }
    expect(fileMethods['files.upload.chunk'].input.safeParse({ uploadId: '0'.repeat(32), offset: 0, data: 'A'.repeat(Math.ceil(MAX_UPLOAD_CHUNK_BYTES / 3) * 4 + 4) }).success).toBe(false);
    expect(() => chunk({ uploadId: 'f'.repeat(32), offset: 0, data: '' })).toThrow(expect.objectContaining({ code: 'UPLOAD_NOT_FOUND' }));
  });

  it('starts empty: uploads do not survive a restart', () => {
    upload('left-over.yaml', Buffer.from('x'));
    UploadArea.inDataDir(dataDir);
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual([]);
  });
});
