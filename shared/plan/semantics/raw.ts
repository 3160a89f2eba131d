import type { ProblemDraft } from '../draft';
import type { PlanPath } from '../path';

// The meaning checks run on the document as written, not on the validated plan, so that a plan
// with a typo in one step still gets its cycles and unknown hosts reported in the same pass.
// These accessors read what is there and skip what is malformed (the schema reports that).
export type RawRecord = Readonly<Record<string, unknown>>;

export const isRecord = (value: unknown): value is RawRecord =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export interface RawEntry {
  readonly index: number;
  readonly item: RawRecord;
}

/** The mappings in the list at `key` of `record`, with their indexes. */
export function entriesOf(record: unknown, key: string): RawEntry[] {
  const list = isRecord(record) ? record[key] : undefined;
  if (!Array.isArray(list)) return [];
  const entries: RawEntry[] = [];
  list.forEach((item: unknown, index) => {
    if (isRecord(item)) entries.push({ index, item });
  });
  return entries;
}

export function textOf(record: unknown, key: string): string | undefined {
  if (!isRecord(record)) return undefined;
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

export interface RawText {
  readonly index: number;
  readonly value: string;
}

/** The strings in the list at `key` of `record`, with their indexes. */
export function textsOf(record: unknown, key: string): RawText[] {
  const list = isRecord(record) ? record[key] : undefined;
  if (!Array.isArray(list)) return [];
  const texts: RawText[] = [];
  list.forEach((value: unknown, index) => {
    if (typeof value === 'string') texts.push({ index, value });
  });
  return texts;
}

/** Says where a path is, for messages that refer to another place ("line 12"). */
export type Where = (path: PlanPath) => string;

export interface SemanticContext {
  readonly document: unknown;
  readonly where: Where;
}

export type SemanticCheck = (context: SemanticContext) => ProblemDraft[];

export function problem(
  code: ProblemDraft['code'],
  path: PlanPath,
  found: string,
  expected: string,
  message: string,
  severity: ProblemDraft['severity'] = 'error',
): ProblemDraft {
  return { code, severity, path, found, expected, message };
}
