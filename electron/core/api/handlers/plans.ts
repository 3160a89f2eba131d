import type { MethodOutput } from '../../../../shared/contract';
import { parsePlan } from '../../../../shared/plan';
import type { Plan } from '../../../../shared/plan';
import { AppError } from '../../../../shared/errors';
import { importPlanAt } from '../../plan/importPlan';
import { countTrustedPlanSigners, readTrustedPlanSigners, writeTrustedPlanSigners } from '../../plan/trustedPlanSigners';
import type { Clock } from '../../store';
import type { Store, StoredPlan } from '../../store';
import type { EventHub } from '../eventHub';
import type { Handlers } from '../dispatch';
import type { UploadArea } from '../../files/uploadArea';
import { acknowledgementOf } from '../../plan/planTrust';

type PlanSummaryOut = MethodOutput<'plans.list'>['plans'][number];

export function planHandlers(
  store: Store,
  events: EventHub,
  clock: Clock,
  /** Where files.upload.* put their files; without it an upload source is refused. */
  uploads?: UploadArea,
): Pick<Handlers, 'plans.validate' | 'plans.import' | 'plans.list' | 'plans.get' | 'planSigners.get' | 'planSigners.set'> {
  return {
    'plans.validate': ({ text, fileName }) => {
      const result = parsePlan(text, { fileName });
      return { valid: result.ok, problems: result.ok ? [] : result.problems, warnings: result.warnings };
    },
    'plans.import': async ({ source, acknowledgeUntrusted }) => {
      const trustedPlanSigners = readTrustedPlanSigners(store.dataDir);
      const acknowledgement = acknowledgementOf(acknowledgeUntrusted, clock.nowUtc());
      // An upload is kept under a fixed name: its own name (which decides the kind of source) travels beside it.
      const { path, name } = source.kind === 'path' ? { path: source.path, name: undefined } : uploadedFile(uploads, source.uploadId);
      const trust = acknowledgement === undefined ? { trustedPlanSigners } : { trustedPlanSigners, acknowledgement };
      const { plan, inserted } = await importPlanAt(store, path, trust, name);
      if (source.kind === 'upload') uploads?.discard(source.uploadId);
      if (inserted) events.emit('plans.changed', { hash: plan.hash });
      return { plan: summarise(plan), alreadyImported: !inserted };
    },
    'plans.list': () => ({
      plans: store.plans.list().flatMap((s) => {
        const plan = store.plans.get(s.hash);
        return plan === undefined ? [] : [summarise(plan)];
      }),
    }),
    'plans.get': ({ hash }) => {
      const plan = store.plans.get(hash);
      if (plan === undefined) throw new AppError('PLAN_NOT_FOUND', `No imported plan has the hash ${hash}. Import the plan first.`, { hash });
      return { plan: summarise(plan), document: plan.parsed, text: plan.bytes.toString('utf8') };
    },
    'planSigners.get': () => {
      const allowedSigners = readTrustedPlanSigners(store.dataDir);
      return { allowedSigners, count: countTrustedPlanSigners(allowedSigners) };
    },
    'planSigners.set': ({ allowedSigners }) => ({ count: writeTrustedPlanSigners(store.dataDir, allowedSigners) }),
  };
}

function summarise(stored: StoredPlan): PlanSummaryOut {
  const plan = stored.parsed as Plan;
  const source = stored.source as { kind: 'file' | 'folder' | 'archive'; name: string };
  return {
    hash: stored.hash,
    planId: stored.planId,
    version: stored.version,
    title: stored.title,
    client: plan.metadata.client,
    site: plan.metadata.site,
    importedAt: stored.importedAt,
    source: { kind: source.kind, name: source.name },
    signature: signatureOf(stored),
    acknowledged: stored.acknowledged,
    artifactCount: stored.artifacts.length,
    hostCount: plan.hosts.length,
    stepCount: plan.steps.length,
  };
}

function signatureOf(stored: StoredPlan): PlanSummaryOut['signature'] {
  const details = stored.signature.details as { signer?: { fingerprint?: unknown } } | null;
  const fingerprint = details?.signer?.fingerprint;
  return typeof fingerprint === 'string' ? { status: stored.signatureStatus, signerFingerprint: fingerprint } : { status: stored.signatureStatus };
}

function uploadedFile(uploads: UploadArea | undefined, uploadId: string): { path: string; name: string } {
  if (uploads === undefined) throw new AppError('UPLOAD_NOT_FOUND', 'This app cannot import uploaded files. Import the plan from a file path instead.');
  return uploads.finished(uploadId);
}
