import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { REPORT_NAMESPACE } from '../sshsig/namespaces';
import { armorSignature, dearmorSignature } from '../sshsig/armor';
import { parseAllowedSigners } from '../sshsig/allowedSigners';
import { verifySshsig } from '../sshsig/verifySshsig';
import { verifyWithAllowedSigners } from '../sshsig/verifyWithAllowedSigners';
import { hashFile, listBundleEntries } from './bundleFiles';
import { JOURNAL_FILE, MANIFEST_FILE, ManifestSchema, REQUIRED_FILES, SIGNATURE_FILE, type BundleManifest } from './bundleManifest';
import { checkOutputFiles, fileHashMismatch } from './checkOutputs';
import { extractTar } from './extractTar';
import { verifyJournalFile } from './verifyJournal';

export interface VerifyBundleOptions {
  /** The text of head office's allowed_signers file; without it no signer is trusted. */
  readonly allowedSigners?: string;
}

export interface BundleSigner {
  readonly publicKey: string;
  readonly fingerprint: string;
  /** The allowed_signers principals that vouch for the key (trusted bundles only). */
  readonly principals?: readonly string[];
}

export interface BundleVerdict {
  /** trusted: intact and signed by an allowed signer; untrusted: intact, signer not vouched for; invalid: a check failed. */
  readonly status: 'trusted' | 'untrusted' | 'invalid';
  /** The failed check (invalid) or SIGNER_UNTRUSTED (untrusted); absent when trusted. */
  readonly code?: ErrorCode;
  readonly reason: string;
  readonly signer?: BundleSigner;
  readonly manifest?: Pick<BundleManifest, 'runId' | 'planHash' | 'exportSeq' | 'journalHead' | 'createdAt' | 'appVersion'> & { readonly signerName: string };
  /** What was checked and found, in order: a readable account for the CLI. */
  readonly found: readonly string[];
}

const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * Verifies a report bundle, a folder or its `.tar` archive: the signature (namespace
 * fieldrun-report), the manifest, that every file is there with its hash and no other file is,
 * the journal chain up to the signed head, and each output against the digests its events carry.
 * Integrity is checked before trust, so a bundle re-signed by a stranger reads as intact but
 * UNTRUSTED, and a damaged one as invalid with the first problem found.
 */
