import type { PlanPath } from './path';
import type { PlanProblemCode, PlanProblemSeverity } from './problems';

/** 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A problem before it is located: the layers that find problems speak in document paths; one
 * place turns paths into line:column (and pins the file name) at the end.
 */
export interface ProblemDraft {
  readonly code: PlanProblemCode;
  readonly severity: PlanProblemSeverity;
  readonly path: PlanPath;
  readonly found: string;
  readonly expected: string;
  readonly message: string;
  /** Known position (input and YAML problems); otherwise the node at `path` is located. */
  readonly position?: SourcePosition;
  /** Point at the key of the entry at `path` rather than at its value (unknown keys). */
  readonly pointAtKey?: boolean;
}

/** The line and column of a UTF-16 offset in `text`. */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

export const DOCUMENT_START: SourcePosition = { line: 1, column: 1 };
