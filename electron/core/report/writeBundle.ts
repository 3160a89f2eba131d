import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { canonicalJson } from '../../../shared/canonicalJson';
import { AppError } from '../../../shared/errors';
import type { SigningIdentity } from '../keys';
import { REPORT_NAMESPACE } from '../sshsig/namespaces';
import { ChainVerifier, type JournalEvent } from '../store';
import { pathExists, syncFolder } from '../fs/atomicFile';
import { ioFailure, writeFileAtomically, type ByteSource } from './atomicFile';
import { PrefixHasher } from './bundleFiles';
import { BundleSink } from './bundleSink';
import {
  ATTACHMENTS_DIR,
  ATTACHMENT_NAME,
  BUNDLE_FORMAT,
  JOURNAL_FILE,
  JUNIT_FILE,
  MANIFEST_FILE,
  ManifestSchema,
  REPORT_HTML_FILE,
  REPORT_JSON_FILE,
  SIGNATURE_FILE,
  outputPathOf,
  type BundleManifest,
  type ManifestFile,
  type ManifestOutput,
} from './bundleManifest';
import { checkRecordedDigests, referencesByStream } from './checkOutputs';
import { LeakScanner } from './leakScanner';
import { outputReferencesIn, type OutputReference } from './outputReferences';
import type { BundleOutputSource } from './outputSource';

export interface BundleAttachment {
  /** The file name in the bundle's attachments/ folder: letters, digits, '.', '_', '-'. */
  readonly name: string;
  readonly localPath: string;
  /** The SHA-256 the journal recorded for these bytes; the copy in the bundle must have it. */
  readonly sha256?: string;
}

export interface WriteBundleInput {
  /** The bundle folder to create; it must not exist (a report is never overwritten). The archive goes next to it as `<outDir>.tar`. */
  readonly outDir: string;
  readonly runId: string;
  readonly planHash: string;
  /** 1 for the first export of a run, then 2, 3…: each export is its own signed bundle. */
  readonly exportSeq: number;
  /** Every event of the run from seq 1, in order (an iterator keeps memory bounded). */
  readonly events: Iterable<JournalEvent> | AsyncIterable<JournalEvent>;
  readonly outputs: BundleOutputSource;
  readonly reportJson: unknown;
  readonly reportHtml: string;
  readonly junitXml?: string;
  readonly attachments?: readonly BundleAttachment[];
  readonly identity: Pick<SigningIdentity, 'name' | 'publicKey' | 'fingerprint' | 'sign'>;
  readonly appVersion: string;
  /** Values that must not show anywhere in the bundle (plain, base64, URL or JSON escaped): export fails rather than write one. */
  readonly secrets?: readonly string[];
  readonly now?: () => Date;
}

export interface WrittenBundle {
  readonly dir: string;
  readonly archivePath: string;
  readonly archiveSha256: string;
  readonly manifest: BundleManifest;
  /** SHA-256 of manifest.json's bytes: the bundle's identity. */
  readonly manifestSha256: string;
}

/** The folder name for an export: `fieldrun-report-<run id>-<export seq>`. */
export function bundleFolderName(runId: string, exportSeq: number): string {
  return `fieldrun-report-${runId.replace(/[^A-Za-z0-9._-]+/g, '_')}-${exportSeq}`;
}

/**
 * Writes a signed report bundle in one pass over its bytes: every file hashed (and the outputs
 * checked against the journal's digests) as it streams into the folder and, from the same
 * buffers, into the archive; then all files fsynced together, then manifest.json, then
 * manifest.json.sig (the commit marker), then the archive's last entries. Any failure removes the
 * folder and the unfinished archive: a bundle is whole or absent.
 */
