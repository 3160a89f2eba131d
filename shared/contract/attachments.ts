import { z } from 'zod';
import { method } from './define';
import { RunIdSchema as RunId } from './runs';
import { UploadIdSchema } from './files';

// Photos and files the technician adds to a checklist item, a step or a handover item (sent with
// files.upload.*), and what the report screen needs besides reports.export: the exports of a run,
// verifying one, and reading its archive in chunks (the browser-mode download).

/** Largest attachment: a phone photo or a scanned PDF fits; a video or a disk image does not. The page checks it before uploading. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

const Seq = z.number().int().nonnegative();
const Name = z.string().min(1).max(200);

export const AttachmentTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checklist'), itemId: Name }).strict(),
  z.object({ kind: z.literal('step'), stepId: Name }).strict(),
  z.object({ kind: z.literal('handover'), itemId: Name }).strict(),
]);

export const AttachmentSummarySchema = z.object({
  id: z.string(),
  target: AttachmentTargetSchema,
  name: z.string(),
  mediaType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  caption: z.string().nullable(),
  addedAt: z.string(),
});

export const ReportExportSummarySchema = z.object({
  exportSeq: z.number().int(),
  exportedAt: z.string(),
  bundleDir: z.string(),
  archivePath: z.string(),
  archiveSize: z.number().int().nonnegative(),
  manifestSha256: z.string(),
});

export const attachmentMethods = {
  'runs.attachments.add': method({
    summary: 'Attach an uploaded photo or file to a checklist item, step or handover item; journaled with its SHA-256 and put in the report.',
    mutates: true,
    input: z.object({ runId: RunId, expectSeq: Seq, target: AttachmentTargetSchema, uploadId: UploadIdSchema, caption: z.string().max(1000).optional() }).strict(),
    output: z.object({ seq: Seq, attachment: AttachmentSummarySchema }),
  }),
  'runs.attachments.list': method({
    summary: "A run's attachments.",
    mutates: false,
    input: z.object({ runId: RunId }).strict(),
    output: z.object({ attachments: z.array(AttachmentSummarySchema) }),
  }),
  'runs.attachments.read': method({
    summary: 'The bytes of an attachment (base64), to show a photo. One answer holds at most 4 MiB (a longer length is cut there): read a larger file in ranges (offset, length) up to size.',
    mutates: false,
    input: z
      .object({ runId: RunId, id: z.string().min(1).max(100), offset: z.number().int().nonnegative().optional(), length: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional() })
      .strict(),
    output: z.object({ mediaType: z.string(), size: z.number().int().nonnegative(), offset: z.number().int().nonnegative(), data: z.string() }),
  }),
  'reports.list': method({
    summary: 'The exports of a run, newest first.',
    mutates: false,
    input: z.object({ runId: RunId }).strict(),
    output: z.object({ exports: z.array(ReportExportSummarySchema) }),
  }),
  'reports.verify': method({
    summary: "Verify an exported bundle as head office would: signature, every file's hash, nothing missing or extra, the journal chain.",
    mutates: false,
    input: z.object({ runId: RunId, exportSeq: z.number().int().min(1) }).strict(),
    output: z.object({
      ok: z.boolean(),
      signerFingerprint: z.string().nullable(),
      /** What was checked, in order, and the first failure. */
      lines: z.array(z.string()),
      failure: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  }),
  'reports.archive.read': method({
    summary: "A byte range of an export's signed .tar archive (base64): the browser-mode download.",
    mutates: false,
    input: z.object({ runId: RunId, exportSeq: z.number().int().min(1), offset: z.number().int().nonnegative(), length: z.number().int().min(1).max(4 * 1024 * 1024) }).strict(),
    output: z.object({ data: z.string(), size: z.number().int().nonnegative() }),
  }),
} as const;
