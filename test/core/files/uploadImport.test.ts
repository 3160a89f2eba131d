import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from '../../../electron/core/api/dispatch';
import { EventHub } from '../../../electron/core/api/eventHub';
import { fileHandlers } from '../../../electron/core/api/handlers/files';
import { planHandlers } from '../../../electron/core/api/handlers/plans';
import { UploadArea } from '../../../electron/core/files/uploadArea';
import { openStore, systemClock } from '../../../electron/core/store';
import { METHOD_NAMES } from '../../../shared/contract';

const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-upload-import-'));
const store = openStore({ dataDir });
const uploads = UploadArea.inDataDir(dataDir);
afterAll(() => {
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// The real dispatcher with the real plan handlers; the methods this test does not call answer nothing.
const others = Object.fromEntries(METHOD_NAMES.map((m) => [m, () => Promise.reject(new Error(`${m} is not part of this test`))]));
const dispatch = createDispatcher({ ...others, ...planHandlers(store, new EventHub(), systemClock, uploads) } as Handlers);

describe('plans.import from an upload', () => {
  it('imports a plan sent in chunks, then forgets the upload', async () => {
    const bytes = readFileSync('resources/plans/first-plan.yaml');
    const files = fileHandlers(uploads);
    const { uploadId } = files['files.upload.begin']({ name: 'first-plan.yaml', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    files['files.upload.chunk']({ uploadId, offset: 0, data: bytes.toString('base64') });
    files['files.upload.finish']({ uploadId });
    const result = await dispatch('plans.import', { source: { kind: 'upload', uploadId }, acknowledgeUntrusted: { note: 'upload import test' } });
    expect(result).toMatchObject({ ok: true, value: { plan: { source: { kind: 'file', name: 'first-plan.yaml' } }, alreadyImported: false } });
    expect(await dispatch('plans.import', { source: { kind: 'upload', uploadId } })).toMatchObject({ ok: false, error: { code: 'UPLOAD_NOT_FOUND' } });
  });

  it('refuses an upload id that is not one, before any handler runs', async () => {
    expect(await dispatch('plans.import', { source: { kind: 'upload', uploadId: '../../etc/passwd' } })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });
});
