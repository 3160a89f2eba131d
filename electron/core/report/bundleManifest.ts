import { z } from 'zod';

/** The bundle format this code writes and reads; a verifier refuses formats it does not know. */
export const BUNDLE_FORMAT = 'fieldrun-report-bundle/1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.json.sig';
export const REPORT_JSON_FILE = 'report.json';
export const REPORT_HTML_FILE = 'report.html';
export const JOURNAL_FILE = 'journal.jsonl';
export const JUNIT_FILE = 'baseline.junit.xml';
export const OUTPUTS_DIR = 'outputs';
export const ATTACHMENTS_DIR = 'attachments';
/** Files every bundle holds besides the manifest and its signature. */
export const REQUIRED_FILES = [REPORT_JSON_FILE, REPORT_HTML_FILE, JOURNAL_FILE] as const;

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);
const SIZE = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * A path inside a bundle: '/'-separated, relative, plain characters only, no '.' or '..'
 * segments. Anything else in a manifest is refused before a file is touched.
 */
export const BUNDLE_PATH = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+){0,3}$/;

export const ManifestFileSchema = z.object({ path: z.string().max(200).regex(BUNDLE_PATH), size: SIZE, sha256: HEX64 });

export const ManifestOutputSchema = z.object({
  stream: z.string().min(1).max(200),
  path: z.string().max(200).regex(BUNDLE_PATH),
  length: SIZE,
  sha256: HEX64,
});

export const ManifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  runId: z.string().min(1).max(200),
  planHash: HEX64,
  exportSeq: z.number().int().min(1),
  journalHead: z.object({ seq: z.number().int().min(0), hash: HEX64 }),
  createdAt: z.iso.datetime({ precision: 3 }),
  appVersion: z.string().min(1).max(100),
  signer: z.object({ name: z.string().min(1).max(200), publicKey: z.string().min(1).max(2000), fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }),
  files: z.array(ManifestFileSchema).max(100_000),
  outputs: z.array(ManifestOutputSchema).max(100_000),
});

export type BundleManifest = z.infer<typeof ManifestSchema>;
export type ManifestFile = z.infer<typeof ManifestFileSchema>;
export type ManifestOutput = z.infer<typeof ManifestOutputSchema>;

/** `outputs/0003-step_install_web1_stdout.bin`: numbered so that any two stream names map to distinct files. */
export function outputPathOf(index: number, stream: string): string {
  const slug = stream.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return `${OUTPUTS_DIR}/${String(index + 1).padStart(4, '0')}${slug === '' ? '' : `-${slug}`}.bin`;
}

/** An attachment's file name as the technician gave it must already be a plain, portable name. */
export const ATTACHMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
