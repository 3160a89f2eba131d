import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { checkPlanAt, importPlanAt } from '../../../electron/core/plan/importPlan';
import type { PlanTrustOptions } from '../../../electron/core/plan/planTrust';
import { openStore } from '../../../electron/core/store';
import type { Store } from '../../../electron/core/store';

const EXAMPLE = join(import.meta.dirname, '../../../resources/plans/example-plan');

// These tests are about documents and artifacts; trust has its own tests below.
const ACCEPT = { trustedPlanSigners: '', acknowledgement: { note: 'test plan from the repository', at: '2026-11-26T00:00:00.000Z' } };

let work: string;
let store: Store;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-import-'));
  store = openStore({ dataDir: join(work, 'data') });
});
afterEach(() => {
  store.close();
  rmSync(work, { recursive: true, force: true });
});

function copyExample(): string {
  const folder = join(work, 'example-plan');
  cpSync(EXAMPLE, folder, { recursive: true });
  return folder;
}

async function importError(path: string, trust: PlanTrustOptions = ACCEPT): Promise<AppError> {
  try {
    await importPlanAt(store, path, trust);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`import of ${path} succeeded but should have failed`);
}

const problemsOf = (error: AppError): Array<{ code: string; path: string }> =>
  ((error.details?.['problems'] ?? []) as Array<{ code: string; path: string }>).map((p) => ({ code: p.code, path: p.path }));

describe('importing a plan folder', () => {
  it('stores the plan content-addressed and every artifact by its SHA-256', async () => {
    const { plan, inserted } = await importPlanAt(store, copyExample(), ACCEPT);
    expect(inserted).toBe(true);
    expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.artifacts.length).toBeGreaterThan(0);
    for (const artifact of plan.artifacts) {
      const stored = readFileSync(join(store.dataDir, 'artifacts', artifact.sha256));
      expect(stored.length).toBe(artifact.size);
    }
    expect(plan.source).toEqual({ kind: 'folder', name: 'example-plan', planFile: 'plan.yaml' });
    expect(plan.signature.status).toBe('unsigned');
  });

  it('imports the same bytes once: a second import returns the stored plan', async () => {
    const folder = copyExample();
    const first = await importPlanAt(store, folder, ACCEPT);
    const second = await importPlanAt(store, folder, ACCEPT);
    expect(second.inserted).toBe(false);
    expect(second.plan.hash).toBe(first.plan.hash);
    expect(store.plans.list()).toHaveLength(1);
  });

  it('refuses the whole plan when an artifact was changed, naming the artifact entry', async () => {
    const folder = copyExample();
    const plan = (await checkPlanAt(folder)).plan!;
    const victim = plan.artifacts[0]!;
    writeFileSync(join(folder, victim.path), 'tampered');
    const error = await importError(folder);
    expect(error.code).toBe('PLAN_INVALID');
    expect(problemsOf(error)).toContainEqual({ code: 'ARTIFACT_HASH_MISMATCH', path: 'artifacts[0].sha256' });
    expect(store.plans.list()).toHaveLength(0);
  });

  it('refuses a missing artifact and an artifact reached through a link', async () => {
    const folder = copyExample();
    const plan = (await checkPlanAt(folder)).plan!;
    const [first, second] = plan.artifacts;
    rmSync(join(folder, first!.path));
    const real = join(work, 'outside.bin');
    cpSync(join(folder, second!.path), real);
    rmSync(join(folder, second!.path));
    symlinkSync(real, join(folder, second!.path));
    const error = await importError(folder);
    expect(problemsOf(error)).toEqual([
      { code: 'ARTIFACT_MISSING', path: 'artifacts[0].path' },
      { code: 'ARTIFACT_MISSING', path: 'artifacts[1].path' },
    ]);
  });

  it('reports every plan problem with its location instead of importing half a plan', async () => {
    const folder = copyExample();
    const text = readFileSync(join(folder, 'plan.yaml'), 'utf8');
    writeFileSync(join(folder, 'plan.yaml'), text.replace(/needs: \[([a-z0-9-]+)/, 'needs: [no-such-step'));
    const error = await importError(folder);
    expect(error.code).toBe('PLAN_INVALID');
    const problems = error.details?.['problems'] as Array<{ code: string; line: number; column: number }>;
    expect(problems[0]).toMatchObject({ code: 'NEEDS_UNKNOWN_STEP' });
    expect(problems[0]!.line).toBeGreaterThan(1);
    expect(store.plans.list()).toHaveLength(0);
  });
});