export async function writeBundle(input: WriteBundleInput): Promise<WrittenBundle> {
  const dir = input.outDir;
  const archivePath = `${dir}.tar`;
  const root = basename(dir);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(root)) {
    throw new AppError('REPORT_EXPORT_FAILED', `A report folder name must be plain letters, digits, '.', '_' or '-' (got "${root}"). Choose another name.`, { dir });
  }
  if (!Number.isSafeInteger(input.exportSeq) || input.exportSeq < 1) throw new AppError('INPUT_INVALID', 'The export sequence number starts at 1.');
  const attachmentSizes = await checkAttachments(input.attachments ?? []);
  if (await pathExists(archivePath)) throw alreadyThere(archivePath);
  try {
    await mkdir(dirname(dir), { recursive: true });
    await mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyThere(dir);
    throw ioFailure(error, dir);
  }
  try {
    return await writeInto(dir, archivePath, input, attachmentSizes);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function writeInto(dir: string, archivePath: string, input: WriteBundleInput, attachmentSizes: ReadonlyMap<string, number>): Promise<WrittenBundle> {
  const scanner = new LeakScanner(input.secrets ?? []);
  const createdAt = (input.now?.() ?? new Date()).toISOString();
  const streams = input.outputs.streams;
  if (new Set(streams).size !== streams.length) throw new AppError('INTERNAL', 'An output stream was listed twice for the report. This is a bug in Fieldrun; please report it.');
  const attachments = input.attachments ?? [];
  if (streams.length > 0) await mkdir(join(dir, 'outputs'));
  if (attachments.length > 0) await mkdir(join(dir, ATTACHMENTS_DIR));

  const sink = await BundleSink.open(dir, basename(dir), Math.floor(Date.parse(createdAt) / 1000), archivePath);
  try {
    const files: ManifestFile[] = [];
    const put = async (path: string, source: ByteSource, size?: number, marks: readonly number[] = []): Promise<ReturnType<PrefixHasher['finish']>> => {
      scanner.reset();
      const hasher = new PrefixHasher(marks);
      const watch = {
        push: (chunk: Uint8Array): void => {
          hasher.push(chunk);
          scanner.push(chunk);
        },
      };
      await sink.file(path, source, watch, size);
      if (scanner.found) {
        throw new AppError('REPORT_SECRET_LEAK', `A secret value appears in ${path}, so the report was not exported. Find where it was recorded unmasked (a note, a command line) and report this to the Fieldrun team.`, {
          path,
        });
      }
      const written = hasher.finish();
      files.push({ path, size: written.size, sha256: written.sha256 });
      return written;
    };
    const inMemory = (path: string, text: string): Entry => {
      const bytes = Buffer.from(text, 'utf8');
      return { path, write: async () => void (await put(path, [bytes], bytes.length)) };
    };

    // The journal comes before the outputs in path order, and gives the digests each output must match.
    let chain: ReturnType<ChainVerifier['result']> | undefined;
    let byStream: Map<string, OutputReference[]> | undefined;
    const outputs: ManifestOutput[] = [];
    const entries: Entry[] = [
      inMemory(REPORT_JSON_FILE, reportJsonText(input.reportJson)),
      inMemory(REPORT_HTML_FILE, input.reportHtml),
      ...(input.junitXml === undefined ? [] : [inMemory(JUNIT_FILE, input.junitXml)]),
      {
        path: JOURNAL_FILE,
        write: async () => {
          const verifier = new ChainVerifier(input.runId);
          const references: OutputReference[] = [];
          await put(JOURNAL_FILE, journalLines(input.events, verifier, references));
          chain = verifier.result();
          if (!chain.ok) {
            throw new AppError('JOURNAL_CHAIN_BROKEN', `The run's journal is damaged at event ${chain.brokenAtSeq} (${chain.reason}), so no report was signed over it. Keep the data folder as it is and contact support.`, {
              runId: input.runId,
              brokenAtSeq: chain.brokenAtSeq,
            });
          }
          const found = references;
          byStream = notSigned(() => referencesByStream(streams, found));
        },
      },
      ...streams.map((stream, index): Entry => {
        const path = outputPathOf(index, stream);
        return {
          path,
          write: async () => {
            if (byStream === undefined) throw new AppError('INTERNAL', 'An output was written before the journal. This is a bug in Fieldrun; please report it.');
            const refs = byStream.get(stream) ?? [];
            const written = await put(path, input.outputs.read(stream), input.outputs.lengthOf?.(stream), refs.map((ref) => ref.length));
            // What is signed must verify: output that differs from what its step recorded means a damaged data folder.
            notSigned(() => checkRecordedDigests({ stream, path }, refs, written));
            outputs[index] = { stream, path, length: written.size, sha256: written.sha256 };
          },
        };
      }),
      ...attachments.map((attachment): Entry => {
        const path = `${ATTACHMENTS_DIR}/${attachment.name}`;
        return {
          path,
          write: async () => {
            const written = await put(path, readLocal(attachment.localPath), attachmentSizes.get(attachment.name));
            // A damaged store file must never be signed under the hash report.json names.
            if (attachment.sha256 !== undefined && written.sha256 !== attachment.sha256) {
              throw new AppError(
                'ATTACHMENT_NOT_FOUND',
                `The stored file of attachment ${attachment.name} is damaged in this data folder (SHA-256 ${written.sha256}, the run recorded ${attachment.sha256}), so no report was signed. Restore the data folder from a backup, or attach the file again.`,
                { name: attachment.name, sha256: attachment.sha256, found: written.sha256 },
              );
            }
          },
        };
      }),
    ];
    // The archive holds the files in path order: write them in that order, each once.
    entries.sort((a, b) => byPath(a.path, b.path));
    await sink.folders(entries.map((entry) => entry.path));
    for (const entry of entries) await entry.write();
    if (chain?.ok !== true) throw new AppError('INTERNAL', 'The journal was not written. This is a bug in Fieldrun; please report it.');
    await sink.syncFiles(['', ...(streams.length > 0 ? ['outputs'] : []), ...(attachments.length > 0 ? [ATTACHMENTS_DIR] : [])]);

    files.sort((a, b) => byPath(a.path, b.path));
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      runId: input.runId,
      planHash: input.planHash,
      exportSeq: input.exportSeq,
      journalHead: chain.head,
      createdAt,
      appVersion: input.appVersion,
      signer: { name: input.identity.name, publicKey: input.identity.publicKey, fingerprint: input.identity.fingerprint },
      files,
      outputs,
    };
    // Never sign what the verifier would refuse (a plan hash that is not hex, an over-long name…).
    const checked = ManifestSchema.safeParse(manifest);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new AppError('INPUT_INVALID', `The report cannot be exported: ${issue === undefined ? 'its manifest is invalid' : `${issue.path.join('.')}: ${issue.message}`}. This is a bug in Fieldrun; please report it.`);
    }
    const manifestBytes = Buffer.from(canonicalJson(manifest), 'utf8');
    scanner.reset();
    scanner.push(manifestBytes);
    if (scanner.found) throw new AppError('REPORT_SECRET_LEAK', 'A secret value appears in a file or output name, so the report was not exported. Report this to the Fieldrun team.', { path: MANIFEST_FILE });
    await writeFileAtomically(join(dir, MANIFEST_FILE), [manifestBytes]);
    await syncDir(dir);
    // The signature is written last: its presence says the bundle is complete.
    const signature = Buffer.from(input.identity.sign(manifestBytes, REPORT_NAMESPACE), 'utf8');
    await writeFileAtomically(join(dir, SIGNATURE_FILE), [signature]);
    await syncDir(dir);

    const archiveSha256 = await sink.finish([
      { path: MANIFEST_FILE, bytes: manifestBytes },
      { path: SIGNATURE_FILE, bytes: signature },
    ]);
    return { dir, archivePath, archiveSha256, manifest, manifestSha256: createHash('sha256').update(manifestBytes).digest('hex') };
  } catch (error) {
    await sink.abandon();
    throw error;
  }
}

