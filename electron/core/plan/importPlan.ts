import { parsePlan, PLAN_LIMITS } from '../../../shared/plan';
import type { Plan, PlanProblem } from '../../../shared/plan';
import { AppError } from '../../../shared/errors';
import type { Store, StoredPlan } from '../store';
import { ArtifactStore } from './artifactStore';
import { openPlanSource } from './planSource';
import { judgePlanSignature } from './planTrust';
import type { PlanTrustOptions } from './planTrust';
import type { PlanSource } from './planSource';
import { verifyArtifacts } from './verifyArtifacts';
import type { ArtifactFinding, DeclaredArtifact } from './verifyArtifacts';

export interface PlanCheck {
  readonly source: PlanSource;
  readonly plan: Plan | undefined;
  readonly problems: PlanProblem[];
  readonly warnings: PlanProblem[];
}

/**
 * Checks a plan file, folder or archive as import would (document and artifacts) without storing
 * anything: what `fieldrun plan validate` runs.
 */
export async function checkPlanAt(path: string): Promise<PlanCheck> {
  const source = openPlanSource(path, PLAN_LIMITS.maxBytes);
  const parsed = parsePlan(source.planBytes, { fileName: source.planFileName });
  if (!parsed.ok) return { source, plan: undefined, problems: parsed.problems, warnings: parsed.warnings };
  const { findings } = await verifyArtifacts(declaredArtifacts(parsed.plan), source);
  return { source, plan: parsed.plan, problems: findings.map((f) => artifactProblem(f, source, parsed.locate)), warnings: parsed.warnings };
}

/**
 * Imports a plan with its artifacts (`displayName`: the file's own name when it is stored under
 * another, as uploads are). Nothing is half-imported: the plan row is written only after
 * every artifact has been checked against its SHA-256 and stored by hash; a plan already
 * imported (same bytes) is returned as it was.
 */
export async function importPlanAt(store: Store, path: string, trust: PlanTrustOptions, displayName?: string): Promise<{ plan: StoredPlan; inserted: boolean }> {
  const source = openPlanSource(path, PLAN_LIMITS.maxBytes, displayName);
  const parsed = parsePlan(source.planBytes, { fileName: source.planFileName });
  if (!parsed.ok) throw planInvalid(source, parsed.problems);
  // Trust is judged before anything is stored: a plan nobody vouches for needs the technician's
  // explicit acknowledgement, and a signature that does not verify is never imported.
  const signature = judgePlanSignature(source, trust);
  const artifacts = new ArtifactStore(store.dataDir);
  const { findings, verified } = await verifyArtifacts(declaredArtifacts(parsed.plan), source, artifacts);
  if (findings.length > 0) throw planInvalid(source, findings.map((f) => artifactProblem(f, source, parsed.locate)));
  const { metadata } = parsed.plan;
  const stored = store.plans.insert({
    bytes: source.planBytes,
    planId: metadata.id,
    version: metadata.version,
    title: metadata.title,
    parsed: parsed.plan,
    source: { kind: source.kind, name: source.name, planFile: source.planFileName },
    signature: { status: signature.status, details: signature.details },
    artifacts: verified.map((v) => ({ id: v.artifact.id, path: v.artifact.path, sha256: v.artifact.sha256, size: v.size })),
  });
  if (signature.status !== 'valid-trusted' && trust.acknowledgement !== undefined && !stored.plan.acknowledged) {
    const { note, at } = trust.acknowledgement;
    return { plan: store.plans.acknowledge(stored.plan.hash, { note, at, status: signature.status }), inserted: stored.inserted };
  }
  return stored;
}

function declaredArtifacts(plan: Plan): DeclaredArtifact[] {
  return (plan.artifacts ?? []).map((a, index) => ({ index, id: a.id, path: a.path, sha256: a.sha256, size: a.size }));
}

function artifactProblem(finding: ArtifactFinding, source: PlanSource, locate: (path: string) => { line: number; column: number }): PlanProblem {
  const path = `artifacts[${finding.artifact.index}].${finding.field}`;
  const { line, column } = locate(path);
  return { code: finding.code, severity: 'error', file: source.planFileName, line, column, path, found: finding.found, expected: finding.expected, message: finding.message };
}

function planInvalid(source: PlanSource, problems: PlanProblem[]): AppError {
  return new AppError(
    'PLAN_INVALID',
    `${source.name} was not imported: ${problems.length} problem${problems.length === 1 ? '' : 's'} (the first: ${problems[0]?.message ?? 'unknown'}). Fix them, or ask head office for a corrected plan.`,
    { problems },
  );
}
