import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { startTestLab, type TestLab } from '../../hosts';
import { baselinedRun, call, labCore, labPlanDir, removeTempDirs, stateOf } from './runLab';

// The data folder fills up while a step streams output: the run halts with the store's own
// message and loses nothing. With room again, the technician resumes; the runner reattaches and
// the stored output is complete and exact, the step's real outcome recorded.

const LINES = 40;
const LINE = 'x'.repeat(20_000);
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

it('halts on a full disk with a clear message, then resumes without losing or doubling output', async () => {
  const { runId, seq } = await baselinedRun(
    core,
    labPlanDir(lab, ['web1'], [
      { id: 'chatty', title: 'Print a lot', hosts: ['web1'], run: `for i in $(seq 1 ${LINES}); do head -c 20000 /dev/zero | tr '\\0' x; echo; sleep 0.05; done\necho finished` },
    ]),
  );
  await call(core, 'runs.deploy.start', { runId, expectSeq: seq });
  let stream = '';
  for (let i = 0; i < 100 && stream === ''; i++) {
    await sleep(20);
    const chatty = (await stateOf(core, runId)).state.instances['chatty@web1'];
    if (chatty?.streams !== undefined && core.store.output.streams(runId).some((s) => s.stream === chatty.streams!.stdout && s.length > 0)) stream = chatty.streams.stdout;
  }
  expect(stream).not.toBe('');

  // The disk is full: SQLite may not grow the file any more.
  const pages = Number(core.store.db.pragma('page_count', { simple: true }));
  core.store.db.pragma(`max_page_count = ${pages + 1}`);
  let halted: { code: string; message: string } | undefined;
  for (let i = 0; i < 200 && halted === undefined; i++) {
    await sleep(25);
    halted = (await call(core, 'runs.get', { runId })).halted;
  }
  expect(halted?.code).toBe('STORE_FULL');
  expect(halted?.message).toMatch(/disk|space|full/i);
  expect((await stateOf(core, runId)).state.instances['chatty@web1']?.state).toBe('running');

  // Room again (the command finished on the host meanwhile); the technician resumes.
  await sleep(3000);
  core.store.db.pragma('max_page_count = 4294967294');
  const { seq: now } = await stateOf(core, runId);
  await call(core, 'runs.deploy.start', { runId, expectSeq: now });
  await core.runner.idle(runId);

  const after = await call(core, 'runs.get', { runId });
  expect(after.halted).toBeUndefined();
  expect(after.state.instances['chatty@web1']).toMatchObject({ state: 'succeeded', attempt: 1, outcome: { kind: 'exited', code: 0 } });
  const expected = `${`${LINE}\n`.repeat(LINES)}finished\n`;
  expect(after.state.instances['chatty@web1']?.output?.stdout.length).toBe(expected.length);
  expect(core.store.output.read(runId, stream, { offset: 0, length: expected.length + 10 }).toString('utf8') === expected).toBe(true);
  expect(core.store.output.verify(runId, stream).ok).toBe(true);
});
