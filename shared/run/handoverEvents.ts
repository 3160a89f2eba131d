import { z } from 'zod';

// Handover and export facts of a run. The drawn signature travels in the journal (bounded), so
// the signed journal itself carries what the client signed with.

/** A drawn sign-off image, as base64 PNG, at most this many bytes once decoded. */
export const MAX_SIGNATURE_PNG_BYTES = 256 * 1024;

const Name = z.string().min(1).max(200);
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const HandoverTickedPayload = z.object({ itemId: Name, note: z.string().max(4000).optional() });

export const HandoverSignedOffPayload = z.object({
  role: Name,
  name: Name,
  title: z.string().max(200).optional(),
  signature: z.object({ pngBase64: z.string().max(Math.ceil(MAX_SIGNATURE_PNG_BYTES / 3) * 4), sha256: Sha256Hex }).optional(),
});

export const ReportExportedPayload = z.object({
  exportSeq: z.number().int().positive(),
  manifestSha256: Sha256Hex,
  archiveSha256: Sha256Hex,
  outboxId: z.number().int().nonnegative(),
});
