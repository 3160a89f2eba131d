import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { readRange } from '../../fs/readRange';
import { join } from 'node:path';
import { AppError } from '../../../../shared/errors';
import type { ReportExport, RunState } from '../../../../shared/run';
import { REPORT_NAMESPACE } from '../../sshsig/namespaces';
import { fingerprintOfBlob, parseOpenSshPublicKey } from '../../sshsig/publicKeys';
import type { Store } from '../../store';
import { createOutboxRepository, type OutboxRepository } from '../../sync/outbox';
import { MANIFEST_FILE } from '../bundleManifest';
import { verifyBundle } from '../verifyBundle';

// The report screen's view of a run's exports: where each one is (the journal says that it was
// made, the outbox entry committed with it says where), verifying one as head office would, and
// its signed archive read in ranges for the browser-mode download.

/** Largest range of an archive one call answers (before base64). */
export const MAX_ARCHIVE_READ_BYTES = 4 * 1024 * 1024;
/** The principal this laptop's key gets in the allowed_signers line built to verify its own exports. */
const THIS_LAPTOP = 'this-laptop';

export interface LocatedExport {
  readonly exportSeq: number;
  readonly exportedAt: string;
  readonly bundleDir: string;
  readonly archivePath: string;
  readonly archiveSize: number;
  readonly manifestSha256: string;
  readonly archiveSha256: string;
}

export function exportLocator(store: Store): (runId: string, exported: ReportExport) => LocatedExport | undefined {
  const outbox: OutboxRepository = createOutboxRepository(store.db, { nowUtc: () => new Date() });
  return (runId, exported) => {
    const entry = outbox.get(exported.outboxId);
    const archive = entry?.files[0];
    if (entry === undefined || archive === undefined || entry.runId !== runId || entry.exportSeq !== exported.exportSeq) return undefined;
    const archivePath = join(entry.bundleDir, archive.name);
    return {
      exportSeq: exported.exportSeq,
      exportedAt: exported.timeUtc,
      bundleDir: archivePath.replace(/\.tar$/, ''),
      archivePath,
      archiveSize: archive.size,
      manifestSha256: exported.manifestSha256,
      archiveSha256: exported.archiveSha256,
    };
  };
}

/** The run's exports, newest first (an export whose outbox entry is gone cannot be located and is left out). */
export function listExports(locate: ReturnType<typeof exportLocator>, runId: string, state: RunState): LocatedExport[] {
  return state.exports
    .map((e) => locate(runId, e))
    .filter((e): e is LocatedExport => e !== undefined)
    .sort((a, b) => b.exportSeq - a.exportSeq);
}

export function findExport(locate: ReturnType<typeof exportLocator>, runId: string, state: RunState, exportSeq: number): LocatedExport {
  const exported = state.exports.find((e) => e.exportSeq === exportSeq);
  const located = exported === undefined ? undefined : locate(runId, exported);
  if (located === undefined) {
    const made = state.exports.map((e) => e.exportSeq).join(', ');
    throw new AppError('REPORT_EXPORT_NOT_FOUND', `Run ${runId} has no export ${exportSeq}${made === '' ? ' (it was never exported)' : ` (its exports: ${made})`}. Pick an export from the list, or export the report.`, {
      runId,
      exportSeq,
    });
  }
  return located;
}

export interface ExportVerdict {
  readonly ok: boolean;
  readonly signerFingerprint: string | null;
  readonly lines: string[];
  readonly failure?: { readonly code: string; readonly message: string };
}

/**
 * Verifies an export as head office would (signature, every file's hash, nothing missing or extra,
 * the journal chain), trusting only this laptop's own key. The archive (what head office gets and
 * what reports.archive.read serves) is always hashed and must be the very one recorded at export;
 * the bundle folder, while it is still here, is then verified too and must carry the recorded manifest.
 */
