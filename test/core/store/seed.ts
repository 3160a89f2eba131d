import type { Store } from '../../../electron/core/store';

/** Imports a small plan and starts a run on it; returns the run id. */
export function seedRun(store: Store, label = 'test run'): string {
  const { plan } = store.plans.insert({
    bytes: Buffer.from(`# plan for ${label}\n`),
    planId: 'store-test',
    version: '1.0.0',
    title: 'Store test plan',
    parsed: { metadata: { id: 'store-test' } },
    source: { kind: 'file', path: '/tmp/plan.yaml' },
    signature: { status: 'unsigned', details: null },
    artifacts: [],
  });
  return store.runs.create({ planHash: plan.hash, label }).runId;
}