interface Entry {
  readonly path: string;
  write(): Promise<void>;
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An output that differs from what the journal recorded stops the export before anything is signed. */
function notSigned<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AppError && error.code === 'REPORT_OUTPUT_MISMATCH') {
      throw new AppError('REPORT_OUTPUT_MISMATCH', `${error.message} No report was signed: keep the data folder as it is and contact support.`, error.details);
    }
    throw error;
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    await syncFolder(dir);
  } catch (error) {
    throw ioFailure(error, dir);
  }
}

/** One canonical JSON event per line, checked link by link as it is written, in ~256 KiB pieces. */
async function* journalLines(events: Iterable<JournalEvent> | AsyncIterable<JournalEvent>, verifier: ChainVerifier, references: OutputReference[]): AsyncGenerator<Buffer> {
  let lines: string[] = [];
  let pending = 0;
  for await (const event of events) {
    verifier.push(event);
    references.push(...outputReferencesIn(event.seq, event.payload));
    const line = `${canonicalJson(event)}\n`;
    lines.push(line);
    pending += line.length;
    if (pending >= 256 * 1024) {
      yield Buffer.from(lines.join(''), 'utf8');
      lines = [];
      pending = 0;
    }
  }
  if (lines.length > 0) yield Buffer.from(lines.join(''), 'utf8');
}

function reportJsonText(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    throw new AppError('INPUT_INVALID', `The report content is not plain JSON (${(error as Error).message}). This is a bug in Fieldrun; please report it.`);
  }
}

function readLocal(path: string): AsyncIterable<Buffer> {
  return createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>;
}

/** Checks the attachments' names and files; returns each one's size. */
async function checkAttachments(attachments: readonly BundleAttachment[]): Promise<Map<string, number>> {
  const names = new Set<string>();
  for (const { name } of attachments) {
    if (!ATTACHMENT_NAME.test(name)) {
      throw new AppError('INPUT_INVALID', `The attachment name "${name.slice(0, 100)}" is not plain: use letters, digits, '.', '_' and '-' only, starting with a letter or digit.`, { name: name.slice(0, 100) });
    }
    if (names.has(name)) throw new AppError('INPUT_INVALID', `Two attachments are both named ${name}. Rename one.`, { name });
    names.add(name);
  }
  const sizes = new Map<string, number>();
  for (const { name, localPath } of attachments) {
    const info = await stat(localPath).catch(() => undefined);
    if (info?.isFile() !== true) throw new AppError('INPUT_INVALID', `The attachment ${name} (${localPath}) is not a readable file. Attach it again.`, { name, localPath });
    sizes.set(name, info.size);
  }
  return sizes;
}

function alreadyThere(path: string): AppError {
  return new AppError('REPORT_EXPORT_FAILED', `${path} already exists; a report is never overwritten. Choose another folder, or export again (a new export gets the next number).`, { path });
}

