// What the validator says about a plan. Codes are stable (tools and tests match on them); the
// message is for people and may improve over time.
export const PLAN_PROBLEM_CODES = [
  // the bytes of the file
  'PLAN_TOO_LARGE',
  'NOT_UTF8',
  'CONTROL_CHARACTER',
  'EMPTY_PLAN',
  // the YAML
  'YAML_SYNTAX',
  'YAML_DUPLICATE_KEY',
  'YAML_MULTIPLE_DOCUMENTS',
  'YAML_TAG',
  'YAML_COMPLEX_KEY',
  'RESERVED_KEY',
  'TOO_DEEP',
  'ALIAS_LIMIT',
  'TOO_MANY_NODES',
  'TOO_MANY_PROBLEMS',
  // the shape of the document
  'API_VERSION_UNSUPPORTED',
  'SCHEMA_TYPE',
  'SCHEMA_REQUIRED',
  'SCHEMA_UNKNOWN_KEY',
  'SCHEMA_ENUM',
  'SCHEMA_FORMAT',
  'SCHEMA_RANGE',
  'SCHEMA_ONE_OF',
  'SCHEMA_CONFLICT',
  'TOO_MANY_ITEMS',
  // the meaning of the document
  'DUPLICATE_ID',
  'NEEDS_UNKNOWN_STEP',
  'NEEDS_CYCLE',
  'HOST_SELECTOR_EMPTY',
  'ARTIFACT_UNDECLARED',
  'JUMP_UNKNOWN_HOST',
  'JUMP_LOOP',
  'OUTAGE_ORDER',
  'PONR_OUTSIDE_WINDOW',
  'VARIABLE_UNDECLARED',
  'SECRET_HAS_VALUE',
  'CONTACT_UNKNOWN',
  'CONTACT_BACKUP_SELF',
  // the plan's files, checked at import (electron/core/plan) and reported in the same form
  'ARTIFACT_MISSING',
  'ARTIFACT_HASH_MISMATCH',
  'ARTIFACT_SIZE_MISMATCH',
  // warnings: the plan is accepted, but its author may have meant something else
  'SERIAL_EXCEEDS_HOSTS',
  'VARIABLE_UNUSED',
  'CONTACT_NO_BACKUP',
  'OUTAGE_OFFSET_MISMATCH',
] as const;

export type PlanProblemCode = (typeof PLAN_PROBLEM_CODES)[number];

export type PlanProblemSeverity = 'error' | 'warning';

export interface PlanProblem {
  readonly code: PlanProblemCode;
  /** Warnings do not stop a plan from being accepted. */
  readonly severity: PlanProblemSeverity;
  /** The file name the caller passed in. */
  readonly file: string;
  /** 1-based line and column of the offending node, or of its nearest ancestor present. */
  readonly line: number;
  readonly column: number;
  /** Where in the document, e.g. `steps[3].needs[0]`; '' for the document itself. */
  readonly path: string;
  /** What was there, short and printable; never the value of a secret. */
  readonly found: string;
  /** What was expected there. */
  readonly expected: string;
  /** One sentence a person can act on. */
  readonly message: string;
}

/** `plan.yaml:12:7 steps[3].needs[0] NEEDS_UNKNOWN_STEP: …` — one line, as compilers print. */
export function formatPlanProblem(problem: PlanProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const path = problem.path === '' ? '' : ` ${problem.path}`;
  const severity = problem.severity === 'warning' ? ' warning' : '';
  return `${where}${path}${severity} ${problem.code}: ${problem.message}`;
}

/** Document order: by line, then column, then path and code so that the order is stable. */
export function sortPlanProblems(problems: readonly PlanProblem[]): PlanProblem[] {
  return [...problems].sort(
    (a, b) =>
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.path, b.path) ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
