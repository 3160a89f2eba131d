// What reports.verify and reports.archive.read stand behind: the archive head office gets is the
// very one recorded at export (hashed on every verify, even while the folder is intact), and an
// export is written only into a folder the technician could have chosen, never into the data
// folder's own internals.
import { copyFileSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../electron/core/core';
import type { SigningIdentity } from '../../../../electron/core/keys';
import { EXAMPLE_PLAN_DIR, call, mkdtempSync, removeTempDirs } from '../../runner/runLab';
import { makeIdentity } from '../bundleFixture';

let core: Core;
let identity: SigningIdentity;
let work: string;
let runId: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-run-exports-'));
  identity = await makeIdentity(work);
  core = createCore({ dataDir: join(work, 'data'), strictOutputs: true, appVersion: '0.1.0-test', signing: { identity } });
  const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: EXAMPLE_PLAN_DIR }, acknowledgeUntrusted: { note: 'test plan' } });
  ({ runId } = await call(core, 'runs.create', { planHash: plan.hash }));
});
afterAll(() => {
  core?.close();
  removeTempDirs();
});

describe('reports.verify', () => {
  it('hashes the archive every time: another validly signed archive in its place fails, though the folder is intact', async () => {
    const first = await call(core, 'reports.export', { runId });
    const second = await call(core, 'reports.export', { runId });
    expect((await call(core, 'reports.verify', { runId, exportSeq: 1 })).ok).toBe(true);
    const good = await call(core, 'reports.verify', { runId, exportSeq: 1 });
    expect(good.lines[0]).toMatch(/^archive: .* is the one recorded in the run's journal at export 1 \(SHA-256 [0-9a-f]{64}\)$/);

    const original = readFileSync(first.archivePath);
    copyFileSync(second.archivePath, first.archivePath);
    try {
      const swapped = await call(core, 'reports.verify', { runId, exportSeq: 1 });
      expect(swapped.ok).toBe(false);
      expect(swapped.failure?.code).toBe('REPORT_FILE_HASH_MISMATCH');
      expect(swapped.failure?.message).toContain('not the one this run exported as number 1');
    } finally {
      writeFileSync(first.archivePath, original);
    }
    expect((await call(core, 'reports.verify', { runId, exportSeq: 1 })).ok).toBe(true);
  });

  it('fails an archive cut short, and archive.read refuses it by its size', async () => {
    const exported = await call(core, 'reports.export', { runId });
    const kept = readFileSync(exported.archivePath);
    truncateSync(exported.archivePath, 0);
    const damaged = await call(core, 'reports.verify', { runId, exportSeq: exported.exportSeq });
    expect(damaged).toMatchObject({ ok: false, failure: { code: 'REPORT_FILE_HASH_MISMATCH' } });
    await expect(call(core, 'reports.archive.read', { runId, exportSeq: exported.exportSeq, offset: 0, length: 10 })).rejects.toThrow(/REPORT_FILE_HASH_MISMATCH: .* is 0 bytes, not the \d+/);
    writeFileSync(exported.archivePath, kept);
    expect(statSync(exported.archivePath).size).toBe(kept.length);
    expect((await call(core, 'reports.verify', { runId, exportSeq: exported.exportSeq })).ok).toBe(true);
  });
});

describe('reports.export outDir', () => {
  it('refuses a relative path, a file, a path whose parent does not exist and the data folder and its internals', async () => {
    const file = join(work, 'a-file.txt');
    writeFileSync(file, 'not a folder');
    const dataDir = core.store.dataDir;
    for (const outDir of ['reports', './out', file, join(work, 'no-such-folder', 'deeper'), join(file, 'inside-a-file'), dataDir, join(dataDir, 'new-folder'), join(dataDir, 'attachments'), join(dataDir, 'uploads')]) {
      const result = await core.dispatch('reports.export', { runId, outDir });
      expect(result.ok, outDir).toBe(false);
      if (!result.ok) expect(result.error.code, outDir).toBe('INPUT_INVALID');
    }
    expect((await call(core, 'runs.get', { runId })).state.exports).toHaveLength(3);
  });

  it('accepts an existing folder outside the data folder (or a new one directly inside it), and the data folder\'s own reports folder', async () => {
    const chosen = join(work, 'usb-stick');
    mkdirSync(chosen);
    const outside = await call(core, 'reports.export', { runId, outDir: chosen });
    expect(outside.bundleDir.startsWith(`${chosen}/`)).toBe(true);
    const own = await call(core, 'reports.export', { runId, outDir: join(core.store.dataDir, 'reports') });
    expect(own.exportSeq).toBe(outside.exportSeq + 1);
    // A new folder one level inside a chosen one is made by the export.
    const fresh = await call(core, 'reports.export', { runId, outDir: join(chosen, 'visit-2026-11') });
    expect(fresh.bundleDir.startsWith(join(chosen, 'visit-2026-11/'))).toBe(true);
  });
});
