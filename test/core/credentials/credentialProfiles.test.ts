// Credential profiles entered in the Connect screen: checked when entered, used by the next
// connection of a run, and never answered back or stored.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { startTestLab, type TestLab } from '../../hosts';
import { call, labPlanDir, mkdtempSync, removeTempDirs } from '../runner/runLab';

let lab: TestLab;

beforeAll(async () => {
  lab = await startTestLab({ hosts: [{ name: 'web1' }] });
}, 60_000);

afterAll(async () => {
  await lab.stop();
  removeTempDirs();
});

function bareCore(): Core {
  return createCore({ dataDir: mkdtempSync(join(tmpdir(), 'fieldrun-credentials-')), strictOutputs: true, runner: { checkTimeoutMs: 30_000 } });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

test('a run without credentials fails to log in; a profile added afterwards is used on the next attempt', async () => {
  const core = bareCore();
  try {
    const planDir = labPlanDir(lab, ['web1'], [{ id: 'hello', title: 'Say hello', hosts: ['web1'], run: 'echo hello' }]);
    const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: planDir }, acknowledgeUntrusted: { note: 'test plan' } });
    const { runId, seq } = await call(core, 'runs.create', { planHash: plan.hash });
    const ticked = await call(core, 'runs.checklist.tick', { runId, expectSeq: seq, itemId: 'ready' });

    const first = await call(core, 'runs.baseline.run', { runId, expectSeq: ticked.seq });
    await core.runner.idle(runId);
    const failed = (await call(core, 'runs.get', { runId })).state.baseline['login-user@web1'];
    expect(failed?.status).toBe('error');
    expect(failed?.found).toMatch(/No credential applies to web1\. Add a credential profile/);

    await call(core, 'credentials.set', { name: 'lab key', credential: { kind: 'keyFile', path: lab.user.encryptedKeyPath, passphrase: lab.user.passphrase }, appliesTo: { hosts: ['web1'] } });
    const head = (await call(core, 'runs.get', { runId })).head.seq;
    expect(head).toBeGreaterThan(first.seq);
    await call(core, 'runs.baseline.run', { runId, expectSeq: head });
    await core.runner.idle(runId);
    expect((await call(core, 'runs.get', { runId })).state.baseline['login-user@web1']?.status).toBe('pass');
  } finally {
    core.close();
  }
}, 60_000);

test('a wrong key passphrase is refused when the profile is entered, with what to do', async () => {
  const core = bareCore();
  try {
    const answer = await core.dispatch('credentials.set', {
      name: 'lab key',
      credential: { kind: 'keyFile', path: lab.user.encryptedKeyPath, passphrase: 'not the passphrase' },
      appliesTo: { all: true },
    });
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error.code).toBe('SSH_PASSPHRASE_REQUIRED');
      expect(answer.error.message).toMatch(/passphrase .* is wrong/);
      expect(JSON.stringify(answer.error)).not.toContain('not the passphrase');
    }
    expect((await call(core, 'credentials.list', {})).profiles).toEqual([]);

    const missing = await core.dispatch('credentials.set', { name: 'gone', credential: { kind: 'keyFile', path: '/nonexistent/key' }, appliesTo: { all: true } });
    expect(missing.ok ? undefined : missing.error.code).toBe('SSH_KEY_INVALID');
  } finally {
    core.close();
  }
});

test('profiles are listed by kind and scope only; secrets are not answered, stored or written anywhere', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-credentials-'));
  const core = createCore({ dataDir, strictOutputs: true });
  const password = 'Canary-Passw0rd-for-profiles';
  try {
    await call(core, 'credentials.set', { name: 'ops password', credential: { kind: 'password', password }, appliesTo: { tags: ['web'] } });
    await call(core, 'credentials.set', { name: 'key', credential: { kind: 'keyFile', path: lab.user.encryptedKeyPath, passphrase: lab.user.passphrase }, appliesTo: { all: true } });
    const { profiles } = await call(core, 'credentials.list', {});
    expect(profiles).toEqual([
      { name: 'key', kind: 'keyFile', where: lab.user.encryptedKeyPath, appliesTo: { all: true } },
      { name: 'ops password', kind: 'password', where: null, appliesTo: { tags: ['web'] } },
    ]);
    const answered = JSON.stringify(profiles);
    expect(answered).not.toContain(password);
    expect(answered).not.toContain(lab.user.passphrase);
    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(password), file).toBe(false);
      expect(bytes.includes(lab.user.passphrase), file).toBe(false);
    }
    expect((await call(core, 'credentials.remove', { name: 'ops password' })).removed).toBe(true);
    expect((await call(core, 'credentials.remove', { name: 'ops password' })).removed).toBe(false);
    expect((await call(core, 'credentials.list', {})).profiles.map((p) => p.name)).toEqual(['key']);
  } finally {
    core.close();
  }
});

test('system.status reports the free space where runs are stored', async () => {
  const core = bareCore();
  try {
    const status = await call(core, 'system.status', {});
    expect(status.diskFreeBytes).toBeGreaterThan(0);
    expect(status.dataDir).toBe(core.store.dataDir);
    expect(typeof status.diskLow).toBe('boolean');
  } finally {
    core.close();
  }
});
