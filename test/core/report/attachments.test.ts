import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldRun } from '../../../shared/run';
import { createCore, type Core } from '../../../electron/core/core';
import type { SigningIdentity } from '../../../electron/core/keys';
import { verifyBundle } from '../../../electron/core/report';
import { MAX_ATTACHMENT_BYTES } from '../../../shared/contract/attachments';
import { exportLocator, findExport, verifyExport } from '../../../electron/core/report/exports/runExports';
import { sshKeygen } from '../sshsig/sshKeygen';
import { EXAMPLE_PLAN_DIR, call, mkdtempSync, removeTempDirs } from '../runner/runLab';
import { makeIdentity } from './bundleFixture';

// Photos and files attached to a checklist item, a step and a handover item, through the core's
// dispatch as the report screen calls it: uploaded in chunks, journaled, listed and read back,
// carried into the signed bundle (which OpenSSH verifies), and refused when they do not fit.

const MiB = 1024 * 1024;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF rack photo, front view')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('switch cabling <script>alert(1)</script>')]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
/** A photo too large to inline in report.html (over 2 MiB), still small enough to attach. */
const BIG_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xdb]), Buffer.alloc(3 * MiB, 7)]);

let core: Core;
let identity: SigningIdentity;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-attachments-'));
  identity = await makeIdentity(work);
  core = createCore({ dataDir: join(work, 'data'), strictOutputs: true, appVersion: '0.1.0-test', signing: { identity } });
});

afterAll(() => {
  core?.close();
  removeTempDirs();
});

describe('the attachment store at start', () => {
  it('removes copies a crash cut short, and keeps the complete files', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-attachments-crash-'));
    mkdirSync(join(dataDir, 'attachments'), { recursive: true });
    writeFileSync(join(dataDir, 'attachments', '.incoming-0123456789abcdef'), 'half a photo');
    writeFileSync(join(dataDir, 'attachments', sha256(JPEG)), JPEG);
    const restarted = createCore({ dataDir });
    try {
      expect(readdirSync(join(dataDir, 'attachments'))).toEqual([sha256(JPEG)]);
    } finally {
      restarted.close();
    }
  });
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Sends a file as the page does: begin, 1 MiB chunks, finish. */
async function upload(name: string, bytes: Buffer): Promise<string> {
  const { uploadId } = await call(core, 'files.upload.begin', { name, size: bytes.length, sha256: sha256(bytes) });
  for (let offset = 0; offset < bytes.length; offset += MiB) {
    await call(core, 'files.upload.chunk', { uploadId, offset, data: bytes.subarray(offset, offset + MiB).toString('base64') });
  }
  await call(core, 'files.upload.finish', { uploadId });
  return uploadId;
}

async function newRun(): Promise<{ runId: string; seq: number }> {
  const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: EXAMPLE_PLAN_DIR }, acknowledgeUntrusted: { note: 'test plan' } });
  const { runId } = await call(core, 'runs.create', { planHash: plan.hash });
  return { runId, seq: (await call(core, 'runs.get', { runId })).head.seq };
}

async function readWhole(runId: string, id: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const read = await call(core, 'runs.attachments.read', { runId, id, offset });
    const data = Buffer.from(read.data, 'base64');
    parts.push(data);
    offset += data.length;
    if (offset >= read.size) return Buffer.concat(parts);
  }
}

