// The lab side of the end-to-end visit: a plan modelled on the example plan but aimed at this
// lab's own addresses (so specs never need the one lab with example addresses), and, for the spec
// of the visit's last phases, a run brought to handover in-process before the host opens the data.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { createCore, type Core } from '../../electron/core/core';
import type { DispatchResult, MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import type { TestLab } from '../hosts';

export const EXAMPLE_PLAN = resolve('resources/plans/example-plan/plan.yaml');
export const RETRIED_STEP = 'migrate-schema';
export const MANUAL_STEP = 'check-dashboard';
export const WAIVED_CHECK = 'no-hostname-file';

/**
 * The visit's plan: web1 with its keys pinned and web2 unpinned (its key is confirmed on site);
 * a baseline check that fails on purpose (to be waived); a step that fails on its first attempt
 * and succeeds when retried (a counter file on the host); a manual step; the example plan's
 * checklist, contacts, outage window and handover.
 */
export function visitPlanDir(lab: TestLab): string {
  const dir = mkdtempSync(join(tmpdir(), 'fieldrun-visit-plan-'));
  // Each plan counts its own attempts: the specs share the lab's hosts.
  const attempts = `migrate-attempts-${basename(dir)}`;
  const doc = parse(readFileSync(EXAMPLE_PLAN, 'utf8')) as Record<string, unknown>;
  const host = (name: string, pinned: boolean) => ({
    name,
    address: lab.host(name).address,
    port: lab.host(name).port,
    user: lab.user.name,
    tags: ['web'],
    ...(pinned ? { hostKeys: lab.host(name).hostKeys.map((k) => ({ type: k.type, fingerprint: k.fingerprint })) } : {}),
  });
  (doc['metadata'] as Record<string, string>)['version'] = '2.4.1-visit';
  doc['hosts'] = [host('web1', true), host('web2', false)];
  doc['variables'] = {};
  doc['artifacts'] = [];
  doc['baseline'] = [
    { id: 'login-user', title: 'The login user is fieldrun', type: 'command', run: 'id -un', expect: { stdout: { equals: 'fieldrun' } } },
    { id: WAIVED_CHECK, title: 'No /etc/hostname (fails on purpose)', hosts: ['web2'], type: 'command', run: 'test ! -e /etc/hostname' },
  ];
  doc['steps'] = [
    { id: 'prepare', title: 'Prepare the release folder', hosts: ['web'], run: 'mkdir -p "$HOME/shop/releases/2.4.1"\necho prepared' },
    {
      id: RETRIED_STEP,
      title: 'Migrate the schema (busy on the first try)',
      hosts: ['web1'],
      needs: ['prepare'],
      run: [
        `echo attempt >> "$HOME/${attempts}"`,
        `if [ "$(wc -l < "$HOME/${attempts}")" -lt 2 ]; then echo "schema lock held by a backup" >&2; exit 3; fi`,
        'for n in $(seq -w 1 24); do printf "\\033[32mOK\\033[0m  migration 20261205_%s applied\\n" "$n"; done',
        'printf "\\033[1mschema at 2.4.1\\033[0m\\n"',
      ].join('\n'),
    },
    { id: MANUAL_STEP, title: 'Check the shop dashboard', hosts: ['web1'], needs: [RETRIED_STEP], manual: { instructions: 'Open the shop dashboard with the client and check that orders flow.' } },
  ];
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result: DispatchResult = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code}: ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

/** Brings a run of the visit plan to its handover phase in-process (no UI), then closes the core. */
export async function runToHandover(lab: TestLab, dataDir: string): Promise<string> {
  const core = createCore({
    dataDir,
    runner: { credentials: [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: lab.user.privateKeyPath }] }], checkTimeoutMs: 30_000 },
  });
  const planDir = visitPlanDir(lab);
  try {
    const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: planDir }, acknowledgeUntrusted: { note: 'e2e visit plan' } });
    const { runId } = await call(core, 'runs.create', { planHash: plan.hash, label: 'visit e2e' });
    const doc = parse(readFileSync(EXAMPLE_PLAN, 'utf8')) as { checklist: { id: string }[] };
    for (const item of doc.checklist) await call(core, 'runs.checklist.tick', { runId, expectSeq: (await call(core, 'runs.get', { runId })).head.seq, itemId: item.id });
    const head = async (): Promise<number> => (await call(core, 'runs.get', { runId })).head.seq;
    await call(core, 'runs.baseline.run', { runId, expectSeq: await head() });
    for (let round = 0; round < 40; round++) {
      await core.runner.idle(runId);
      const { state, head: h } = await call(core, 'runs.get', { runId });
      const question = state.questions[0];
      if (question !== undefined) {
        const answer =
          question.kind === 'host-key'
            ? ({ kind: 'host-key', decision: 'accept' } as const)
            : question.kind === 'manual'
              ? ({ kind: 'manual', done: true, note: 'orders flow' } as const)
              : question.kind === 'confirm'
                ? ({ kind: 'confirm', confirmed: true, note: '' } as const)
                : ({ kind: 'failure', decision: 'retry', reason: 'the backup released its lock' } as const);
        await call(core, 'runs.answer', { runId, expectSeq: h.seq, questionId: question.id, answer });
        continue;
      }
      if (state.phase === 'handover') return runId;
      if (state.phase === 'baseline' || state.phase === 'prepare') {
        const failures = Object.values(state.baseline).filter((c) => (c.status === 'fail' || c.status === 'error') && c.waiver === undefined);
        if (state.baseline[`login-user@web1`] === undefined || Object.values(state.baseline).some((c) => c.status === 'running')) continue;
        for (const cell of failures) await call(core, 'runs.baseline.waive', { runId, expectSeq: await head(), checkId: cell.checkId, host: cell.host, reason: 'the client keeps /etc/hostname' });
        const { flags } = await call(core, 'runs.flags.get', { runId });
        if (flags.length > 0) await call(core, 'runs.flags.acknowledge', { runId, expectSeq: await head(), flagIds: flags.map((f) => f.id), note: 'read with head office' });
        await call(core, 'runs.deploy.start', { runId, expectSeq: await head() });
      }
    }
    throw new Error(`the run did not reach handover: ${JSON.stringify((await call(core, 'runs.get', { runId })).state.phase)}`);
  } finally {
    core.close();
    rmSync(planDir, { recursive: true, force: true });
  }
}
