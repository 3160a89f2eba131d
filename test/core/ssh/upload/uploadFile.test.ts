import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshConnection } from '../../../../electron/core/ssh/connection';
import { uploadFile } from '../../../../electron/core/ssh/upload';
import { startTestLab, type TestLab } from '../../../hosts';
import { connectLab } from '../exec/labShell';

let lab: TestLab;
let local: string;
let big: string;
let bigHash: string;
const open: SshConnection[] = [];

const MB = 1024 * 1024;

beforeAll(async () => {
  lab = await startTestLab({
    hosts: ['web1', 'jump1', { name: 'jump2', behind: 'jump1' }, { name: 'jump3', behind: 'jump2' }, { name: 'db1', behind: 'jump3' }],
  });
  // the login user's deployment folder on each target (/srv itself belongs to root)
  for (const name of ['web1', 'db1']) {
    const home = statSync(lab.host(name).pathOnHost('/home/fieldrun'));
    const deploy = lab.host(name).pathOnHost('/srv/deploy');
    mkdirSync(deploy, { recursive: true });
    chownSync(deploy, home.uid, home.gid);
  }
  local = mkdtempSync(join(tmpdir(), 'fieldrun-upload-'));
  big = join(local, 'release.tar');
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  for (let i = 0; i < 100; i++) {
    const part = randomBytes(MB);
    hash.update(part);
    parts.push(part);
  }
  writeFileSync(big, Buffer.concat(parts));
  bigHash = hash.digest('hex');
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await lab?.stop();
  if (local !== undefined) rmSync(local, { recursive: true, force: true });
});

async function shellOn(name: string): Promise<SshConnection> {
  const connection = await connectLab(lab, name);
  open.push(connection);
  return connection;
}

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const partials = (dir: string): string[] => readdirSync(dir).filter((n) => n.includes('.fieldrun-'));

describe('uploads', () => {
  it('100 MiB through the jump chain jump1 → jump2 → jump3 → db1, verified by SHA-256 on the far side', async () => {
    if (lab.mode !== 'namespaces') throw new Error('the jump chain needs the namespaced lab (run as root)');
    expect(lab.host('db1').directlyReachable).toBe(false);
    const shell = await shellOn('db1');
    const progress: number[] = [];
    const result = await uploadFile(shell, {
      localPath: big,
      remotePath: '/srv/deploy/release.tar',
      expectedSha256: bigHash,
      mode: 0o640,
      onProgress: ({ transferred, total }) => {
        expect(total).toBe(100 * MB);
        progress.push(transferred);
      },
    });
    console.log(`100 MiB through 3 jump hosts in ${(result.elapsedMs / 1000).toFixed(2)} s (${(100 / (result.elapsedMs / 1000)).toFixed(0)} MiB/s), ${progress.length} progress reports`);
    expect(result).toMatchObject({ remotePath: '/srv/deploy/release.tar', bytes: 100 * MB, sha256: bigHash });
    expect(result.elapsedMs).toBeLessThan(30_000);
    expect(progress.at(-1)).toBe(100 * MB);
    expect(progress.length).toBeGreaterThan(10);
    const placed = lab.host('db1').pathOnHost('/srv/deploy/release.tar');
    expect(sha256Of(placed)).toBe(bigHash);
    expect(statSync(placed).mode & 0o777).toBe(0o640);
    expect(partials(lab.host('db1').pathOnHost('/srv/deploy'))).toEqual([]);
  }, 90_000);

  it('replace an existing file only once the new one is verified, with the owner asked for', async () => {
    const shell = await shellOn('web1');
    const target = lab.host('web1').pathOnHost('/srv/deploy/app.conf');
    writeFileSync(target, 'old contents\n');
    const source = join(local, 'app.conf');
    writeFileSync(source, 'new contents\n');
    await uploadFile(shell, { localPath: source, remotePath: '/srv/deploy/app.conf', owner: 'fieldrun:fieldrun', mode: 0o600 });
    expect(readFileSync(target, 'utf8')).toBe('new contents\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it("refuse a local file that is not the plan's artifact, putting nothing in place", async () => {
    const shell = await shellOn('web1');
    const source = join(local, 'tampered.bin');
    writeFileSync(source, 'not what head office sent');
    await expect(uploadFile(shell, { localPath: source, remotePath: '/srv/deploy/tampered.bin', expectedSha256: '0'.repeat(64) })).rejects.toMatchObject({
      code: 'ARTIFACT_HASH_MISMATCH',
    });
    expect(existsSync(lab.host('web1').pathOnHost('/srv/deploy/tampered.bin'))).toBe(false);
    expect(partials(lab.host('web1').pathOnHost('/srv/deploy'))).toEqual([]);
  });

  it('a file that arrives different from what was sent never counts: mismatch error, temporary file removed', async () => {
    // A host whose sha256sum reports another hash: from the client's side, exactly a damaged file.
    const bashrc = lab.host('web1').pathOnHost('/home/fieldrun/.bashrc');
    const original = readFileSync(bashrc, 'utf8');
    const fakeBin = lab.host('web1').pathOnHost('/home/fieldrun/fakebin');
    mkdirSync(fakeBin, { recursive: true });
    writeFileSync(join(fakeBin, 'sha256sum'), `#!/bin/sh\ncat >/dev/null\necho "${'e'.repeat(64)}  -"\n`);
    chmodSync(join(fakeBin, 'sha256sum'), 0o755);
    writeFileSync(bashrc, `PATH="$HOME/fakebin:$PATH"\n${original}`);
    try {
      const shell = await shellOn('web1');
      const source = join(local, 'data.bin');
      writeFileSync(source, randomBytes(256 * 1024));
      const failure = await uploadFile(shell, { localPath: source, remotePath: '/srv/deploy/data.bin' }).catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: 'SSH_UPLOAD_CHECKSUM_MISMATCH', details: { actual: 'e'.repeat(64), expected: sha256Of(source) } });
      expect(existsSync(lab.host('web1').pathOnHost('/srv/deploy/data.bin'))).toBe(false);
      expect(partials(lab.host('web1').pathOnHost('/srv/deploy'))).toEqual([]);
    } finally {
      writeFileSync(bashrc, original);
      rmSync(fakeBin, { recursive: true, force: true });
    }
  });

  it('a directory the login user may not write to fails clearly, leaving nothing behind', async () => {
    const shell = await shellOn('web1');
    mkdirSync(lab.host('web1').pathOnHost('/srv/locked'), { recursive: true, mode: 0o755 });
    const source = join(local, 'small.txt');
    writeFileSync(source, 'x');
    await expect(uploadFile(shell, { localPath: source, remotePath: '/srv/locked/small.txt' })).rejects.toMatchObject({ code: 'SSH_UPLOAD_FAILED' });
    await expect(uploadFile(shell, { localPath: join(local, 'absent'), remotePath: '/srv/deploy/absent' })).rejects.toMatchObject({ code: 'ARTIFACT_MISSING' });
  });
});
