import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { startTestLab, type TestLab } from '../../hosts';
import { baselinedRun, call, labCore, labPlanDir, removeTempDirs, stateOf } from './runLab';

// A step fails on one host and the technician takes that host out of the run. Before deciding
// they see which of its steps will not run and which steps elsewhere depend on them; after, the
// run finishes on the other host and nothing more runs on the excluded one.

let lab: TestLab;
let core: Core;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1', 'web2'] });
  core = labCore(lab);
});

afterAll(async () => {
  core?.close();
  await lab?.stop();
  removeTempDirs();
});

it('excludes a failing host with a reason, listing what depends on it first', async () => {
  const web1 = lab.host('web1').hostname;
  const log = (id: string): string => `echo ${id} >> "$HOME/ran.log"`;
  const { runId, seq } = await baselinedRun(
    core,
    labPlanDir(
      lab,
      ['web1', 'web2'],
      [
        { id: 'install', title: 'Install', hosts: ['web1', 'web2'], run: `${log('install')}\ntest "$(hostname)" != '${web1}'` },
        { id: 'configure', title: 'Configure', hosts: ['web1', 'web2'], needs: ['install'], run: log('configure') },
        { id: 'announce', title: 'Announce', hosts: ['web2'], needs: ['configure'], run: log('announce') },
      ],
    ),
  );
  await call(core, 'runs.deploy.start', { runId, expectSeq: seq });
  await core.runner.idle(runId);
  const { state, seq: atFailure } = await stateOf(core, runId);
  const failure = state.questions.find((q) => q.kind === 'failure');
  expect(failure).toMatchObject({ stepId: 'install', host: 'web1' });

  const preview = await call(core, 'runs.hosts.exclusionPreview', { runId, host: 'web1' });
  expect(preview).toEqual({ skipped: ['install@web1', 'configure@web1'], dependents: ['configure@web2', 'announce@web2'] });
  const noReason = await core.dispatch('runs.answer', { runId, expectSeq: atFailure, questionId: failure!.id, answer: { kind: 'failure', decision: 'exclude-host' } });
  expect(noReason.ok === false && noReason.error.code).toBe('ANSWER_INVALID');
  await call(core, 'runs.answer', { runId, expectSeq: atFailure, questionId: failure!.id, answer: { kind: 'failure', decision: 'exclude-host', reason: 'web1 is out of service; the client takes it over tomorrow' } });
  await core.runner.idle(runId);

  const after = (await stateOf(core, runId)).state;
  expect(after.phase).toBe('handover');
  expect(after.hosts['web1']?.excluded?.reason).toBe('web1 is out of service; the client takes it over tomorrow');
  expect(Object.fromEntries(Object.entries(after.instances).map(([k, i]) => [k, i.state]))).toEqual({
    'install@web1': 'skipped',
    'install@web2': 'succeeded',
    'configure@web1': 'skipped',
    'configure@web2': 'succeeded',
    'announce@web2': 'succeeded',
  });
  expect(after.deviations.map((d) => d.kind)).toEqual(['exclude-host', 'skip', 'skip']);
  expect(readFileSync(lab.host('web1').pathOnHost('~/ran.log'), 'utf8')).toBe('install\n');
  expect(readFileSync(lab.host('web2').pathOnHost('~/ran.log'), 'utf8')).toBe('install\nconfigure\nannounce\n');
});

it('runs a step edited on site, with a reason, on its retry; the edit is a deviation', async () => {
  const { runId, seq } = await baselinedRun(core, labPlanDir(lab, ['web1', 'web2'], [{ id: 'greet', title: 'Greet', hosts: ['web2'], run: 'echo "wrong path" >&2\nexit 7' }]));
  await call(core, 'runs.deploy.start', { runId, expectSeq: seq });
  await core.runner.idle(runId);
  let { state, seq: now } = await stateOf(core, runId);
  const failure = state.questions.find((q) => q.kind === 'failure')!;
  expect(failure).toMatchObject({ stepId: 'greet', host: 'web2' });
  ({ seq: now } = await call(core, 'runs.steps.edit', { runId, expectSeq: now, stepId: 'greet', run: 'echo fixed on site', reason: 'The plan names /opt/old; the client moved it.' }));
  await call(core, 'runs.answer', { runId, expectSeq: now, questionId: failure.id, answer: { kind: 'failure', decision: 'retry' } });
  await core.runner.idle(runId);
  ({ state } = await stateOf(core, runId));
  const greet = state.instances['greet@web2']!;
  expect(greet).toMatchObject({ state: 'succeeded', attempt: 2 });
  const out = await call(core, 'runs.output.read', { runId, stream: greet.streams!.stdout, offset: 0, length: 100 });
  expect(Buffer.from(out.data, 'base64').toString('utf8')).toBe('fixed on site\n');
  expect(state.deviations).toEqual([expect.objectContaining({ kind: 'step-edit', subject: 'greet', text: 'The plan names /opt/old; the client moved it.' })]);
});
