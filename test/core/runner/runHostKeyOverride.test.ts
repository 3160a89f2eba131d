import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { startTestLab, type TestLab } from '../../hosts';
import { baselinedRun, call, labCore, labPlanDir, removeTempDirs, stateOf } from './runLab';

// A server was reinstalled since head office pinned its key. The connection stops before any
// credential is sent; the technician phones the client, types in the fingerprint the client
// reads out, gives a reason, and the run goes on — only with exactly that key, and on the record.

let lab: TestLab;
let core: Core;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1'] });
  core = labCore(lab);
});

afterAll(async () => {
  core?.close();
  await lab?.stop();
  removeTempDirs();
});

it('a changed pinned key stops the host until the technician overrides it with the presented fingerprint and a reason', async () => {
  const dir = labPlanDir(lab, ['web1'], [{ id: 'hello', title: 'Hello', hosts: ['web1'], run: 'true' }]);
  const stale = `SHA256:${'A'.repeat(43)}`;
  const planFile = join(dir, 'plan.yaml');
  const real = lab.host('web1').hostKeys.find((k) => k.type === 'ssh-ed25519')!.fingerprint;
  writeFileSync(planFile, readFileSync(planFile, 'utf8').split(real).join(stale));
  const { runId } = await baselinedRun(core, dir);

  let { state, seq } = await stateOf(core, runId);
  expect(state.hosts['web1']?.lastError?.code).toBe('SSH_HOST_KEY_MISMATCH');
  expect(state.baseline['login-user@web1']?.status).not.toBe('pass');

  // A fingerprint that is not the presented one changes nothing.
  ({ seq } = await call(core, 'runs.hosts.overrideKey', { runId, expectSeq: seq, host: 'web1', fingerprint: `SHA256:${'B'.repeat(43)}`, reason: 'typo on the phone' }));
  await call(core, 'runs.baseline.run', { runId, expectSeq: seq, only: { host: 'web1' } });
  await core.runner.idle(runId);
  ({ state, seq } = await stateOf(core, runId));
  expect(state.hosts['web1']?.connected).toBeUndefined();

  ({ seq } = await call(core, 'runs.hosts.overrideKey', { runId, expectSeq: seq, host: 'web1', fingerprint: real, reason: 'server reinstalled on 3 Dec; fingerprint read out by Claire (client ops)' }));
  await call(core, 'runs.baseline.run', { runId, expectSeq: seq, only: { host: 'web1' } });
  await core.runner.idle(runId);
  ({ state } = await stateOf(core, runId));
  expect(state.hosts['web1']?.connected?.fingerprint).toBe(real);
  expect(state.baseline['login-user@web1']?.status).toBe('pass');
  expect(state.deviations.filter((d) => d.kind === 'host-key-override').map((d) => d.text)).toEqual([
    `host key changed; SHA256:${'B'.repeat(43)} accepted: typo on the phone`,
    `host key changed; ${real} accepted: server reinstalled on 3 Dec; fingerprint read out by Claire (client ops)`,
  ]);
});
