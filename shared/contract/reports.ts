import { z } from 'zod';
import { method } from './define';
import { RunIdSchema as RunId } from './runs';

// Handover (items ticked with the client, sign-offs) and the signed report export. Handover calls
// carry `expectSeq` like every call that changes a run.

const Seq = z.number().int().nonnegative();
const Name = z.string().min(1).max(200);
const Moved = z.object({ seq: Seq });

export const reportMethods = {
  'runs.handover.tick': method({
    summary: 'Tick a handover item with the client, with an optional note; the last one needed moves the run to done.',
    mutates: true,
    input: z.object({ runId: RunId, expectSeq: Seq, itemId: Name, note: z.string().max(4000).optional() }).strict(),
    output: Moved,
  }),
  'runs.handover.signOff': method({
    summary: "Record a handover sign-off for one of the plan's roles, with an optional drawn signature (base64 PNG).",
    mutates: true,
    input: z
      .object({
        runId: RunId,
        expectSeq: Seq,
        role: Name,
        name: Name,
        title: z.string().max(200).optional(),
        // The decoded size and the PNG signature are checked by the core; this bounds the text.
        signaturePng: z.string().max(360_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64').optional(),
      })
      .strict(),
    output: Moved,
  }),
  'reports.export': method({
    summary: 'Export the signed report bundle of a run, from any phase, and queue it in the outbox.',
    mutates: true,
    input: z
      .object({
        runId: RunId,
        /**
         * Electron shell only: a folder the technician chose in the file dialog (absolute, existing,
         * outside the data folder). Browser mode never sends it: reports go to the data folder and
         * are downloaded with reports.archive.read.
         */
        outDir: z.string().min(1).max(4096).optional(),
      })
      .strict(),
    output: z.object({ bundleDir: z.string(), archivePath: z.string(), exportSeq: z.number().int(), outboxId: z.number().int(), seq: Seq }),
  }),
} as const;
