import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../../electron/core/keys';
import { ManifestSchema, verifyBundle, type BundleManifest, type BundleVerdict, type WrittenBundle } from '../../../electron/core/report';
import { PLAN_NAMESPACE, REPORT_NAMESPACE, ed25519BlobOf, fingerprintOfBlob, publicKeyLineOfBlob, signSshsig } from '../../../electron/core/sshsig';
import { GENESIS_HASH, computeEventHash, type JournalEvent } from '../../../electron/core/store';
import { canonicalJson } from '../../../shared/canonicalJson';
import { createHash } from 'node:crypto';
import { copyBundle, exportRun, makeIdentity, recordRun, scratch, type RunFixture } from './bundleFixture';

// The tamper matrix: every way a bundle can be changed after signing is refused with its own
// reason, and nothing but the pristine bundle is ever TRUSTED.

let work: ReturnType<typeof scratch>;
let identity: SigningIdentity;
let fixture: RunFixture;
let other: RunFixture;
let bundle: WrittenBundle;
let otherBundle: WrittenBundle;
let allowedSigners: string;
let copies = 0;
const verdicts: BundleVerdict[] = [];

beforeAll(async () => {
  work = scratch('tamper');
  identity = await makeIdentity(work.dir);
  fixture = recordRun(join(work.dir, 'data'), 'tamper', 20_000);
  other = recordRun(join(work.dir, 'data-other'), 'other', 5_000);
  bundle = await exportRun(fixture, identity, join(work.dir, 'out'));
  otherBundle = await exportRun(other, identity, join(work.dir, 'out-other'));
  allowedSigners = `${identity.allowedSignersLine()}\n`;
});
afterAll(() => {
  fixture.store.close();
  other.store.close();
  work.cleanup();
});

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const fresh = (): string => copyBundle(bundle.dir, join(work.dir, `case-${++copies}`, 'bundle'));
const manifestOf = (dir: string): BundleManifest => ManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));

async function verdictOf(dir: string): Promise<BundleVerdict> {
  const verdict = await verifyBundle(dir, { allowedSigners });
  verdicts.push(verdict);
  return verdict;
}

/** Writes a new manifest and signs it, as an insider with the technician's key (or a stranger with another) would. */
function resign(dir: string, manifest: BundleManifest, sign: (message: Buffer) => string = (m) => identity.sign(m, REPORT_NAMESPACE)): void {
  const bytes = Buffer.from(canonicalJson(manifest));
  writeFileSync(join(dir, 'manifest.json'), bytes);
  writeFileSync(join(dir, 'manifest.json.sig'), sign(bytes));
}

/** Updates the manifest's entry for a file after it was changed. */
function relist(manifest: BundleManifest, dir: string, path: string): BundleManifest {
  const bytes = readFileSync(join(dir, path));
  return {
    ...manifest,
    files: manifest.files.map((file) => (file.path === path ? { ...file, size: bytes.length, sha256: sha256(bytes) } : file)),
    outputs: manifest.outputs.map((output) => (output.path === path ? { ...output, length: bytes.length, sha256: sha256(bytes) } : output)),
  };
}

function rechain(events: JournalEvent[]): JournalEvent[] {
  let prevHash = GENESIS_HASH(events[0]!.runId);
  return events.map((event, index) => {
    const unhashed = { ...event, seq: index + 1, prevHash };
    const { hash: _old, ...rest } = unhashed;
    const hash = computeEventHash(rest);
    prevHash = hash;
    return { ...rest, hash };
  });
}

function readEvents(dir: string): JournalEvent[] {
  return readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalEvent);
}

function writeEvents(dir: string, events: JournalEvent[]): void {
  writeFileSync(join(dir, 'journal.jsonl'), events.map((event) => `${canonicalJson(event)}\n`).join(''));
}

