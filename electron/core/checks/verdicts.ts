import type { CheckOutput, CheckVerdict } from './types';

// Building blocks for verdicts in words a person reads in a report.

export function pass(expected: string, found: string, summary: string): CheckVerdict {
  return { status: 'pass', expected, found, summary };
}

export function fail(expected: string, found: string, summary: string): CheckVerdict {
  return { status: 'fail', expected, found, summary };
}

/** The check could not run: nothing is known about the expectation. */
export function cannotCheck(expected: string, reason: string): CheckVerdict {
  return { status: 'error', expected, found: `could not check: ${reason}`, summary: `cannot check: ${reason}` };
}

/** A text from the host or the plan, quoted and shortened for a sentence. */
export function quoted(text: string, max = 80): string {
  const oneLine = text.replace(/\r?\n/g, '⏎');
  const short = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return `"${short}"`;
}

/** The first non-empty line of a tool's message, for "cannot check: …". */
export function firstLine(text: string, max = 200): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Why a script produced no usable result, from its exit and stderr. */
export function noResultReason(output: CheckOutput): string {
  if (output.exitCode === null) return 'the session ended before the check finished (no exit status)';
  const message = firstLine(output.stderr);
  return message === '' ? `the check printed no result (exit status ${output.exitCode})` : `${message} (exit status ${output.exitCode})`;
}
