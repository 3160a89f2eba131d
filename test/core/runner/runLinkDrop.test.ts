import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { startTestLab, type TestLab } from '../../hosts';
import { baselinedRun, call, labPlanDir, mkdtempSync, removeTempDirs, stateOf } from './runLab';

// The link to one host goes down in the middle of a step: the step on the other host carries
// on, and when the link comes back the runner reattaches and records the step's real outcome,
// with its output complete and nothing run twice.

let lab: TestLab;
let core: Core;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1', 'web2'] });
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'fieldrun-link-data-')),
    strictOutputs: true,
    runner: {
      credentials: [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: lab.user.privateKeyPath }] }],
      connect: { keepaliveIntervalMs: 500, keepaliveCountMax: 2, connectTimeoutMs: 2000 },
    },
  });
});

afterAll(async () => {
  core?.close();
  await lab?.stop();
  removeTempDirs();
});

it('recovers the real outcome of a step whose link dropped, while the other host goes on', async () => {
  const { runId, seq } = await baselinedRun(
    core,
    labPlanDir(
      lab,
      ['web1', 'web2'],
      [
        { id: 'slow', title: 'Slow step on web1', hosts: ['web1'], run: 'echo slow >> "$HOME/ran.log"\necho begin\nsleep 5\necho end' },
        { id: 'steady', title: 'Steady step on web2', hosts: ['web2'], run: 'for i in 1 2 3; do echo tick $i; sleep 1; done' },
      ],
    ),
  );
  await call(core, 'runs.deploy.start', { runId, expectSeq: seq });

  // Wait until the slow step has printed its first line, then cut web1 off.
  for (let i = 0; i < 100; i++) {
    const { state } = await stateOf(core, runId);
    const slow = state.instances['slow@web1'];
    if (slow?.streams !== undefined && core.store.output.streams(runId).some((s) => s.stream === slow.streams!.stdout && s.length > 0)) break;
    await sleep(50);
  }
  await lab.faults.linkDown('web1');
  await sleep(3500);
  const during = (await stateOf(core, runId)).state;
  expect(during.instances['steady@web2']?.state).toBe('succeeded');
  expect(during.instances['slow@web1']?.state).toBe('running');
  await lab.faults.linkUp('web1');
  await core.runner.idle(runId);

  const { state } = await stateOf(core, runId);
  expect(state.instances['slow@web1']).toMatchObject({ state: 'succeeded', attempt: 1, outcome: { kind: 'exited', code: 0 } });
  expect(state.phase).toBe('handover');
  const stdout = state.instances['slow@web1']!.streams!.stdout;
  const text = Buffer.from((await call(core, 'runs.output.read', { runId, stream: stdout, offset: 0, length: 1024 })).data, 'base64').toString('utf8');
  expect(text).toBe('begin\nend\n');
  expect(readFileSync(lab.host('web1').pathOnHost('~/ran.log'), 'utf8')).toBe('slow\n');
  // The outcome came through a second login: the runner reconnected and reattached.
  expect(lab.host('web1').sshdLog().match(/Accepted publickey/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
});