describe('the tamper matrix', () => {
  it('the pristine bundle is trusted (the baseline every case departs from)', async () => {
    expect((await verifyBundle(bundle.dir, { allowedSigners })).status).toBe('trusted');
  });

  it('a single byte flipped anywhere in any file is refused with the reason for that file', async () => {
    const manifest = manifestOf(bundle.dir);
    const paths = [...manifest.files.map((file) => file.path), 'manifest.json', 'manifest.json.sig'];
    let cases = 0;
    // One copy, each byte flipped and restored in turn: every case sees an otherwise pristine bundle.
    const dir = fresh();
    for (const path of paths) {
      const size = statSync(join(bundle.dir, path)).size;
      const positions = [...new Set([0, 1, Math.floor(size / 3), Math.floor(size / 2), Math.floor((2 * size) / 3), size - 2, size - 1].filter((p) => p >= 0 && p < size))];
      for (const position of positions) {
        for (const mask of [0x01, 0x80]) {
          const pristine = readFileSync(join(dir, path));
          const bytes = Buffer.from(pristine);
          bytes[position] = bytes[position]! ^ mask;
          writeFileSync(join(dir, path), bytes);
          const verdict = await verdictOf(dir);
          writeFileSync(join(dir, path), pristine);
          const expected =
            path === 'manifest.json'
              ? ['SIGNATURE_INVALID']
              : path === 'manifest.json.sig'
                ? ['SIGNATURE_MALFORMED', 'SIGNATURE_INVALID', 'SIGNATURE_UNSUPPORTED', 'SIGNATURE_NAMESPACE_MISMATCH']
                : ['REPORT_FILE_HASH_MISMATCH'];
          expect(verdict.status, `${path}@${position}^${mask}`).toBe('invalid');
          expect(expected, `${path}@${position}^${mask}: ${verdict.reason}`).toContain(verdict.code);
          if (expected[0] === 'REPORT_FILE_HASH_MISMATCH') expect(verdict.reason).toContain(path);
          cases += 1;
        }
      }
    }
    expect(cases).toBeGreaterThan(100);
    expect((await verifyBundle(dir, { allowedSigners })).status).toBe('trusted');
  });

  it('a single byte flipped anywhere in the archive is never trusted', async () => {
    const archive = readFileSync(bundle.archivePath);
    const positions = new Set<number>([0, 100, 148, 156, 257, 345, 511, 512, 1024, archive.length - 1, archive.length - 600]);
    for (let i = 0; i < 40; i++) positions.add(Math.floor(((i * 7919 + 13) / 40 / 7919) * archive.length) % archive.length);
    for (const position of positions) {
      const damaged = Buffer.from(archive);
      damaged[position] = damaged[position]! ^ 0x01;
      const path = join(work.dir, `archive-${position}.tar`);
      writeFileSync(path, damaged);
      const verdict = await verdictOf(path);
      expect(verdict.status, `archive@${position}: ${verdict.reason}`).toBe('invalid');
      rmSync(path);
    }
  });

  it('a file deleted is missing; the signature or manifest deleted is named as such', async () => {
    for (const [path, code] of [
      ['report.html', 'REPORT_FILE_MISSING'],
      ['journal.jsonl', 'REPORT_FILE_MISSING'],
      ['attachments/rack.jpg', 'REPORT_FILE_MISSING'],
      [manifestOf(bundle.dir).outputs[0]!.path, 'REPORT_FILE_MISSING'],
      ['manifest.json', 'REPORT_FILE_MISSING'],
      ['manifest.json.sig', 'REPORT_SIGNATURE_MISSING'],
    ] as const) {
      const dir = fresh();
      rmSync(join(dir, path));
      expect(await verdictOf(dir), path).toMatchObject({ status: 'invalid', code });
    }
  });

  it('a file added (or a link) is unexpected', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'attachments', 'extra.txt'), 'added later');
    expect(await verdictOf(dir)).toMatchObject({ status: 'invalid', code: 'REPORT_FILE_UNEXPECTED' });
    const linked = fresh();
    symlinkSync('/etc/hostname', join(linked, 'notes.txt'));
    expect(await verdictOf(linked)).toMatchObject({ status: 'invalid', code: 'REPORT_FILE_UNEXPECTED' });
    const appended = fresh();
    appendFileSync(join(appended, 'report.html'), '<script>x</script>');
    expect(await verdictOf(appended)).toMatchObject({ status: 'invalid', code: 'REPORT_FILE_HASH_MISMATCH' });
  });

  it('the signature swapped for the one of another report is invalid', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'manifest.json.sig'), readFileSync(join(otherBundle.dir, 'manifest.json.sig')));
    expect(await verdictOf(dir)).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
  });

  it('re-signed with another key: a mismatch when the manifest still names the technician, UNTRUSTED when it names the stranger', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const strangerSign = (message: Buffer): string => signSshsig({ message, namespace: REPORT_NAMESPACE, privateKey });
    const dir = fresh();
    resign(dir, manifestOf(dir), strangerSign);
    expect(await verdictOf(dir)).toMatchObject({ status: 'invalid', code: 'REPORT_SIGNER_MISMATCH' });

    const forged = fresh();
    const blob = ed25519BlobOf(privateKey);
    resign(forged, { ...manifestOf(forged), signer: { name: 'tech@example.com', publicKey: publicKeyLineOfBlob(blob), fingerprint: fingerprintOfBlob(blob) } }, strangerSign);
    const verdict = await verdictOf(forged);
    expect(verdict).toMatchObject({ status: 'untrusted', code: 'SIGNER_UNTRUSTED', signer: { fingerprint: fingerprintOfBlob(blob) } });
    expect((await verifyBundle(forged)).status).toBe('untrusted');
  });

  it('a signature made under the plan namespace does not count for a report', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'manifest.json.sig'), identity.sign(readFileSync(join(dir, 'manifest.json')), PLAN_NAMESPACE));
    expect(await verdictOf(dir)).toMatchObject({ status: 'invalid', code: 'SIGNATURE_NAMESPACE_MISMATCH' });
  });

  it('an event removed and the chain recomputed is caught: by the file hash, and by the signed head even when the file entry is re-signed', async () => {
    const dir = fresh();
    const events = readEvents(dir);
    writeEvents(dir, rechain(events.filter((event) => event.seq !== 10)));
    expect(await verdictOf(dir)).toMatchObject({ status: 'invalid', code: 'REPORT_FILE_HASH_MISMATCH' });
    resign(dir, relist(manifestOf(dir), dir, 'journal.jsonl'));
    const verdict = await verdictOf(dir);
    expect(verdict).toMatchObject({ status: 'invalid', code: 'REPORT_JOURNAL_HEAD_MISMATCH' });
    expect(verdict.reason).toMatch(/ends at event \d+ .* says it ends at event \d+/);
  });

  it('an event removed or rewritten without recomputing breaks the chain', async () => {
    const removed = fresh();
    writeEvents(removed, readEvents(removed).filter((event) => event.seq !== 10));
    resign(removed, relist(manifestOf(removed), removed, 'journal.jsonl'));
    expect(await verdictOf(removed)).toMatchObject({ status: 'invalid', code: 'JOURNAL_CHAIN_BROKEN' });
    expect((await verifyBundle(removed, { allowedSigners })).reason).toMatch(/event 10 is missing/);

    const rewritten = fresh();
    writeEvents(rewritten, readEvents(rewritten).map((event) => (event.type === 'baseline.waived' ? { ...event, payload: { check: 'check-5', reason: 'no reason' } } : event)));
    resign(rewritten, relist(manifestOf(rewritten), rewritten, 'journal.jsonl'));
    expect(await verdictOf(rewritten)).toMatchObject({ status: 'invalid', code: 'JOURNAL_CHAIN_BROKEN' });
  });

  it('an output replaced and re-listed is caught by the digest its step-end event carries', async () => {
    const dir = fresh();
    const output = manifestOf(dir).outputs[2]!;
    writeFileSync(join(dir, output.path), 'everything went fine\n');
    resign(dir, relist(manifestOf(dir), dir, output.path));
    const verdict = await verdictOf(dir);
    expect(verdict).toMatchObject({ status: 'invalid', code: 'REPORT_OUTPUT_MISMATCH' });
    expect(verdict.reason).toContain(output.stream);
  });

  it('the manifest edited is refused, whatever the edit', async () => {
    const edits: ((m: BundleManifest) => BundleManifest)[] = [
      (m) => ({ ...m, exportSeq: 2 }),
      (m) => ({ ...m, files: m.files.filter((file) => file.path !== 'report.html') }),
      (m) => ({ ...m, journalHead: { seq: m.journalHead.seq - 1, hash: m.journalHead.hash } }),
      (m) => ({ ...m, createdAt: '2026-03-02T12:30:00.000Z' }),
    ];
    for (const edit of edits) {
      const dir = fresh();
      writeFileSync(join(dir, 'manifest.json'), canonicalJson(edit(manifestOf(dir))));
      expect(await verdictOf(dir)).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
    }
    // Re-signed by the technician's own key, a dropped file still shows as unexpected.
    const dropped = fresh();
    resign(dropped, { ...manifestOf(dropped), files: manifestOf(dropped).files.filter((file) => file.path !== 'attachments/rack.jpg') });
    expect(await verdictOf(dropped)).toMatchObject({ status: 'invalid', code: 'REPORT_FILE_UNEXPECTED' });
  });

  it('zero false accepts: no damaged case was ever trusted', () => {
    console.log(`[report tamper] ${verdicts.length} damaged bundles checked, ${verdicts.filter((v) => v.status === 'trusted').length} trusted`);
    expect(verdicts.length).toBeGreaterThan(150);
    expect(verdicts.filter((verdict) => verdict.status === 'trusted')).toEqual([]);
  });
});
