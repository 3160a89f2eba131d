import { groupDigits } from './describe';
import type { ProblemDraft, SourcePosition } from './draft';
import { PLAN_LIMITS } from './limits';
import { DOCUMENT_START } from './draft';
import { formatPlanPath, isWithinPath, parsePlanPath, type PlanPath } from './path';
import { sortPlanProblems, type PlanProblem } from './problems';
import { PlanSchema, type Plan } from './schema/planSchema';
import { schemaProblems } from './schemaProblems';
import { semanticProblems } from './semantics';
import { decodePlanText } from './textInput';
import { loadPlanYaml } from './yaml/loadPlanYaml';
import type { PlanSourceMap } from './yaml/sourceMap';

export type PlanParseResult =
  | {
      readonly ok: true;
      readonly plan: Plan;
      readonly warnings: PlanProblem[];
      /** Where a place in the plan is, for problems found later (artifact checks at import). */
      readonly locate: (path: string | PlanPath) => SourcePosition;
    }
  | { readonly ok: false; readonly problems: PlanProblem[]; readonly warnings: PlanProblem[] };

export interface ParsePlanOptions {
  /** Shown in every problem, as compilers show the file name. */
  readonly fileName: string;
}

/**
 * Reads a plan from its bytes (or text) and returns it validated, or every problem found: the
 * bytes, then the YAML, then the shape and the meaning of the document, each located by line,
 * column and path. Never throws for any input.
 */
export function parsePlan(input: string | Uint8Array, options: ParsePlanOptions): PlanParseResult {
  const file = options.fileName;
  const text = decodePlanText(input);
  if (!text.ok) return failed([locateFixed(text.problem, file)]);
  const yaml = loadPlanYaml(text.text);
  if (!yaml.ok) return failed(yaml.problems.map((problem) => locateFixed(problem, file)));

  const document = yaml.value;
  const sourceMap = yaml.sourceMap;
  const parsed = PlanSchema.safeParse(document);
  // Past a thousand problems a list helps nobody, and locating each costs time: stop there.
  const issues = parsed.success ? [] : parsed.error.issues;
  const shapeDrafts = schemaProblems(issues.slice(0, PLAN_LIMITS.maxProblems), { schema: PlanSchema, document, sourceMap });
  const where = (path: PlanPath): string => `line ${sourceMap.position(path).line}`;
  // A place whose shape is wrong gets that one problem; its meaning is judged once it is fixed.
  const meaningDrafts = semanticProblems({ document, where }).filter(
    (draft) => !shapeDrafts.some((shape) => isWithinPath(draft.path, shape.path) || isWithinPath(shape.path, draft.path)),
  );
  const located = [...shapeDrafts, ...meaningDrafts].map((draft) => locate(draft, sourceMap, file));
  const errors = located.filter((problem) => problem.severity !== 'warning');
  const warnings = sortPlanProblems(located.filter((problem) => problem.severity === 'warning'));
  if (!parsed.success || errors.length > 0) {
    const unlisted = Math.max(issues.length - PLAN_LIMITS.maxProblems, 0) + Math.max(errors.length - PLAN_LIMITS.maxProblems, 0);
    const problems = sortPlanProblems(errors).slice(0, PLAN_LIMITS.maxProblems);
    if (unlisted > 0) problems.unshift(tooManyProblems(unlisted, file));
    return { ok: false, problems, warnings };
  }
  return {
    ok: true,
    plan: parsed.data,
    warnings,
    locate: (path) => sourceMap.position(typeof path === 'string' ? parsePlanPath(path) : path),
  };
}

function tooManyProblems(unlisted: number, file: string): PlanProblem {
  const listed = groupDigits(PLAN_LIMITS.maxProblems);
  return {
    code: 'TOO_MANY_PROBLEMS',
    severity: 'error',
    file,
    line: 1,
    column: 1,
    path: '',
    found: `${groupDigits(unlisted)} more problems`,
    expected: `at most ${listed} problems listed`,
    message: `The plan has ${groupDigits(unlisted)} more problems than the ${listed} listed; fix these first and validate again.`,
  };
}

function failed(problems: PlanProblem[]): PlanParseResult {
  return { ok: false, problems: sortPlanProblems(problems), warnings: [] };
}

function locate(draft: ProblemDraft, sourceMap: PlanSourceMap, file: string): PlanProblem {
  const position = draft.position ?? sourceMap.position(draft.path, draft.pointAtKey === true);
  return toProblem(draft, position, file);
}

function locateFixed(draft: ProblemDraft, file: string): PlanProblem {
  return toProblem(draft, draft.position ?? DOCUMENT_START, file);
}

function toProblem(draft: ProblemDraft, position: SourcePosition, file: string): PlanProblem {
  return {
    code: draft.code,
    severity: draft.severity,
    file,
    line: position.line,
    column: position.column,
    path: formatPlanPath(draft.path),
    found: draft.found,
    expected: draft.expected,
    message: draft.message,
  };
}