export async function verifyBundle(path: string, options: VerifyBundleOptions = {}): Promise<BundleVerdict> {
  // A malformed allowed_signers file is the caller's problem, not the bundle's: it throws
  // ALLOWED_SIGNERS_INVALID before any work is done.
  if (options.allowedSigners !== undefined) parseAllowedSigners(options.allowedSigners);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return { status: 'invalid', code: 'REPORT_BUNDLE_INVALID', reason: `There is no report bundle at ${path}.`, found: [] };
  if (info.isDirectory()) return verifyFolder(path, options, []);
  const scratch = await mkdtemp(join(tmpdir(), 'fieldrun-verify-'));
  try {
    try {
      await extractTar(path, scratch);
    } catch (error) {
      const problem = asAppError(error);
      return { status: 'invalid', code: problem.code, reason: problem.message, found: [] };
    }
    return await verifyFolder(scratch, options, ['archive: a canonical Fieldrun tar, unpacked']);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function verifyFolder(dir: string, options: VerifyBundleOptions, found: string[]): Promise<BundleVerdict> {
  let signer: BundleSigner | undefined;
  let summary: BundleVerdict['manifest'];
  let signed: { readonly manifest: Buffer; readonly signature: Buffer };
  try {
    const manifestBytes = await readBounded(join(dir, MANIFEST_FILE), 'REPORT_FILE_MISSING', 'manifest.json is missing: this is not a whole report bundle.');
    const signature = await readBounded(join(dir, SIGNATURE_FILE), 'REPORT_SIGNATURE_MISSING', 'manifest.json.sig is missing: the bundle is unsigned (or its export never finished).');

    const checked = verifySshsig({ message: manifestBytes, armored: signature, namespace: REPORT_NAMESPACE });
    if (!checked.ok) throw new AppError(checked.code, checked.reason);
    // Only the exact bytes a signer writes are accepted, so no byte of the file can change unnoticed.
    if (armorSignature(dearmorSignature(signature)) !== signature.toString('latin1')) {
      throw new AppError('SIGNATURE_MALFORMED', 'manifest.json.sig is not laid out as ssh-keygen writes it (changed whitespace or line breaks). Ask for the bundle again.');
    }
    signer = { publicKey: checked.publicKey, fingerprint: checked.fingerprint };
    signed = { manifest: manifestBytes, signature };
    found.push(`signature: good, namespace ${REPORT_NAMESPACE}, made by ${checked.fingerprint} (${checked.publicKey})`);

    const manifest = parseManifest(manifestBytes);
    summary = { runId: manifest.runId, planHash: manifest.planHash, exportSeq: manifest.exportSeq, journalHead: manifest.journalHead, createdAt: manifest.createdAt, appVersion: manifest.appVersion, signerName: manifest.signer.name };
    if (manifest.signer.fingerprint !== checked.fingerprint) {
      throw new AppError('REPORT_SIGNER_MISMATCH', `The manifest names the signer ${manifest.signer.fingerprint}, but the signature was made by ${checked.fingerprint}: the bundle was re-signed by someone else.`);
    }
    found.push(`manifest: run ${manifest.runId}, export ${manifest.exportSeq}, plan ${manifest.planHash}, signer ${manifest.signer.name}, made ${manifest.createdAt} by Fieldrun ${manifest.appVersion}`);

    await checkFileSet(dir, manifest);
    found.push(`files: all ${manifest.files.length} listed files present, no others`);

    const outputPaths = new Set(manifest.outputs.map((output) => output.path));
    for (const file of manifest.files) {
      if (outputPaths.has(file.path)) continue;
      const actual = await hashFile(join(dir, ...file.path.split('/')));
      if (actual.size !== file.size || actual.sha256 !== file.sha256) throw fileHashMismatch(file.path);
    }
    found.push(`files: every hash matches the manifest${manifest.outputs.length > 0 ? ' (outputs: below)' : ''}`);

    const journal = await verifyJournalFile(join(dir, JOURNAL_FILE), manifest.runId, manifest.journalHead);
    found.push(`journal: ${journal.events} events, chain intact from the run's start to the signed head (event ${journal.head.seq}, ${journal.head.hash})`);

    const references = await checkOutputFiles(dir, manifest.outputs, journal.references);
    found.push(`outputs: ${manifest.outputs.length} streams match the manifest; ${references} digests carried by events match`);
  } catch (error) {
    const problem = asAppError(error);
    return withOptional({ status: 'invalid', code: problem.code, reason: problem.message, found }, signer, summary);
  }
  return judgeTrust(options.allowedSigners, signed, found, signer, summary);
}

/** Trust is judged on the very bytes whose integrity was checked, not on a second read of the files. */
function judgeTrust(
  allowedSigners: string | undefined,
  signed: { readonly manifest: Buffer; readonly signature: Buffer },
  found: string[],
  signer: BundleSigner,
  summary: BundleVerdict['manifest'],
): BundleVerdict {
  if (allowedSigners === undefined) {
    return withOptional(
      { status: 'untrusted', code: 'SIGNER_UNTRUSTED', reason: `UNTRUSTED: the bundle is intact and signed by ${signer.fingerprint} (${signer.publicKey}), but no allowed_signers file was given to say whether that key is trusted.`, found },
      signer,
      summary,
    );
  }
  const verdict = verifyWithAllowedSigners({
    message: signed.manifest,
    armored: signed.signature,
    namespace: REPORT_NAMESPACE,
    allowedSigners,
  });
  if (verdict.ok) {
    found.push(`trust: ${signer.fingerprint} is an allowed signer for ${REPORT_NAMESPACE} as ${verdict.principals.join(', ')}`);
    return withOptional({ status: 'trusted', reason: `TRUSTED: intact and signed by ${verdict.principals.join(', ')} (${signer.fingerprint}).`, found }, { ...signer, principals: verdict.principals }, summary);
  }
  const status = verdict.code === 'SIGNER_UNTRUSTED' ? 'untrusted' : 'invalid';
  return withOptional({ status, code: verdict.code, reason: verdict.reason, found }, signer, summary);
}

function withOptional(verdict: Omit<BundleVerdict, 'signer' | 'manifest'>, signer: BundleSigner | undefined, summary: BundleVerdict['manifest']): BundleVerdict {
  return { ...verdict, ...(signer === undefined ? {} : { signer }), ...(summary === undefined ? {} : { manifest: summary }) };
}

function parseManifest(bytes: Buffer): BundleManifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AppError('REPORT_BUNDLE_INVALID', 'manifest.json is signed but is not JSON. The bundle was made wrongly; ask for it again.');
  }
  const parsed = ManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('REPORT_BUNDLE_INVALID', `manifest.json is not a Fieldrun report manifest (${issue === undefined ? 'unknown problem' : `${issue.path.join('.')}: ${issue.message}`}).`);
  }
  const manifest = parsed.data;
  const paths = new Set<string>();
  for (const file of manifest.files) {
    if (paths.has(file.path) || file.path === MANIFEST_FILE || file.path === SIGNATURE_FILE) throw new AppError('REPORT_BUNDLE_INVALID', `manifest.json lists ${file.path} twice or as a file it may not list.`);
    paths.add(file.path);
  }
  for (const required of REQUIRED_FILES) if (!paths.has(required)) throw new AppError('REPORT_BUNDLE_INVALID', `manifest.json does not list ${required}, which every report holds.`);
  const streams = new Set<string>();
  for (const output of manifest.outputs) {
    const file = manifest.files.find((f) => f.path === output.path);
    if (streams.has(output.stream) || file === undefined || file.size !== output.length || file.sha256 !== output.sha256) {
      throw new AppError('REPORT_BUNDLE_INVALID', `manifest.json's entry for output ${output.stream} does not agree with its file list.`);
    }
    streams.add(output.stream);
  }
  return manifest;
}

