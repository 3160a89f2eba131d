// What plans.import and plans.validate say about a bad plan, made ready to show: each problem at
// its place (file:line:column and the path in the document), in reading order.
import { z } from 'zod';
import { PlanProblemSchema, SignatureStatusSchema } from '../../../shared/contract/plans';

export type PlanProblemView = z.infer<typeof PlanProblemSchema>;
export type SignatureStatus = z.infer<typeof SignatureStatusSchema>;

const ProblemDetails = z.object({ problems: z.array(PlanProblemSchema) });
/** The statuses a PLAN_NOT_TRUSTED refusal names (an invalid signature is PLAN_SIGNATURE_INVALID, never acknowledgeable). */
const AcknowledgeableStatusSchema = z.enum(['unsigned', 'valid-untrusted']);
export type AcknowledgeableStatus = z.infer<typeof AcknowledgeableStatusSchema>;
const TrustDetails = z.object({ status: AcknowledgeableStatusSchema });

/** "plan.yaml:11:12" — as editors and compilers print a place, so it can be pasted into one. */
export function problemLocation(problem: Pick<PlanProblemView, 'file' | 'line' | 'column'>): string {
  if (problem.line <= 0) return problem.file;
  return problem.column <= 0 ? `${problem.file}:${problem.line}` : `${problem.file}:${problem.line}:${problem.column}`;
}

/** The problems in an error's details (an INPUT/PLAN error from the core), sorted by place; none if it has none. */
export function problemsOf(details: unknown): PlanProblemView[] {
  const parsed = ProblemDetails.safeParse(details);
  if (!parsed.success) return [];
  return [...parsed.data.problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path),
  );
}

/**
 * The signature status a PLAN_NOT_TRUSTED refusal names: the plan needs an acknowledgement.
 * Undefined for any other error, and for a refusal whose details do not say which status (the
 * screen then shows the error rather than offering to acknowledge something it cannot name).
 */
export function untrustedStatusOf(code: string, details: unknown): AcknowledgeableStatus | undefined {
  if (code !== 'PLAN_NOT_TRUSTED') return undefined;
  const parsed = TrustDetails.safeParse(details);
  return parsed.success ? parsed.data.status : undefined;
}

/** A signature status the core answered as a plain string (headOffice.plans.import); undefined when it is none. */
export function signatureStatusOf(value: string): SignatureStatus | undefined {
  const parsed = SignatureStatusSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The badge class of a signature status: only a trusted signature is green. */
export function signatureTone(status: SignatureStatus): 'ok' | 'warn' | 'fail' {
  if (status === 'valid-trusted') return 'ok';
  return status === 'invalid' ? 'fail' : 'warn';
}

/** A hash as people compare it: its first 12 hex digits. */
export function hashPrefix(hash: string): string {
  return hash.slice(0, 12);
}
