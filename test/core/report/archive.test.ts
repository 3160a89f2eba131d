import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../../electron/core/keys';
import { storeOutputSource, verifyBundle, writeBundle, type WrittenBundle } from '../../../electron/core/report';
import { renderTarHeader } from '../../../electron/core/report/ustar';
import { exportRun, makeIdentity, recordRun, scratch, type RunFixture } from './bundleFixture';

// The archive is the form a bundle travels in. Fieldrun writes one canonical ustar layout and
// reads back only that: every byte of the archive is accounted for, and nothing in it can point
// outside the folder it unpacks to.

let work: ReturnType<typeof scratch>;
let identity: SigningIdentity;
let fixture: RunFixture;
let bundle: WrittenBundle;
let allowedSigners: string;

function tar(args: readonly string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('tar', args, { encoding: 'utf8', ...(cwd === undefined ? {} : { cwd }) });
  if (result.error !== undefined) throw new Error(`GNU tar is not installed (${result.error.message}): apt-get install tar`);
  return result;
}

beforeAll(async () => {
  work = scratch('archive');
  identity = await makeIdentity(work.dir);
  fixture = recordRun(join(work.dir, 'data'), 'archive', 3_000);
  bundle = await exportRun(fixture, identity, join(work.dir, 'out'));
  allowedSigners = identity.allowedSignersLine();
});
afterAll(() => {
  fixture.store.close();
  work.cleanup();
});

const blocks = (...parts: Buffer[]): Buffer => Buffer.concat([...parts, Buffer.alloc(1024)]);
const fileEntry = (path: string, data: string): Buffer[] => {
  const bytes = Buffer.from(data);
  return [renderTarHeader({ path, type: 'file', size: bytes.length, mtime: 0 }), bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)];
};

describe('the report archive', () => {
  it('lists one folder of plain files, mode 0644, owner 0, all with the export time', () => {
    const listing = tar(['-tvf', bundle.archivePath], work.dir);
    expect(listing.status).toBe(0);
    const lines = listing.stdout.trimEnd().split('\n');
    const root = `fieldrun-report-${fixture.runId}-1/`;
    expect(lines[0]).toMatch(new RegExp(`^drwxr-xr-x 0/0 +0 2026-03-01 \\d\\d:30 ${root}$`));
    for (const line of lines.slice(1)) expect(line).toMatch(new RegExp(`^(-rw-r--r--|drwxr-xr-x) 0/0 +\\d+ 2026-03-01 \\d\\d:30 ${root}`));
    expect(lines.at(-1)).toMatch(/manifest\.json\.sig$/);
    expect(lines.at(-2)).toMatch(/manifest\.json$/);
    expect(statSync(bundle.archivePath).size % 512).toBe(0);
  });

  it('carries names longer than 100 bytes through the ustar prefix field, readable by GNU tar and by the verifier', async () => {
    const source = join(work.dir, 'long-attachment.bin');
    writeFileSync(source, 'photo');
    const name = `${'a'.repeat(95)}.jpg`;
    const long = await writeBundle({
      outDir: join(work.dir, 'long', `fieldrun-report-${'r'.repeat(60)}-1`),
      runId: fixture.runId,
      planHash: fixture.planHash,
      exportSeq: 1,
      events: fixture.store.journal.events(fixture.runId),
      outputs: storeOutputSource(fixture.store.output, fixture.runId),
      reportJson: {},
      reportHtml: '<p>x</p>',
      attachments: [{ name, localPath: source }],
      identity,
      appVersion: '0.1.0',
    });
    expect(tar(['-tf', long.archivePath]).stdout).toContain(`attachments/${name}`);
    const longVerdict = await verifyBundle(long.archivePath, { allowedSigners });
    expect(longVerdict, longVerdict.reason).toMatchObject({ status: 'trusted' });
  });

  it('refuses an archive re-packed by another tool (not the canonical layout), while its unpacked folder still verifies', async () => {
    const repacked = join(work.dir, 'repacked.tar');
    expect(tar(['-cf', repacked, '-C', join(bundle.dir, '..'), `fieldrun-report-${fixture.runId}-1`]).status).toBe(0);
    expect(await verifyBundle(repacked, { allowedSigners })).toMatchObject({ status: 'invalid', code: 'REPORT_BUNDLE_INVALID' });
  });

  it('refuses links, paths leaving the folder, clashing entries, a cut-short archive and bytes after the end', async () => {
    const cases: Record<string, Buffer> = {
      'dotdot': blocks(renderTarHeader({ path: 'b/', type: 'directory', size: 0, mtime: 0 }), ...fileEntry('b/../escape.txt', 'x')),
      'outside': blocks(renderTarHeader({ path: 'b/', type: 'directory', size: 0, mtime: 0 }), ...fileEntry('c/report.html', 'x')),
      'absolute': blocks(renderTarHeader({ path: '/b/', type: 'directory', size: 0, mtime: 0 })),
      'clash': blocks(renderTarHeader({ path: 'b/', type: 'directory', size: 0, mtime: 0 }), ...fileEntry('b/x', '1'), ...fileEntry('b/x/y', '2')),
      'twice': blocks(renderTarHeader({ path: 'b/', type: 'directory', size: 0, mtime: 0 }), ...fileEntry('b/x', '1'), ...fileEntry('b/x', '2')),
      'cut': readFileSync(bundle.archivePath).subarray(0, 512 * 7 + 100),
      'trailing': Buffer.concat([readFileSync(bundle.archivePath), Buffer.from('junk')]),
      'empty': Buffer.alloc(0),
    };
    const link = join(work.dir, 'with-link');
    mkdirSync(join(link, 'b'), { recursive: true });
    symlinkSync('/etc/passwd', join(link, 'b', 'report.html'));
    expect(tar(['-cf', join(work.dir, 'link.tar'), '-C', link, 'b']).status).toBe(0);
    cases.link = readFileSync(join(work.dir, 'link.tar'));
    for (const [name, bytes] of Object.entries(cases)) {
      const path = join(work.dir, `${name}.tar`);
      writeFileSync(path, bytes);
      const verdict = await verifyBundle(path, { allowedSigners });
      expect(verdict, `${name}: ${verdict.reason}`).toMatchObject({ status: 'invalid', code: 'REPORT_BUNDLE_INVALID' });
    }
    // Nothing was unpacked outside the verifier's scratch folder.
    expect(() => statSync(join(work.dir, 'escape.txt'))).toThrow();
  });
});