describe('importing a plan archive', () => {
  it('accepts a .tar.gz made with tar, with everything under one folder', async () => {
    const folder = copyExample();
    const archive = join(work, 'example-plan.tar.gz');
    execFileSync('tar', ['czf', archive, '-C', work, 'example-plan']);
    const { plan } = await importPlanAt(store, archive, ACCEPT);
    expect(plan.source).toEqual({ kind: 'archive', name: 'example-plan.tar.gz', planFile: 'plan.yaml' });
    const fromFolder = await importPlanAt(store, folder, ACCEPT);
    expect(fromFolder.plan.hash).toBe(plan.hash);
  });

  it.each([
    ['a symbolic link', (dir: string) => symlinkSync('/etc/passwd', join(dir, 'evil'))],
    ['a hard link', (dir: string) => execFileSync('ln', [join(dir, 'plan.yaml'), join(dir, 'hard')])],
  ])('refuses an archive holding %s', async (_what, add) => {
    const folder = copyExample();
    add(folder);
    const archive = join(work, 'plan.tar');
    execFileSync('tar', ['cf', archive, '-C', folder, '.']);
    const error = await importError(archive);
    expect(error.code).toBe('ARCHIVE_UNSAFE');
  });

  it.each([
    ['an absolute path', '/tmp/fieldrun-escape'],
    ['a path climbing out with ..', '../../fieldrun-escape'],
  ])('refuses an archive with %s', async (_what, name) => {
    const archive = join(work, 'plan.tar');
    writeFileSync(archive, tarWithEntry(name, Buffer.from('x')));
    const error = await importError(archive);
    expect(error.code).toBe('ARCHIVE_UNSAFE');
    expect(existsSync('/tmp/fieldrun-escape')).toBe(false);
  });

  it('refuses an archive that expands far beyond its size (a compression bomb), quickly', async () => {
    const inner = tarWithEntry('plan.yaml', Buffer.alloc(300 * 1024 * 1024));
    const archive = join(work, 'bomb.tar.gz');
    writeFileSync(archive, gzipSync(inner, { level: 9 }));
    const started = Date.now();
    const error = await importError(archive);
    expect(error.code).toBe('ARCHIVE_UNSAFE');
    expect(error.message).toMatch(/expands to more than/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a file that is not a tar archive with a clear error', async () => {
    const archive = join(work, 'junk.tar');
    writeFileSync(archive, Buffer.alloc(4096, 7));
    const error = await importError(archive);
    expect(error.code).toBe('ARCHIVE_UNSAFE');
  });
});

describe('import sources', () => {
  it('says what to do when a folder holds no plan.yaml', async () => {
    const folder = join(work, 'empty');
    mkdirSync(folder);
    const error = await importError(folder);
    expect(error.code).toBe('IMPORT_SOURCE_INVALID');
    expect(error.message).toMatch(/plan\.yaml/);
  });

  it('refuses a huge file before reading it as a plan', async () => {
    const big = join(work, 'big.yaml');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 0x61));
    const error = await importError(big);
    expect(error.code).toBe('PLAN_TOO_LARGE');
  });
});