async function checkFileSet(dir: string, manifest: BundleManifest): Promise<void> {
  const { files, others } = await listBundleEntries(dir);
  if (others[0] !== undefined) throw new AppError('REPORT_FILE_UNEXPECTED', `${others[0]} is not a plain file (a link or device) and has no place in a report bundle.`, { path: others[0] });
  const present = new Set(files);
  for (const file of manifest.files) if (!present.has(file.path)) throw new AppError('REPORT_FILE_MISSING', `${file.path} is listed in the manifest but missing from the bundle.`, { path: file.path });
  const listed = new Set([...manifest.files.map((file) => file.path), MANIFEST_FILE, SIGNATURE_FILE]);
  for (const path of files) if (!listed.has(path)) throw new AppError('REPORT_FILE_UNEXPECTED', `${path} is in the bundle but not in its signed manifest: it was added after signing.`, { path });
}


async function readBounded(path: string, code: ErrorCode, missing: string): Promise<Buffer> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new AppError(code, missing);
  if (info.size > MAX_MANIFEST_BYTES) throw new AppError('REPORT_BUNDLE_INVALID', `${path} is ${info.size} bytes, far larger than any manifest: this is not a Fieldrun bundle.`);
  return readFile(path);
}

/** A file that cannot be read (permissions, a folder where a file should be) fails the check, naming why; anything else is a bug. */
function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const { code, path } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string') throw error;
  return new AppError('REPORT_BUNDLE_INVALID', `Part of the bundle cannot be read${path === undefined ? '' : ` (${path})`}: ${code}. Check the files' permissions, or ask for the bundle again.`, { errno: code });
}