export async function verifyExport(located: LocatedExport, laptopPublicKey: string | undefined): Promise<ExportVerdict> {
  const laptopKey = laptopPublicKey === undefined ? undefined : parseOpenSshPublicKey(laptopPublicKey);
  const laptopFingerprint = laptopKey === undefined ? undefined : fingerprintOfBlob(laptopKey.blob);
  const lines: string[] = [];
  const failed = (code: string, message: string, signerFingerprint: string | null = null): ExportVerdict => ({
    ok: false,
    signerFingerprint,
    lines: [...lines, `FAILED: ${message}`],
    failure: { code, message },
  });

  const archiveSha256 = await sha256OfFile(located.archivePath);
  if (archiveSha256 === undefined) return failed('REPORT_EXPORT_NOT_FOUND', `The archive of export ${located.exportSeq} (${located.archivePath}) is gone from this laptop. Export the report again.`);
  if (archiveSha256 !== located.archiveSha256) {
    return failed(
      'REPORT_FILE_HASH_MISMATCH',
      `The archive ${located.archivePath} is not the one this run exported as number ${located.exportSeq} (SHA-256 ${archiveSha256}, the journal recorded ${located.archiveSha256}): it was changed or replaced. Export the report again.`,
    );
  }
  lines.push(`archive: ${located.archivePath} is the one recorded in the run's journal at export ${located.exportSeq} (SHA-256 ${archiveSha256})`);

  const folder = await stat(located.bundleDir).catch(() => undefined);
  const path = folder?.isDirectory() === true ? located.bundleDir : located.archivePath;
  const allowedSigners = laptopKey === undefined ? undefined : `${THIS_LAPTOP} namespaces="${REPORT_NAMESPACE}" ${laptopKey.type} ${laptopKey.blob.toString('base64')}\n`;
  const verdict = await verifyBundle(path, allowedSigners === undefined ? {} : { allowedSigners });
  lines.push(`checked: ${path}`, ...verdict.found);
  const signerFingerprint = verdict.signer?.fingerprint ?? null;
  if (verdict.status === 'invalid') return failed(verdict.code ?? 'REPORT_BUNDLE_INVALID', verdict.reason, signerFingerprint);
  if (verdict.status === 'untrusted') {
    const message =
      laptopFingerprint === undefined
        ? `The bundle is intact and signed by ${signerFingerprint ?? 'an unknown key'}, but this laptop has no signing key to compare it with. Set up the technician key, then verify again.`
        : `The bundle is intact but signed by ${signerFingerprint ?? 'an unknown key'}, which is not this laptop's key ${laptopFingerprint}. Treat it as not made here.`;
    return { ok: false, signerFingerprint, lines: [...lines, `NOT TRUSTED: ${message}`], failure: { code: 'SIGNER_UNTRUSTED', message } };
  }
  lines.push(`signed by this laptop's key ${laptopFingerprint ?? signerFingerprint ?? ''}`);
  if (path === located.bundleDir) {
    const manifestSha256 = createHash('sha256').update(await readFile(join(path, MANIFEST_FILE))).digest('hex');
    if (manifestSha256 !== located.manifestSha256) {
      return failed(
        'REPORT_BUNDLE_INVALID',
        `The bundle in ${path} is intact and signed, but it is not the one this run exported as number ${located.exportSeq} (manifest SHA-256 ${manifestSha256}, the journal recorded ${located.manifestSha256}). Export the report again.`,
        signerFingerprint,
      );
    }
    lines.push(`manifest: the one recorded in the run's journal at export ${located.exportSeq} (SHA-256 ${manifestSha256})`);
  }
  return { ok: true, signerFingerprint, lines };
}

async function sha256OfFile(path: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) hash.update(chunk);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

/** A byte range of the export's signed archive; the file must still have the size recorded at export. */
export async function readArchive(located: LocatedExport, offset: number, length: number): Promise<{ data: string; size: number }> {
  let handle;
  try {
    handle = await open(located.archivePath, 'r');
  } catch {
    throw new AppError('REPORT_EXPORT_NOT_FOUND', `The archive of export ${located.exportSeq} (${located.archivePath}) is gone from this laptop. Export the report again.`, { path: located.archivePath });
  }
  try {
    const size = (await handle.stat()).size;
    if (size !== located.archiveSize) {
      throw new AppError('REPORT_FILE_HASH_MISMATCH', `The archive of export ${located.exportSeq} (${located.archivePath}) is ${size} bytes, not the ${located.archiveSize} it had when signed: it was changed. Export the report again.`, {
        path: located.archivePath,
      });
    }
    if (offset > size) throw new AppError('INPUT_INVALID', `The archive is ${size} bytes; there is nothing at byte ${offset}.`, { size, offset });
    const data = await readRange(handle, offset, Math.min(length, MAX_ARCHIVE_READ_BYTES, size - offset));
    return { data: data.toString('base64'), size };
  } finally {
    await handle.close();
  }
}
