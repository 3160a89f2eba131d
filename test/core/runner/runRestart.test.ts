import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { startTestLab, type TestLab } from '../../hosts';
import { baselinedRun, call, labCore, labPlanDir, mkdtempSync, removeTempDirs, stateOf } from './runLab';

// The app closes while a step that prints a secret is still running on its host. Reopened, the
// run does not store a byte of that step's output until the secret is given again (it could not
// be masked); then it reattaches, and the stored output is exactly what one uninterrupted run
// would have stored: masked, complete, nothing twice.

const TOKEN = 'tok-3f9a-secret';
let lab: TestLab;
let core: Core | undefined;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1'] });
});

afterAll(async () => {
  core?.close();
  await lab?.stop();
  removeTempDirs();
});

it('reattaches after a restart only once the output can be masked, and stores it exactly once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-restart-data-'));
  const planDir = labPlanDir(
    lab,
    ['web1'],
    [{ id: 'talk', title: 'Talk about the token', hosts: ['web1'], run: 'echo "first {{ raw token }}"\nsleep 2\necho "second {{ raw token }} done"' }],
    { token: { secret: true } },
  );
  core = labCore(lab, dataDir);
  const { runId, seq } = await baselinedRun(core, planDir);
  await call(core, 'runs.secrets.provide', { runId, values: { token: TOKEN } });
  await call(core, 'runs.deploy.start', { runId, expectSeq: (await stateOf(core, runId)).seq });
  expect(seq).toBeGreaterThan(0);
  let stream = '';
  for (let i = 0; i < 100; i++) {
    const talk = (await stateOf(core, runId)).state.instances['talk@web1'];
    stream = talk?.streams?.stdout ?? '';
    if (stream !== '' && core.store.output.streams(runId).some((s) => s.stream === stream && s.length > 0)) break;
    await sleep(50);
  }
  core.close();

  core = labCore(lab, dataDir);
  await sleep(2500);
  const reopened = (await stateOf(core, runId)).state;
  expect(reopened.instances['talk@web1']?.state).toBe('running');
  const before = core.store.output.read(runId, stream, { offset: 0, length: 4096 }).toString('utf8');
  // What was released before the close (the masker holds back what might start a secret), nothing more.
  expect(before.length).toBeGreaterThan(0);
  expect('first ***\n'.startsWith(before)).toBe(true);

  await call(core, 'runs.secrets.provide', { runId, values: { token: TOKEN } });
  await core.runner.idle(runId);
  const { state } = await stateOf(core, runId);
  expect(state.instances['talk@web1']).toMatchObject({ state: 'succeeded', attempt: 1, outcome: { kind: 'exited', code: 0 } });
  expect(core.store.output.read(runId, stream, { offset: 0, length: 4096 }).toString('utf8')).toBe('first ***\nsecond *** done\n');
  expect(core.store.output.verify(runId, stream).ok).toBe(true);
});
