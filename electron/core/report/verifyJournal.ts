import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AppError } from '../../../shared/errors';
import { ChainVerifier, parseJournalEvent, type JournalHead } from '../store';
import { outputReferencesIn, type OutputReference } from './outputReferences';

export interface JournalFindings {
  readonly events: number;
  readonly head: JournalHead;
  readonly references: readonly OutputReference[];
}

/**
 * Re-checks journal.jsonl line by line (memory bounded by the longest event): each line an
 * event of this run, the chain unbroken from the run's genesis, ending at the head the signed
 * manifest names. Collects the output digests the events carry.
 */
export async function verifyJournalFile(path: string, runId: string, expectedHead: JournalHead): Promise<JournalFindings> {
  const verifier = new ChainVerifier(runId);
  const references: OutputReference[] = [];
  let events = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AppError('REPORT_BUNDLE_INVALID', `journal.jsonl line ${lineNo} is not JSON. The bundle was made wrongly; ask for it again.`, { line: lineNo });
    }
    const parsed = parseJournalEvent(value);
    if (!parsed.ok) throw new AppError('REPORT_BUNDLE_INVALID', `journal.jsonl line ${lineNo} is not a journal event (${parsed.error}). Ask for the bundle again.`, { line: lineNo });
    if (!verifier.push(parsed.value)) break;
    events += 1;
    references.push(...outputReferencesIn(parsed.value.seq, parsed.value.payload));
  }
  const chain = verifier.result();
  if (!chain.ok) {
    throw new AppError('JOURNAL_CHAIN_BROKEN', `The journal's hash chain is broken at event ${chain.brokenAtSeq}: ${chain.reason}. The record was altered; do not accept this report.`, {
      brokenAtSeq: chain.brokenAtSeq,
    });
  }
  if (chain.head.seq !== expectedHead.seq || chain.head.hash !== expectedHead.hash) {
    throw new AppError(
      'REPORT_JOURNAL_HEAD_MISMATCH',
      `The journal ends at event ${chain.head.seq} (hash ${chain.head.hash.slice(0, 16)}…), but the signed manifest says it ends at event ${expectedHead.seq} (hash ${expectedHead.hash.slice(0, 16)}…): events were removed, added or rewritten. Do not accept this report.`,
      { seq: chain.head.seq, expectedSeq: expectedHead.seq },
    );
  }
  return { events, head: chain.head, references };
}
