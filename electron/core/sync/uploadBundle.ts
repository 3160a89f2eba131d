// A report bundle to `<base>/<site-slug>/<run-id>/<export-seq>/`: every file first, the
// signature last, so a folder holding the signature is a complete delivery (the commit marker).
// The attempt stops at the first file that is not delivered; the next attempt starts over and
// finds the delivered files by their equal content (412 + same SHA-256).
import { stat } from 'node:fs/promises';
import type { AppErrorData } from '../../../shared/errors';
import { sendDav, type DavConnection } from './davHttp';
import { failureOf, type TransferFailure } from './davOutcome';
import { parseMultistatus, childrenOf } from './multistatus';
import { removeTemporary, TEMPORARY_PREFIX, uploadFile, type FileOutcome, type LocalFile } from './uploadFile';

export interface BundleFile {
  name: string;
  localPath: string;
  sha256: string;
}

export interface BundleUpload {
  siteSlug: string;
  runId: string;
  exportSeq: number;
  files: BundleFile[];
  /** the signature file's name (one of `files`): uploaded last */
  signatureName: string;
}

export type BundleStatus = 'delivered' | 'conflict' | 'retryable' | 'permanent';

export interface BundleOutcome {
  status: BundleStatus;
  /** the bundle folder's path on the server */
  folder: string;
  /** one per file attempted, in upload order; files after the first failure are not attempted */
  files: FileOutcome[];
  /** set for retryable and permanent outcomes */
  error?: AppErrorData;
  /** the server's Retry-After, for nextAttemptDelay */
  retryAfter?: string;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const LISTING_LIMIT = 1024 * 1024;

export async function uploadBundle(connection: DavConnection, base: URL, bundle: BundleUpload): Promise<BundleOutcome> {
  const invalid = checkBundle(bundle);
  const folderParts = [bundle.siteSlug, bundle.runId, String(bundle.exportSeq)];
  const folder = new URL(folderParts.map((p) => `${encodeURIComponent(p)}/`).join(''), base);
  const folderPath = decodeURIComponent(folder.pathname);
  if (invalid !== undefined) return { status: 'permanent', folder: folderPath, files: [], error: invalid };

  const locals: LocalFile[] = [];
  for (const file of orderForUpload(bundle)) {
    try {
      locals.push({ ...file, length: (await stat(file.localPath)).size });
    } catch {
      return stopped(folderPath, [], {
        kind: 'permanent',
        error: { code: 'SYNC_LOCAL_FILE_CHANGED', message: `The local file ${file.name} of this report is missing. Export the report again.`, details: { name: file.name } },
      });
    }
  }

  const prepared = await prepareFolder(connection, base, folderParts);
  if (prepared !== undefined) return stopped(folderPath, [], prepared);

  const outcomes: FileOutcome[] = [];
  for (const file of locals) {
    const outcome = await uploadFile(connection, folder, file);
    outcomes.push(outcome);
    if (outcome.kind === 'conflict') {
      return {
        status: 'conflict',
        folder: folderPath,
        files: outcomes,
        error: {
          code: 'SYNC_CONFLICT',
          message: `Head office already holds a different ${file.name} in ${folderPath}. Nothing was overwritten; ask head office which copy is right.`,
          details: { path: outcome.path, localSha256: outcome.localSha256, serverSha256: outcome.serverSha256 ?? 'larger than the local file' },
        },
      };
    }
    if (outcome.kind === 'retryable' || outcome.kind === 'permanent') return stopped(folderPath, outcomes, outcome);
  }

  // A temporary whose DELETE was lost, or that a cut connection wrote late, goes now.
  const swept = await sweepTemporaries(connection, folder);
  if (swept !== undefined) return stopped(folderPath, outcomes, swept);
  return { status: 'delivered', folder: folderPath, files: outcomes };
}

function orderForUpload(bundle: BundleUpload): BundleFile[] {
  return [...bundle.files.filter((f) => f.name !== bundle.signatureName), ...bundle.files.filter((f) => f.name === bundle.signatureName)];
}

function checkBundle(bundle: BundleUpload): AppErrorData | undefined {
  const bad = (message: string): AppErrorData => ({ code: 'SYNC_NAME_INVALID', message });
  if (!SLUG.test(bundle.siteSlug)) return bad(`The site folder "${bundle.siteSlug}" is not a slug of [a-z0-9-]. Use siteSlug(site) to make it.`);
  if (!SEGMENT.test(bundle.runId)) return bad(`The run id "${bundle.runId}" cannot be a folder name on head office.`);
  if (!Number.isSafeInteger(bundle.exportSeq) || bundle.exportSeq < 1) return bad(`The export number ${bundle.exportSeq} must be a positive whole number.`);
  const names = new Set<string>();
  for (const file of bundle.files) {
    if (!SEGMENT.test(file.name)) return bad(`The bundle file name "${file.name}" cannot be a file name on head office.`);
    if (names.has(file.name)) return bad(`The bundle lists ${file.name} twice.`);
    if (!SHA256_HEX.test(file.sha256)) return bad(`The SHA-256 of ${file.name} is not 64 lowercase hex digits.`);
    names.add(file.name);
  }
  if (!names.has(bundle.signatureName)) return bad(`The signature ${bundle.signatureName} is not among the bundle's files.`);
  return undefined;
}

/**
 * Makes sure the bundle folder exists and holds no temporary of ours. PROPFIND first: on a retry
 * the folder usually exists, which saves the MKCOLs.
 */
async function prepareFolder(connection: DavConnection, base: URL, parts: string[]): Promise<TransferFailure | undefined> {
  const folder = new URL(parts.map((p) => `${encodeURIComponent(p)}/`).join(''), base);
  const listing = await sendDav(connection, { method: 'PROPFIND', url: folder, headers: { depth: '1' }, read: { kind: 'bytes', maxBytes: LISTING_LIMIT } });
  if (listing.ok && listing.status === 207) return removeListedTemporaries(connection, folder, listing.body.toString('utf8'));
  if (!(listing.ok && listing.status === 404)) return failureOf(listing, 'list the report folder');
  let url = base;
  for (const [index, part] of parts.entries()) {
    url = new URL(`${encodeURIComponent(part)}/`, url);
    const made = await sendDav(connection, { method: 'MKCOL', url, read: { kind: 'bytes', maxBytes: LISTING_LIMIT } });
    // 405: already there (a concurrent attempt or a retry after a lost answer).
    if (made.ok && (made.status === 201 || made.status === 405)) continue;
    if (made.ok && made.status === 409 && index === 0) {
      return {
        kind: 'permanent',
        error: {
          code: 'SYNC_BASE_MISSING',
          message: `The head-office folder ${decodeURIComponent(base.pathname)} does not exist. Check the address in the sync settings or ask head office to create it.`,
          details: { base: base.href },
        },
      };
    }
    return failureOf(made, 'create the report folder');
  }
  return undefined;
}

async function sweepTemporaries(connection: DavConnection, folder: URL): Promise<TransferFailure | undefined> {
  const listing = await sendDav(connection, { method: 'PROPFIND', url: folder, headers: { depth: '1' }, read: { kind: 'bytes', maxBytes: LISTING_LIMIT } });
  if (!(listing.ok && listing.status === 207)) return failureOf(listing, 'list the report folder');
  return removeListedTemporaries(connection, folder, listing.body.toString('utf8'));
}

async function removeListedTemporaries(connection: DavConnection, folder: URL, xml: string): Promise<TransferFailure | undefined> {
  const temporaries = childrenOf(parseMultistatus(xml), decodeURIComponent(folder.pathname)).filter((e) => !e.isCollection && e.name.startsWith(TEMPORARY_PREFIX));
  for (const entry of temporaries) {
    if (!(await removeTemporary(connection, new URL(encodeURIComponent(entry.name), folder)))) {
      return {
        kind: 'retryable',
        error: { code: 'SYNC_UNREACHABLE', message: 'A temporary upload could not be removed from head office. Fieldrun will try again.', details: { name: entry.name } },
      };
    }
  }
  return undefined;
}

function stopped(folder: string, files: FileOutcome[], failure: TransferFailure): BundleOutcome {
  const outcome: BundleOutcome = { status: failure.kind, folder, files, error: failure.error };
  if (failure.kind === 'retryable' && failure.retryAfter !== undefined) outcome.retryAfter = failure.retryAfter;
  return outcome;
}
