import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const PLANS = join(ROOT, 'resources/plans');
let work: string;

// The CLI as a user runs it: the real bin script in a child process.
async function fieldrun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin/fieldrun.mjs'), ...args], { env: { ...process.env, TZ: 'America/New_York' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fieldrun plan validate', () => {
  it('exits 0 for the example plans, folder and file', async () => {
    expect(await fieldrun('plan', 'validate', join(PLANS, 'example-plan'))).toMatchObject({ code: 0, stdout: 'example-plan: valid\n' });
    expect((await fieldrun('plan', 'validate', join(PLANS, 'first-plan.yaml'))).code).toBe(0);
  });

  it('exits 1 and prints each problem as file:line:column path CODE: message', async () => {
    const bad = join(work, 'bad.yaml');
    const text = readFileSync(join(PLANS, 'first-plan.yaml'), 'utf8').replace('needs: [prepare]', 'needs: [prepare, nowhere]');
    writeFileSync(bad, text);
    const result = await fieldrun('plan', 'validate', bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^bad\.yaml:\d+:\d+ steps\[\d+\]\.needs\[1\] NEEDS_UNKNOWN_STEP: /m);
    expect(result.stderr).toMatch(/1 problem;/);
  });

  it('prints machine-readable results with --json', async () => {
    const bad = join(work, 'cycle.yaml');
    writeFileSync(bad, 'apiVersion: fieldrun/v2\n');
    const result = await fieldrun('plan', 'validate', '--json', bad);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { valid: boolean; problems: Array<{ code: string; line: number; column: number; path: string }> };
    expect(parsed.valid).toBe(false);
    expect(parsed.problems.find((p) => p.path === 'apiVersion')).toMatchObject({ code: 'API_VERSION_UNSUPPORTED', line: 1, column: 13 });
  });

  it('checks artifacts of a plan folder', async () => {
    const folder = join(work, 'example-plan');
    cpSync(join(PLANS, 'example-plan'), folder, { recursive: true });
    const result0 = await fieldrun('plan', 'validate', '--json', folder);
    expect(result0.code).toBe(0);
    const plan = readFileSync(join(folder, 'plan.yaml'), 'utf8');
    const firstArtifact = /path:\s*(\S+)/.exec(plan.slice(plan.indexOf('artifacts:')))![1]!;
    writeFileSync(join(folder, firstArtifact), 'changed');
    const result = await fieldrun('plan', 'validate', folder);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ARTIFACT_HASH_MISMATCH/);
  });

  it('exits 64 with usage on a wrong command', async () => {
    const result = await fieldrun('plan', 'frobnicate', 'x');
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/Usage: fieldrun/);
  });
});

describe('fieldrun plan show', () => {
  it('shows hosts, the step order and the outage window in site and local time', async () => {
    const result = await fieldrun('plan', 'show', join(PLANS, 'example-plan'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Hosts \(5\)/);
    expect(result.stdout).toMatch(/web1 .* via jump1/);
    expect(result.stdout).toMatch(/host key: confirmed on first connection/);
    expect(result.stdout).toMatch(/Steps in order/);
    expect(result.stdout).toMatch(/here \(America\/New_York\)/);
  });
});

describe('fieldrun plan sign', () => {
  it('writes a signature that stock ssh-keygen verifies in the plan namespace', async () => {
    const folder = join(work, 'to-sign');
    cpSync(join(PLANS, 'example-plan'), folder, { recursive: true });
    const key = join(work, 'head_office_key');
    cpSync(join(ROOT, 'test/hosts/keys/client_ed25519_pass'), key);
    const result = await runWithEnv(['plan', 'sign', folder, '--key', key], { FIELDRUN_KEY_PASSPHRASE: 'correct horse battery staple' });
    expect(result.code).toBe(0);
    const publicKey = readFileSync(join(ROOT, 'test/hosts/keys/client_ed25519_pass.pub'), 'utf8').trim();
    const signers = join(work, 'allowed_signers');
    writeFileSync(signers, `plans@head-office namespaces="fieldrun-plan" ${publicKey}\n`);
    const verify = await run('sh', ['-c', `ssh-keygen -Y verify -f ${signers} -I plans@head-office -n fieldrun-plan -s ${folder}/plan.yaml.sig < ${folder}/plan.yaml`]);
    expect(verify.stdout).toMatch(/Good "fieldrun-plan" signature for plans@head-office/);
  });
});

async function runWithEnv(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin/fieldrun.mjs'), ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
