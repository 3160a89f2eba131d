import { z } from 'zod';
import { method } from './define';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lowercase hex digits');
export const UploadIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'an upload id as returned by files.upload.begin');

/** Largest file that crosses the contract (a plan archive with its artifacts). */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
/** Largest chunk, before base64 (which adds a third): well under the host's message limit. */
export const MAX_UPLOAD_CHUNK_BYTES = 1024 * 1024;

/**
 * A file name that is safe to create on Linux, macOS and Windows: no folders, no ':' (an NTFS
 * alternate data stream), no control characters, no trailing dot or space (Windows drops them),
 * and none of Windows' device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9), with or without extension.
 */
export function isPortableFileName(name: string): boolean {
  if (name === '.' || name === '..') return false;
  // eslint-disable-next-line no-control-regex
  if (/[/\\:\u0000-\u001f\u007f]/.test(name)) return false;
  if (/[. ]$/.test(name)) return false;
  return !/^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i.test(name.trim());
}

// Browser mode has no paths: the page sends a file in chunks, then names the upload where a
// method takes a source (plans.import with { kind: 'upload', uploadId }). Electron uses the same
// calls, so import works the same in both modes.
export const fileMethods = {
  'files.upload.begin': method({
    summary: 'Start uploading a file of a known size and SHA-256; answers the id that names it.',
    mutates: true,
    input: z
      .object({
        name: z
          .string()
          .min(1)
          .max(255)
          .refine(isPortableFileName, 'a file name without folders, ":", control characters, a trailing dot or space, or a Windows device name (CON, NUL, COM1…)'),
        size: z.number().int().nonnegative().max(MAX_UPLOAD_BYTES),
        sha256: Sha256Hex,
      })
      .strict(),
    output: z.object({ uploadId: UploadIdSchema }),
  }),
  'files.upload.chunk': method({
    summary: 'Append the next chunk (base64) of an upload at the offset received so far.',
    mutates: true,
    input: z
      .object({
        uploadId: UploadIdSchema,
        offset: z.number().int().nonnegative().max(MAX_UPLOAD_BYTES),
        data: z
          .string()
          .max(Math.ceil(MAX_UPLOAD_CHUNK_BYTES / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
      })
      .strict(),
    output: z.object({ received: z.number().int().nonnegative() }),
  }),
  'files.upload.finish': method({
    summary: 'Check the whole upload against its size and SHA-256; it can then be named as a source.',
    mutates: true,
    input: z.object({ uploadId: UploadIdSchema }).strict(),
    output: z.object({ uploadId: UploadIdSchema, name: z.string(), size: z.number().int().nonnegative(), sha256: Sha256Hex }),
  }),
  'files.upload.discard': method({
    summary: 'Drop an upload, under way or finished, that will not be used (it failed, was cancelled, or its import was refused). Finished uploads nobody uses also expire after an hour.',
    mutates: true,
    input: z.object({ uploadId: UploadIdSchema }).strict(),
    output: z.object({ discarded: z.boolean() }),
  }),
} as const;
