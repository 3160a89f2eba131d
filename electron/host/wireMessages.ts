import { z } from 'zod';

/** One call from the page. The input is left unknown here: the contract parses it in dispatch. */
export const CallMessageSchema = z
  .object({
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    method: z.string().min(1).max(200),
    // JSON drops an undefined input; the contract then refuses it like any other bad input.
    input: z.unknown().optional(),
  })
  .strict();

export type CallMessage = z.output<typeof CallMessageSchema>;

/** Parses a WebSocket frame into a call, or says why it is not one. */
export function parseCallMessage(raw: unknown, isBinary: boolean): { ok: true; call: CallMessage } | { ok: false; reason: string } {
  if (isBinary) return { ok: false, reason: 'binary frames are not accepted' };
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : Array.isArray(raw) ? Buffer.concat(raw as Buffer[]).toString('utf8') : String(raw);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = CallMessageSchema.safeParse(value);
  return parsed.success ? { ok: true, call: parsed.data } : { ok: false, reason: 'not { id, method, input }' };
}
