import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldRun } from '../../shared/run';
import { openStore } from '../../electron/core/store';
import { startTestLab, type TestLab } from '../hosts';
import { writeRehearsalAnswers, writeRehearsalPlan } from './fixtures/rehearsalPlan';

// `fieldrun run` as a user runs it: the real bin script in a child process, against lab hosts.

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE_PLAN = join(ROOT, 'resources/plans/example-plan');
const TOKEN = "tok'en; echo leaked #";

let work: string;
let lab: TestLab;
let planFile: string;

async function fieldrun(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // No agent: the credential is exactly what the test gives.
  const base = { ...process.env, SSH_AUTH_SOCK: '' };
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(ROOT, 'bin/fieldrun.mjs'), ...args], { env: { ...base, ...env }, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const connections = (name: string): number => (lab.host(name).sshdLog().match(/Connection from/g) ?? []).length;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-cli-run-'));
  lab = await startTestLab({ hosts: [{ name: 'h1' }, { name: 'h2' }] });
  planFile = writeRehearsalPlan(lab, join(work, 'plan'));
}, 120_000);

afterAll(async () => {
  await lab?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

function knownHostsFile(): string {
  const h2 = lab.host('h2');
  const name = h2.port === 22 ? h2.address : `[${h2.address}]:${h2.port}`;
  const file = join(work, 'known_hosts');
  writeFileSync(file, h2.hostKeys.map((k) => `${name} ${k.publicKey}\n`).join(''));
  return file;
}

describe('fieldrun run --dry-run', () => {
  it('prints every step per host with variables resolved and the secret masked, connecting to nothing', async () => {
    const result = await fieldrun(['run', EXAMPLE_PLAN, '--dry-run'], { FIELDRUN_SECRET_DB_PASSWORD: 'hunter2-never-shown' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('nothing connects, nothing changes');
    expect(result.stdout).toMatch(/\[prepare\] on web1: .*\n {2}run \(sudo\):\n {4}\$ mkdir -p/);
    expect(result.stdout).toContain("$ cp /srv/shop-db/applied.sql /srv/backup/applied-before-'2.4.1'.sql");
    expect(result.stdout).toContain("$ echo listen_port='8080' > listen.conf");
    expect(result.stdout).toContain('$ SHOP_DB_PASSWORD=***');
    expect(result.stdout).toMatch(/upload artifact maintenance-page \(sha256 [0-9a-f]{64}\) to \/srv\/www\/maintenance\.html/);
    expect(result.stdout).toMatch(/\[announce\] on jump1: .*\n {2}manual step, the technician confirms:\n {4}\| Call Claire/);
    // Order is dependency order: prepare before maintenance-on before stop-app.
    const at = (id: string): number => result.stdout.indexOf(`[${id}] on`);
    expect(at('prepare')).toBeLessThan(at('maintenance-on'));
    expect(at('maintenance-on')).toBeLessThan(at('stop-app'));
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('gives the same with --json for machines', async () => {
    const result = await fieldrun(['run', EXAMPLE_PLAN, '--dry-run', '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { instances: Array<{ stepId: string; host: string; action: { kind: string; command?: string } }> };
    const migrate = parsed.instances.find((i) => i.stepId === 'migrate-db');
    expect(migrate).toMatchObject({ host: 'db1', action: { kind: 'run' } });
    expect(migrate?.action.command).toContain('SHOP_DB_PASSWORD=***');
  });
});

describe('fieldrun run (headless rehearsal)', () => {
  it('refuses an unpinned host without --known-hosts before connecting to anything', async () => {
    const before = { h1: connections('h1'), h2: connections('h2') };
    const result = await fieldrun(['run', planFile, '--identity', lab.user.privateKeyPath, '--answers', writeRehearsalAnswers(work)], { FIELDRUN_SECRET_TOKEN: TOKEN });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/SSH_HOST_KEY_UNKNOWN: .*h2 .*--known-hosts/);
    expect(result.stdout).not.toContain('data folder');
    expect({ h1: connections('h1'), h2: connections('h2') }).toEqual(before);
  });

  it('runs the plan to handover from the answers file and prints what was exercised', async () => {
    const dataDir = join(work, 'data-ok');
    const h2Before = connections('h2');
    const answers = writeRehearsalAnswers(work, { secrets: { token: TOKEN } });
    const result = await fieldrun(['run', planFile, '--data', dataDir, '--identity', lab.user.privateKeyPath, '--known-hosts', knownHostsFile(), '--answers', answers]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`data folder: ${dataDir}`);
    expect(result.stdout).toMatch(/^step\s+host\s+outcome\s+duration$/m);
    expect(result.stdout).toMatch(/^hello\s+h1\s+succeeded \(exit 0\)\s+\d+(\.\d)? m?s$/m);
    expect(result.stdout).toMatch(/^hello\s+h2\s+succeeded \(exit 0\)\s+\d+(\.\d)? m?s$/m);
    expect(result.stdout).toMatch(/^check-in\s+h1\s+succeeded/m);
    expect(result.stdout).toMatch(/^finish\s+h1\s+succeeded \(exit 0\)/m);
    expect(result.stdout).toMatch(/reached handover/);
    expect(result.stdout).not.toContain('leaked');
    expect(connections('h2')).toBeGreaterThan(h2Before);
    // The hosts' own files show each step ran once, with the variable as one literal word.
    expect(readFileSync(lab.host('h1').pathOnHost('/home/fieldrun/rehearsal.log'), 'utf8')).toBe('from the rehearsal\nfinished\n');
    expect(readFileSync(lab.host('h2').pathOnHost('/home/fieldrun/rehearsal.log'), 'utf8')).toBe('from the rehearsal\n');
    // The journal in the data folder tells the same story: answers recorded, h2's key accepted from known_hosts.
    const store = openStore({ dataDir });
    try {
      const [run] = store.runs.list();
      const state = foldRun(store.journal.events(run!.id));
      expect(state.phase).toBe('handover');
      expect(state.instances['check-in@h1']?.note).toBe('called Claire at 14:02');
      expect(state.hosts['h2']?.connected?.hostKeyVerdict).toBe('accepted-once');
      expect(state.hosts['h1']?.connected?.hostKeyVerdict).not.toBe('accepted-once');
    } finally {
      store.close();
    }
  }, 120_000);

  it('refuses a key that differs from the one in known_hosts, sending no credential', async () => {
    const h2 = lab.host('h2');
    const wrong = join(work, 'known_hosts_wrong');
    // h1's keys written under h2's name: the file vouches for keys h2 does not have.
    writeFileSync(wrong, lab.host('h1').hostKeys.map((k) => `${h2.port === 22 ? h2.address : `[${h2.address}]:${h2.port}`} ${k.publicKey}\n`).join(''));
    const logins = (h2.sshdLog().match(/Accepted publickey/g) ?? []).length;
    const result = await fieldrun(['run', planFile, '--data', join(work, 'data-wrong-key'), '--identity', lab.user.privateKeyPath, '--known-hosts', wrong, '--answers', writeRehearsalAnswers(work)], {
      FIELDRUN_SECRET_TOKEN: TOKEN,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/run stopped: h2 presented the host key \S+ SHA256:\S+, which neither the plan nor the known_hosts file holds/);
    expect((h2.sshdLog().match(/Accepted publickey/g) ?? []).length).toBe(logins);
  }, 120_000);

  it('stops with exit 1 at a question the answers file does not answer, naming it', async () => {
    const dataDir = join(work, 'data-unanswered');
    const answers = writeRehearsalAnswers(work, { manual: {} });
    const result = await fieldrun(['run', planFile, '--data', dataDir, '--identity', lab.user.privateKeyPath, '--known-hosts', knownHostsFile(), '--answers', answers], {
      FIELDRUN_SECRET_TOKEN: TOKEN,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/run stopped: unanswered question: manual step check-in on h1/);
    expect(result.stdout).toMatch(/^check-in\s+h1\s+waiting/m);
    expect(result.stdout).not.toMatch(/^finish\s+h1\s+succeeded/m);
    expect(existsSync(dataDir)).toBe(true);
  }, 120_000);

  it('aborts on a failed step when the answers say onFailure: abort, and exits 1 naming the step', async () => {
    const dataDir = join(work, 'data-failed');
    // An empty token makes `test -n` fail in the first step on both hosts.
    const answers = writeRehearsalAnswers(work, { secrets: { token: '' }, onFailure: 'abort' });
    const result = await fieldrun(['run', planFile, '--data', dataDir, '--identity', lab.user.privateKeyPath, '--known-hosts', knownHostsFile(), '--answers', answers]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/run stopped: step hello on h[12] failed: .*the run was aborted \(onFailure: abort\)/);
    expect(result.stdout).toMatch(/^hello\s+h[12]\s+failed \(exit 3\)/m);
    expect(result.stdout).not.toMatch(/^check-in/m);
    const store = openStore({ dataDir });
    try {
      expect(foldRun(store.journal.events(store.runs.list()[0]!.id)).phase).toBe('aborted');
    } finally {
      store.close();
    }
  }, 120_000);

  it('reports the outcome for machines with --json', async () => {
    const answers = writeRehearsalAnswers(work, { secrets: { token: TOKEN } });
    const result = await fieldrun(['run', planFile, '--json', '--data', join(work, 'data-json'), '--identity', lab.user.privateKeyPath, '--known-hosts', knownHostsFile(), '--answers', answers]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; phase: string; stopped: null; steps: Array<{ step: string; host: string; outcome: string }> };
    expect(parsed).toMatchObject({ ok: true, phase: 'handover', stopped: null });
    expect(parsed.steps.map((s) => `${s.step}@${s.host}`).sort()).toEqual(['check-in@h1', 'finish@h1', 'hello@h1', 'hello@h2']);
  }, 120_000);

  it('exits 1 with a clear message when a file it is given does not exist', async () => {
    const result = await fieldrun(['run', planFile, '--identity', join(work, 'no-such-key'), '--known-hosts', knownHostsFile(), '--answers', writeRehearsalAnswers(work)], { FIELDRUN_SECRET_TOKEN: TOKEN });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/INPUT_INVALID: The identity file .*no-such-key does not exist/);
    const noAnswers = await fieldrun(['run', planFile, '--answers', join(work, 'missing.yaml')]);
    expect(noAnswers.code).toBe(1);
    expect(noAnswers.stderr).toMatch(/INPUT_INVALID: The answers file .*missing\.yaml cannot be read/);
  });

  it('exits 64 on a usage error', async () => {
    expect((await fieldrun(['run'])).code).toBe(64);
    expect((await fieldrun(['run', planFile, '--no-such-option'])).code).toBe(64);
  });
});