describe('attachments through the core', () => {
  let runId: string;
  let seq: number;

  it('adds a photo to a checklist item, a step and a handover item, with media types judged from the bytes', async () => {
    ({ runId, seq } = await newRun());
    const rack = await call(core, 'runs.attachments.add', { runId, expectSeq: seq, target: { kind: 'checklist', itemId: 'backup-confirmed' }, uploadId: await upload('rack front.png', JPEG), caption: 'Backup tape <b onmouseover=alert(1)>in</b> the rack' });
    expect(rack.attachment).toMatchObject({ id: `a${rack.seq}`, name: 'rack front.png', mediaType: 'image/jpeg', size: JPEG.length, sha256: sha256(JPEG), caption: 'Backup tape <b onmouseover=alert(1)>in</b> the rack' });
    seq = rack.seq;
    const cabling = await call(core, 'runs.attachments.add', { runId, expectSeq: seq, target: { kind: 'step', stepId: 'switch-web' }, uploadId: await upload('cabling.jpg', PNG) });
    expect(cabling.attachment).toMatchObject({ mediaType: 'image/png', caption: null });
    seq = cabling.seq;
    const protocol = await call(core, 'runs.attachments.add', { runId, expectSeq: seq, target: { kind: 'handover', itemId: 'release-running' }, uploadId: await upload('Übergabe protokoll.pdf', PDF) });
    expect(protocol.attachment.mediaType).toBe('application/pdf');
    seq = protocol.seq;
    const big = await call(core, 'runs.attachments.add', { runId, expectSeq: seq, target: { kind: 'step', stepId: 'switch-web' }, uploadId: await upload('panorama.jpg', BIG_JPEG) });
    seq = big.seq;
    const notes = await call(core, 'runs.attachments.add', { runId, expectSeq: seq, target: { kind: 'checklist', itemId: 'change-ticket' }, uploadId: await upload('ticket.txt', Buffer.from('CHG-4711 approved by Claire\n')) });
    expect(notes.attachment.mediaType).toBe('text/plain');
    seq = notes.seq;
    const blob = await call(core, 'runs.attachments.add', { runId, expectSeq: seq, target: { kind: 'checklist', itemId: 'change-ticket' }, uploadId: await upload('ticket.txt.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00])) });
    expect(blob.attachment.mediaType).toBe('application/octet-stream');
    seq = blob.seq;

    // The journal is the truth: the fold shows each attachment with its target, in order.
    const state = foldRun(core.store.journal.events(runId));
    expect(state.attachments.map((a) => [a.target, a.name])).toEqual([
      [{ kind: 'checklist', itemId: 'backup-confirmed' }, 'rack front.png'],
      [{ kind: 'step', stepId: 'switch-web' }, 'cabling.jpg'],
      [{ kind: 'handover', itemId: 'release-running' }, 'Übergabe protokoll.pdf'],
      [{ kind: 'step', stepId: 'switch-web' }, 'panorama.jpg'],
      [{ kind: 'checklist', itemId: 'change-ticket' }, 'ticket.txt'],
      [{ kind: 'checklist', itemId: 'change-ticket' }, 'ticket.txt.gz'],
    ]);
    expect((await call(core, 'runs.get', { runId })).state.attachments).toHaveLength(6);

    const { attachments } = await call(core, 'runs.attachments.list', { runId });
    expect(attachments.map((a) => a.id)).toEqual(state.attachments.map((a) => a.id));
    expect(attachments[0]?.addedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await readWhole(runId, rack.attachment.id)).equals(JPEG)).toBe(true);
    expect((await readWhole(runId, big.attachment.id)).equals(BIG_JPEG)).toBe(true);
    // One answer holds at most 4 MiB, whatever length is asked; the size says how much there is.
    const asked = await call(core, 'runs.attachments.read', { runId, id: big.attachment.id, offset: 1, length: 100 * MiB });
    expect(asked).toMatchObject({ size: BIG_JPEG.length, offset: 1, mediaType: 'image/jpeg' });
    expect(Buffer.from(asked.data, 'base64').equals(BIG_JPEG.subarray(1))).toBe(true);
    const stored = join(core.store.dataDir, 'attachments', sha256(BIG_JPEG));
    expect(readFileSync(stored).equals(BIG_JPEG)).toBe(true);
    expect(statSync(stored).mode & 0o077).toBe(0);
    await expect(call(core, 'runs.attachments.read', { runId, id: 'a9999' })).rejects.toThrow(/ATTACHMENT_NOT_FOUND/);
    await expect(call(core, 'runs.attachments.read', { runId, id: rack.attachment.id, offset: JPEG.length + 1 })).rejects.toThrow(/INPUT_INVALID/);
  });

  it('refuses a target the plan does not have, a stale journal position and a used upload, recording nothing', async () => {
    const head = (await call(core, 'runs.get', { runId })).head.seq;
    const photo = await upload('door.jpg', JPEG);
    await expect(call(core, 'runs.attachments.add', { runId, expectSeq: head, target: { kind: 'step', stepId: 'launch-rocket' }, uploadId: photo })).rejects.toThrow(
      /ATTACHMENT_TARGET_UNKNOWN: The plan has no step launch-rocket/,
    );
    await expect(call(core, 'runs.attachments.add', { runId, expectSeq: head, target: { kind: 'handover', itemId: 'backup-confirmed' }, uploadId: photo })).rejects.toThrow(
      /ATTACHMENT_TARGET_UNKNOWN: The plan has no handover item backup-confirmed/,
    );
    await expect(call(core, 'runs.attachments.add', { runId, expectSeq: head - 1, target: { kind: 'checklist', itemId: 'outage-agreed' }, uploadId: photo })).rejects.toThrow(/JOURNAL_POSITION_STALE/);
    expect((await call(core, 'runs.get', { runId })).head.seq).toBe(head);
    // The upload survives a refusal for a passing reason, and is used up once attached.
    const added = await call(core, 'runs.attachments.add', { runId, expectSeq: head, target: { kind: 'checklist', itemId: 'outage-agreed' }, uploadId: photo });
    expect(added.seq).toBe(head + 1);
    await expect(call(core, 'runs.attachments.add', { runId, expectSeq: added.seq, target: { kind: 'checklist', itemId: 'outage-agreed' }, uploadId: photo })).rejects.toThrow(/UPLOAD_NOT_FOUND/);
    seq = added.seq;
  });

  it('refuses a file over 25 MiB with a message that says the limit and what to do', async () => {
    const tooBig = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 1);
    const uploadId = await upload('video.mp4', tooBig);
    const result = await core.dispatch('runs.attachments.add', { runId, expectSeq: seq, target: { kind: 'step', stepId: 'smoke-test' }, uploadId });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('ATTACHMENT_TOO_LARGE');
    expect(result.error.message).toBe('video.mp4 is 25.0 MiB; an attachment may be at most 25.0 MiB. Attach a smaller photo (or a shorter document), or hand the file over separately.');
    expect((await call(core, 'runs.get', { runId })).head.seq).toBe(seq);
    expect(existsSync(join(core.store.dataDir, 'attachments', sha256(tooBig)))).toBe(false);
  });

  it('exports them into the signed bundle, which our verifier and ssh-keygen accept, and the report shows them by target', async () => {
    mkdirSync(join(work, 'out'), { recursive: true });
    const exported = await call(core, 'reports.export', { runId, outDir: join(work, 'out') });
    const dir = exported.bundleDir;
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string; sha256: string; size: number }> };
    const paths = manifest.files.map((f) => f.path).filter((p) => p.startsWith('attachments/'));
    const expected = [
      `attachments/${sha256(JPEG).slice(0, 12)}-rack_front.png`,
      `attachments/${sha256(PNG).slice(0, 12)}-cabling.jpg`,
      `attachments/${sha256(PDF).slice(0, 12)}-Ubergabe_protokoll.pdf`,
      `attachments/${sha256(BIG_JPEG).slice(0, 12)}-panorama.jpg`,
      `attachments/${sha256(JPEG).slice(0, 12)}-door.jpg`,
    ];
    expect(paths).toEqual(expect.arrayContaining(expected));
    expect(paths).toHaveLength(7);
    for (const [path, bytes] of [[expected[0]!, JPEG], [expected[3]!, BIG_JPEG]] as const) {
      expect(readFileSync(join(dir, path)).equals(bytes)).toBe(true);
      expect(manifest.files.find((f) => f.path === path)).toEqual({ path, size: bytes.length, sha256: sha256(bytes) });
    }

    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { attachments: Array<{ name: string; targetLabel: string; file: string; sha256: string }> };
    expect(report.attachments.map((a) => [a.name, a.file])).toContainEqual(['panorama.jpg', expected[3]]);
    expect(report.attachments.find((a) => a.name === 'cabling.jpg')?.targetLabel).toMatch(/^Step: /);

    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Attachments</h2>');
    expect(html).toContain(`src="data:image/jpeg;base64,${JPEG.toString('base64')}"`);
    expect(html).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
    // The large photo is named with its hash and file, not inlined; markup in the bytes stays out of the page.
    expect(html).not.toContain(BIG_JPEG.subarray(0, 3 * 1024).toString('base64'));
    expect(html).toContain(sha256(BIG_JPEG));
    expect(html).toContain(expected[3]);
    expect(html).toContain('Übergabe protokoll.pdf');
    expect(html).not.toMatch(/<script|<b onmouseover/i);
    expect(html).toContain('Backup tape &lt;b onmouseover=alert(1)&gt;in&lt;/b&gt; the rack');
    expect(html.indexOf('Checklist: ')).toBeLessThan(html.indexOf('Step: '));
    expect(html.indexOf('Step: ')).toBeLessThan(html.indexOf('Handover: '));

    const allowed = join(work, 'allowed_signers');
    writeFileSync(allowed, `${identity.allowedSignersLine()}\n`);
    const ssh = sshKeygen(['-Y', 'verify', '-f', allowed, '-I', identity.name, '-n', 'fieldrun-report', '-s', join(dir, 'manifest.json.sig')], readFileSync(join(dir, 'manifest.json')));
    expect(ssh.stdout + ssh.stderr).toContain('Good "fieldrun-report" signature');
    expect(ssh.status).toBe(0);
    expect((await verifyBundle(dir, { allowedSigners: readFileSync(allowed, 'utf8') })).status).toBe('trusted');
    expect((await verifyBundle(exported.archivePath, { allowedSigners: readFileSync(allowed, 'utf8') })).status).toBe('trusted');
  });

  it('lists the exports, verifies one against this laptop key, fails it after a byte flips in an attachment, and serves the archive in ranges', async () => {
    const { exports } = await call(core, 'reports.list', { runId });
    expect(exports).toHaveLength(1);
    const [first] = exports;
    expect(first).toMatchObject({ exportSeq: 1, archiveSize: statSync(first!.archivePath).size });
    expect(first!.manifestSha256).toBe(sha256(readFileSync(join(first!.bundleDir, 'manifest.json'))));

    const good = await call(core, 'reports.verify', { runId, exportSeq: 1 });
    expect(good.ok).toBe(true);
    expect(good.signerFingerprint).toBe(identity.fingerprint);
    expect(good.lines).toContain(`signed by this laptop's key ${identity.fingerprint}`);
    expect(good.lines.some((l) => l.startsWith('files: every hash matches'))).toBe(true);
    expect(good.failure).toBeUndefined();

    const photo = join(first!.bundleDir, 'attachments', `${sha256(JPEG).slice(0, 12)}-rack_front.png`);
    const original = readFileSync(photo);
    const flipped = Buffer.from(original);
    flipped[5] = flipped[5]! ^ 0x01;
    writeFileSync(photo, flipped);
    try {
      const bad = await call(core, 'reports.verify', { runId, exportSeq: 1 });
      expect(bad.ok).toBe(false);
      expect(bad.failure?.code).toBe('REPORT_FILE_HASH_MISMATCH');
      expect(bad.failure?.message).toContain('rack_front.png');
      expect((await verifyBundle(first!.bundleDir, { allowedSigners: identity.allowedSignersLine() })).status).toBe('invalid');
    } finally {
      writeFileSync(photo, original);
    }
    expect((await call(core, 'reports.verify', { runId, exportSeq: 1 })).ok).toBe(true);

    const archive = readFileSync(first!.archivePath);
    const parts: Buffer[] = [];
    for (let offset = 0; offset < archive.length; offset += 2 * MiB) {
      const range = await call(core, 'reports.archive.read', { runId, exportSeq: 1, offset, length: 2 * MiB });
      expect(range.size).toBe(archive.length);
      parts.push(Buffer.from(range.data, 'base64'));
    }
    expect(Buffer.concat(parts).equals(archive)).toBe(true);
    await expect(call(core, 'reports.archive.read', { runId, exportSeq: 1, offset: archive.length + 1, length: 10 })).rejects.toThrow(/INPUT_INVALID/);
    await expect(call(core, 'reports.archive.read', { runId, exportSeq: 2, offset: 0, length: 10 })).rejects.toThrow(/REPORT_EXPORT_NOT_FOUND/);
    await expect(call(core, 'reports.verify', { runId: 'no-such-run', exportSeq: 1 })).rejects.toThrow(/RUN_NOT_FOUND/);
  });

  it("does not pass a bundle as this laptop's when the laptop's key is another one, or when it has none", async () => {
    const located = findExport(exportLocator(core.store), runId, foldRun(core.store.journal.events(runId)), 1);
    const other = await makeIdentity(work, 'someone-else@example.com');
    const foreign = await verifyExport(located, other.publicKey);
    expect(foreign).toMatchObject({ ok: false, signerFingerprint: identity.fingerprint, failure: { code: 'SIGNER_UNTRUSTED' } });
    expect(foreign.failure?.message).toContain(`which is not this laptop's key ${other.fingerprint}`);
    const keyless = await verifyExport(located, undefined);
    expect(keyless).toMatchObject({ ok: false, failure: { code: 'SIGNER_UNTRUSTED' } });
    expect(keyless.failure?.message).toContain('this laptop has no signing key');
  });

  it('refuses an export folder that holds another validly signed bundle than the one the journal recorded', async () => {
    const second = await call(core, 'reports.export', { runId, outDir: join(work, 'out') });
    expect(second.exportSeq).toBe(2);
    const { exports } = await call(core, 'reports.list', { runId });
    expect(exports.map((e) => e.exportSeq)).toEqual([2, 1]);
    const first = exports[1]!;
    renameSync(first.bundleDir, `${first.bundleDir}.kept`);
    try {
      cpSync(second.bundleDir, first.bundleDir, { recursive: true });
      const swapped = await call(core, 'reports.verify', { runId, exportSeq: 1 });
      expect(swapped.ok).toBe(false);
      expect(swapped.failure?.code).toBe('REPORT_BUNDLE_INVALID');
      expect(swapped.failure?.message).toContain('not the one this run exported as number 1');
    } finally {
      rmSync(first.bundleDir, { recursive: true, force: true });
      renameSync(`${first.bundleDir}.kept`, first.bundleDir);
    }
    expect((await call(core, 'reports.verify', { runId, exportSeq: 1 })).ok).toBe(true);
  });
});
