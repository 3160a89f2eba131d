// The answers to a failure or an unknown outcome, built exactly as the core's AnswerSchema takes
// them: a reason (failure) or note (unknown) only when written, and the second "yes" to a rollback
// past the point of no return only when the technician gave it.
import type { Answer } from '../../../shared/run';

export const FAILURE_DECISIONS = ['retry', 'skip', 'exclude-host', 'rollback', 'abort'] as const;
export const UNKNOWN_DECISIONS = ['retry', 'mark-done', 'rollback', 'abort'] as const;
export type FailureDecision = (typeof FAILURE_DECISIONS)[number];
export type UnknownDecision = (typeof UNKNOWN_DECISIONS)[number];

/** Decisions that need a written reason (the core refuses skip, exclude-host and mark-done without one). */
export const NEEDS_REASON: ReadonlySet<string> = new Set(['skip', 'exclude-host', 'rollback', 'abort', 'mark-done']);

export function failureAnswer(decision: FailureDecision, reason: string, pastPointOfNoReturn = false): Answer {
  const text = reason.trim();
  return { kind: 'failure', decision, ...(text === '' ? {} : { reason: text }), ...(pastPointOfNoReturn ? { pastPointOfNoReturn: true as const } : {}) };
}

export function unknownAnswer(decision: UnknownDecision, note: string, pastPointOfNoReturn = false): Answer {
  const text = note.trim();
  return { kind: 'unknown', decision, ...(text === '' ? {} : { note: text }), ...(pastPointOfNoReturn ? { pastPointOfNoReturn: true as const } : {}) };
}