describe('trust in plans', () => {
  const keysDir = join(import.meta.dirname, '../../hosts/keys');
  function signWithSshKeygen(planFile: string, namespace = 'fieldrun-plan'): { allowedSigners: string } {
    const key = join(work, 'headoffice_ed25519');
    cpSync(join(keysDir, 'client_ed25519'), key);
    execFileSync('chmod', ['600', key]);
    execFileSync('ssh-keygen', ['-Y', 'sign', '-q', '-f', key, '-n', namespace, planFile]);
    const publicKey = readFileSync(join(keysDir, 'client_ed25519.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    return { allowedSigners: `plans@head-office.example namespaces="fieldrun-plan" ${publicKey}\n` };
  }

  it('refuses an unsigned plan without an acknowledgement, storing nothing', async () => {
    const error = await importError(copyExample(), { trustedPlanSigners: '' });
    expect(error.code).toBe('PLAN_NOT_TRUSTED');
    expect(error.details).toMatchObject({ status: 'unsigned' });
    expect(store.plans.list()).toHaveLength(0);
  });

  it('binds an acknowledgement to the bytes shown: the refusal names the plan hash, and another file is refused', async () => {
    const folder = copyExample();
    const refused = await importError(folder, { trustedPlanSigners: '' });
    const planHash = createHash('sha256').update(readFileSync(join(folder, 'plan.yaml'))).digest('hex');
    expect(refused.details).toMatchObject({ status: 'unsigned', planHash });

    // Between the refusal and the click, another unsigned file takes its place.
    writeFileSync(join(folder, 'plan.yaml'), `${readFileSync(join(folder, 'plan.yaml'), 'utf8')}# swapped in later\n`);
    const stale = await importError(folder, { trustedPlanSigners: '', acknowledgement: { ...ACCEPT.acknowledgement, expectSha256: planHash } });
    expect(stale.code).toBe('PLAN_ACKNOWLEDGEMENT_STALE');
    expect(stale.message).toContain('is not the plan you acknowledged');
    expect(store.plans.list()).toHaveLength(0);

    const shown = await importError(folder, { trustedPlanSigners: '' });
    const { plan } = await importPlanAt(store, folder, { trustedPlanSigners: '', acknowledgement: { ...ACCEPT.acknowledgement, expectSha256: String(shown.details?.['planHash']) } });
    expect(plan.hash).toBe(shown.details?.['planHash']);
    expect(plan.acknowledgement).toEqual({ note: ACCEPT.acknowledgement.note, at: ACCEPT.acknowledgement.at, status: 'unsigned' });
  });

  it('imports an unsigned plan with an acknowledgement, which is stored with the plan', async () => {
    const { plan } = await importPlanAt(store, copyExample(), ACCEPT);
    expect(plan.signature.status).toBe('unsigned');
    expect(plan.acknowledgement).toMatchObject({ note: 'test plan from the repository', status: 'unsigned' });
  });

  it('trusts a plan signed with ssh-keygen by a listed head-office key, without asking', async () => {
    const folder = copyExample();
    const { allowedSigners } = signWithSshKeygen(join(folder, 'plan.yaml'));
    const { plan } = await importPlanAt(store, folder, { trustedPlanSigners: allowedSigners });
    expect(plan.signature.status).toBe('valid-trusted');
    expect(plan.acknowledged).toBe(false);
  });

  it('asks for an acknowledgement when the signer is not listed', async () => {
    const folder = copyExample();
    signWithSshKeygen(join(folder, 'plan.yaml'));
    const error = await importError(folder, { trustedPlanSigners: '' });
    expect(error.code).toBe('PLAN_NOT_TRUSTED');
    expect(error.details).toMatchObject({ status: 'valid-untrusted', signerFingerprint: expect.stringMatching(/^SHA256:/) });
    const { plan } = await importPlanAt(store, folder, { trustedPlanSigners: '', acknowledgement: ACCEPT.acknowledgement });
    expect(plan.signature.status).toBe('valid-untrusted');
    expect(plan.acknowledged).toBe(true);
  });

  it('refuses a plan changed after signing, and a report signature passed off as a plan signature', async () => {
    const folder = copyExample();
    const planFile = join(folder, 'plan.yaml');
    const { allowedSigners } = signWithSshKeygen(planFile);
    writeFileSync(planFile, `${readFileSync(planFile, 'utf8')}\n# edited after signing\n`);
    expect((await importError(folder, { trustedPlanSigners: allowedSigners, acknowledgement: ACCEPT.acknowledgement })).code).toBe('PLAN_SIGNATURE_INVALID');

    const other = join(work, 'other');
    cpSync(EXAMPLE, other, { recursive: true });
    rmSync(join(work, 'headoffice_ed25519'));
    signWithSshKeygen(join(other, 'plan.yaml'), 'fieldrun-report');
    const error = await importError(other, { trustedPlanSigners: allowedSigners, acknowledgement: ACCEPT.acknowledgement });
    expect(error.code).toBe('PLAN_SIGNATURE_INVALID');
    expect(error.message).toMatch(/fieldrun-report/);
    expect(store.plans.list()).toHaveLength(0);
  });
});

/** A ustar archive with one regular file under any name (tar itself will not write some of these). */
function tarWithEntry(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}
