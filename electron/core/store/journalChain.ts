import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../../shared/canonicalJson';
import { err, ok, type Result } from '../../../shared/result';

/**
 * The hash chain of a run journal, pure: the store writes it, and the report verifier re-checks a
 * `journal.jsonl` with these same functions, without a database.
 */
export interface JournalEvent {
  readonly runId: string;
  readonly seq: number;
  /** Wall time, ISO 8601 UTC with milliseconds. */
  readonly timeUtc: string;
  /** Monotonic nanoseconds as a decimal string: orders and times events within one process. */
  readonly monoNs: string;
  readonly type: string;
  readonly payload: unknown;
  readonly prevHash: string;
  readonly hash: string;
}

export interface JournalHead {
  readonly seq: number;
  readonly hash: string;
}

export type ChainVerdict = { readonly ok: true; readonly head: JournalHead } | { readonly ok: false; readonly brokenAtSeq: number; readonly reason: string };

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The `prevHash` of a run's first event: ties the chain to its run id. */
export const GENESIS_HASH = (runId: string): string => sha256Hex(`fieldrun-journal-v1:${runId}`);

export function computeEventHash(event: Omit<JournalEvent, 'hash'>): string {
  const { runId, seq, timeUtc, monoNs, type, payload, prevHash } = event;
  return sha256Hex(canonicalJson({ runId, seq, timeUtc, monoNs, type, payload, prevHash }));
}

/**
 * Checks events one by one, in order, from seq 1: so a long journal can be verified in batches
 * with bounded memory. The first problem found is final.
 */
export class ChainVerifier {
  private runId: string | undefined;
  private head: JournalHead | undefined;
  private failure: { ok: false; brokenAtSeq: number; reason: string } | undefined;

  constructor(runId?: string) {
    this.runId = runId;
    if (runId !== undefined) this.head = { seq: 0, hash: GENESIS_HASH(runId) };
  }

  /** Returns false once the chain is known to be broken (no need to feed more). */
  push(event: JournalEvent): boolean {
    if (this.failure !== undefined) return false;
    if (this.runId === undefined) {
      this.runId = event.runId;
      this.head = { seq: 0, hash: GENESIS_HASH(event.runId) };
    }
    const head = this.head!;
    const expectedSeq = head.seq + 1;
    const problem =
      event.runId !== this.runId
        ? `event ${event.seq} belongs to run ${event.runId}, not ${this.runId}`
        : event.seq > expectedSeq
          ? `event ${expectedSeq} is missing (the next one is ${event.seq})`
          : event.seq < expectedSeq
            ? `event ${event.seq} appears again or out of order after event ${head.seq}`
            : event.prevHash !== head.hash
              ? `event ${event.seq} does not link to the event before it (prevHash differs)`
              : computeEventHash(event) !== event.hash
                ? `event ${event.seq} was altered: its content does not match its hash`
                : undefined;
    if (problem !== undefined) {
      this.failure = { ok: false, brokenAtSeq: expectedSeq, reason: problem };
      return false;
    }
    this.head = { seq: event.seq, hash: event.hash };
    return true;
  }

  result(expectHeadHash?: string): ChainVerdict {
    if (this.failure !== undefined) return this.failure;
    const head = this.head ?? { seq: 0, hash: '' };
    if (expectHeadHash !== undefined && head.hash !== expectHeadHash) {
      return {
        ok: false,
        brokenAtSeq: head.seq + 1,
        reason: `the journal ends at event ${head.seq} whose hash is not the expected head: events are missing at the end, or this is another journal`,
      };
    }
    return { ok: true, head };
  }
}

export interface VerifyEventsOptions {
  /** The run the events must belong to; taken from the first event when absent. */
  readonly runId?: string;
  /** The head hash recorded elsewhere (the report manifest): catches a journal cut short. */
  readonly expectHeadHash?: string;
}

export function verifyEvents(events: Iterable<JournalEvent>, options: VerifyEventsOptions = {}): ChainVerdict {
  const verifier = new ChainVerifier(options.runId);
  for (const event of events) if (!verifier.push(event)) break;
  return verifier.result(options.expectHeadHash);
}

const HEX64 = /^[0-9a-f]{64}$/;

export const JournalEventSchema = z.object({
  runId: z.string().min(1),
  seq: z.number().int().min(1),
  timeUtc: z.iso.datetime({ precision: 3 }),
  monoNs: z.string().regex(/^(0|[1-9][0-9]*)$/),
  type: z.string().min(1).max(100),
  payload: z.unknown(),
  prevHash: z.string().regex(HEX64),
  hash: z.string().regex(HEX64),
});

/** Parses one event read from outside (a `journal.jsonl` line), without trusting it. */
export function parseJournalEvent(value: unknown): Result<JournalEvent, string> {
  const parsed = JournalEventSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return err(issue === undefined ? 'not a journal event' : `${issue.path.join('.') || '(event)'}: ${issue.message}`);
}
