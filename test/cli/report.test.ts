import { execFile } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../electron/core/keys';
import type { WrittenBundle } from '../../electron/core/report';
import { ed25519BlobOf, publicKeyLineOfBlob } from '../../electron/core/sshsig';
import { exportRun, makeIdentity, recordRun, scratch, type RunFixture } from '../core/report/bundleFixture';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

// `fieldrun report verify` as a user runs it: the real bin script in a child process.
async function fieldrun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin/fieldrun.mjs'), ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let work: ReturnType<typeof scratch>;
let identity: SigningIdentity;
let fixture: RunFixture;
let bundle: WrittenBundle;
let allowed: string;
let strangers: string;

beforeAll(async () => {
  work = scratch('cli');
  identity = await makeIdentity(work.dir);
  fixture = recordRun(join(work.dir, 'data'), 'cli', 10_000);
  bundle = await exportRun(fixture, identity, join(work.dir, 'out'));
  allowed = join(work.dir, 'allowed_signers');
  writeFileSync(allowed, `${identity.allowedSignersLine()}\n`);
  strangers = join(work.dir, 'strangers');
  const stranger = publicKeyLineOfBlob(ed25519BlobOf(generateKeyPairSync('ed25519').privateKey));
  writeFileSync(strangers, `tech@example.com namespaces="fieldrun-report" ${stranger}\n`);
});
afterAll(() => {
  fixture.store.close();
  work.cleanup();
});

describe('fieldrun report verify', () => {
  it('exits 0 for an intact bundle signed by an allowed signer, folder and archive, and says what it checked', async () => {
    for (const path of [bundle.dir, bundle.archivePath]) {
      const result = await fieldrun('report', 'verify', path, '--allowed-signers', allowed);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`TRUSTED: intact and signed by tech@example.com (${identity.fingerprint})`);
      expect(result.stdout).toMatch(/journal: \d+ events, chain intact/);
      expect(result.stdout).toMatch(/files: all \d+ listed files present, no others/);
    }
  });

  it('exits 2 and names the signer key and fingerprint without --allowed-signers', async () => {
    const result = await fieldrun('report', 'verify', bundle.dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^UNTRUSTED: /m);
    expect(result.stdout).toContain(identity.fingerprint);
    expect(result.stdout).toContain(identity.publicKey.split(' ').slice(0, 2).join(' '));
  });

  it('exits 2 UNTRUSTED when the key is not in the allowed_signers file', async () => {
    const result = await fieldrun('report', 'verify', bundle.dir, '--allowed-signers', strangers);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^UNTRUSTED: /m);
  });

  it('exits 1 with the stable code and the file on a damaged bundle', async () => {
    const damaged = join(work.dir, 'damaged');
    cpSync(bundle.dir, damaged, { recursive: true });
    writeFileSync(join(damaged, 'report.html'), '<h1>All good</h1>');
    const result = await fieldrun('report', 'verify', damaged, '--allowed-signers', allowed);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^INVALID: REPORT_FILE_HASH_MISMATCH: report\.html does not match/m);
  });

  it('prints the verdict as JSON with --json', async () => {
    const result = await fieldrun('report', 'verify', '--json', bundle.archivePath, '--allowed-signers', allowed);
    expect(result.code).toBe(0);
    const verdict = JSON.parse(result.stdout) as { status: string; signer: { fingerprint: string }; manifest: { runId: string; exportSeq: number } };
    expect(verdict).toMatchObject({ status: 'trusted', signer: { fingerprint: identity.fingerprint }, manifest: { runId: fixture.runId, exportSeq: 1 } });
  });

  it('exits 1 naming the problem when the allowed_signers file cannot be read, and 64 on a wrong call', async () => {
    const missing = await fieldrun('report', 'verify', bundle.dir, '--allowed-signers', join(work.dir, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ALLOWED_SIGNERS_INVALID/);
    expect((await fieldrun('report', 'verify')).code).toBe(64);
    expect((await fieldrun('report', 'verify', join(work.dir, 'no-such-bundle'))).code).toBe(1);
  });
});
