import type { Plan } from '../../../shared/plan';
import type { RunState } from '../../../shared/run';
import type { Store } from '../store';

// Yellow flags: what the technician should see and acknowledge before anything changes on the
// servers. Computed from the plan, its signature status and earlier runs of the same plan id
// (any version) in this data folder; the acknowledgement is journaled.

export type YellowFlagKind = 'plan-signature' | 'contact-without-backup' | 'failed-before' | 'never-exercised';

export interface YellowFlag {
  readonly id: string;
  readonly kind: YellowFlagKind;
  readonly text: string;
}

interface StepHistory {
  readonly succeeded: Set<string>;
  readonly failed: Map<string, string>;
}

export function yellowFlags(store: Store, plan: Plan, state: RunState): YellowFlag[] {
  const flags: YellowFlag[] = [];
  const stored = state.planHash === undefined ? undefined : store.plans.get(state.planHash);
  if (stored !== undefined && stored.signatureStatus !== 'valid-trusted') {
    const why = stored.signatureStatus === 'unsigned' ? 'carries no head-office signature' : stored.signatureStatus === 'valid-untrusted' ? 'is signed by a key head office has not listed' : 'has a signature that does not verify';
    flags.push({ id: 'plan-signature', kind: 'plan-signature', text: `The plan ${why}.` });
  }
  for (const contact of plan.contacts) {
    if (contact.key && contact.backup === undefined) {
      flags.push({ id: `contact:${contact.id}`, kind: 'contact-without-backup', text: `${contact.name} (${contact.role}) is a key person with no backup.` });
    }
  }
  const history = earlierRuns(store, plan.metadata.id, state.runId);
  for (const step of plan.steps) {
    const failedIn = history.failed.get(step.id);
    if (failedIn !== undefined) flags.push({ id: `failed-before:${step.id}`, kind: 'failed-before', text: `Step ${step.id} failed in an earlier run of this plan (${failedIn}).` });
    if (step.manual === undefined && !history.succeeded.has(step.id)) {
      flags.push({ id: `never-exercised:${step.id}`, kind: 'never-exercised', text: `Step ${step.id} has never run successfully in a run of this plan here (no rehearsal on record).` });
    }
  }
  return flags;
}

function earlierRuns(store: Store, planId: string, thisRun: string | undefined): StepHistory {
  const history: StepHistory = { succeeded: new Set(), failed: new Map() };
  for (const run of store.runs.list()) {
    if (run.id === thisRun) continue;
    let samePlan = false;
    for (const event of store.journal.events(run.id)) {
      const payload = event.payload as { planId?: unknown; stepId?: unknown; outcome?: { kind?: unknown; code?: unknown } };
      if (event.type === 'run.created') samePlan = payload.planId === planId;
      if (!samePlan) break;
      if (event.type !== 'step.ended' || typeof payload.stepId !== 'string') continue;
      const ok = (payload.outcome?.kind === 'exited' && payload.outcome.code === 0) || payload.outcome?.kind === 'done';
      if (ok) history.succeeded.add(payload.stepId);
      else if (payload.outcome?.kind !== 'unknown' && !history.failed.has(payload.stepId)) history.failed.set(payload.stepId, `run ${run.label ?? run.id} of ${run.createdAt.slice(0, 10)}`);
    }
  }
  return history;
}
