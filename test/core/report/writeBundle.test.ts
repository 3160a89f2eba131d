import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../../electron/core/keys';
import { BUNDLE_FORMAT, ManifestSchema, storeOutputSource, verifyBundle, writeBundle, type WrittenBundle } from '../../../electron/core/report';
import { REPORT_NAMESPACE } from '../../../electron/core/sshsig';
import { canonicalJson } from '../../../shared/canonicalJson';
import { sshKeygen, sshKeygenVerify } from '../sshsig/sshKeygen';
import { LEAKED_SECRET, exportRun, makeIdentity, privateKeyDerOf, recordRun, scratch, type RunFixture } from './bundleFixture';
import { codeOf } from '../../support/appErrorCode';

let work: ReturnType<typeof scratch>;
let identity: SigningIdentity;
let fixture: RunFixture;
let bundle: WrittenBundle;

beforeAll(async () => {
  work = scratch('golden');
  identity = await makeIdentity(work.dir);
  fixture = recordRun(join(work.dir, 'data'));
  bundle = await exportRun(fixture, identity, join(work.dir, 'out'));
});
afterAll(() => {
  fixture.store.close();
  work.cleanup();
});

function requireTar(): void {
  const probe = spawnSync('tar', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) throw new Error(`GNU tar is not installed (${probe.error.message}): apt-get install tar`);
}


describe('a bundle exported from a real store journal', () => {
  it('verifies with OpenSSH: ssh-keygen -Y verify -f allowed_signers -I <name> -n fieldrun-report -s manifest.json.sig < manifest.json', () => {
    const allowedSignersPath = join(work.dir, 'allowed_signers');
    writeFileSync(allowedSignersPath, `${identity.allowedSignersLine()}\n`);
    const literal = sshKeygen(
      ['-Y', 'verify', '-f', allowedSignersPath, '-I', identity.name, '-n', 'fieldrun-report', '-s', join(bundle.dir, 'manifest.json.sig')],
      readFileSync(join(bundle.dir, 'manifest.json')),
    );
    expect(literal.stdout).toContain(`Good "fieldrun-report" signature for tech@example.com with ED25519 key ${identity.fingerprint}`);
    expect(literal.status).toBe(0);
    const result = sshKeygenVerify(work.dir, {
      allowedSigners: `${identity.allowedSignersLine()}\n`,
      identity: identity.name,
      namespace: REPORT_NAMESPACE,
      armored: readFileSync(join(bundle.dir, 'manifest.json.sig'), 'utf8'),
      message: readFileSync(join(bundle.dir, 'manifest.json')),
    });
    expect(result.stdout + result.stderr).toMatch(/Good "fieldrun-report" signature for tech@example.com/);
    expect(result.status).toBe(0);
    // …and OpenSSH refuses it as a plan signature.
    const asPlan = sshKeygenVerify(work.dir, {
      allowedSigners: `${identity.allowedSignersLine(['fieldrun-plan', 'fieldrun-report'])}\n`,
      identity: identity.name,
      namespace: 'fieldrun-plan',
      armored: readFileSync(join(bundle.dir, 'manifest.json.sig'), 'utf8'),
      message: readFileSync(join(bundle.dir, 'manifest.json')),
    });
    expect(asPlan.status).not.toBe(0);
  });

  it('holds every event, every output and every file, listed with size and SHA-256 in a canonical manifest', () => {
    const manifestText = readFileSync(join(bundle.dir, 'manifest.json'), 'utf8');
    const manifest = ManifestSchema.parse(JSON.parse(manifestText));
    expect(canonicalJson(JSON.parse(manifestText))).toBe(manifestText);
    expect(manifest).toMatchObject({ format: BUNDLE_FORMAT, runId: fixture.runId, planHash: fixture.planHash, exportSeq: 1, appVersion: '0.1.0', createdAt: '2026-03-01T12:30:00.000Z' });
    expect(manifest.signer).toEqual({ name: 'tech@example.com', publicKey: identity.publicKey, fingerprint: identity.fingerprint });
    expect(manifest.journalHead).toEqual(fixture.store.journal.head(fixture.runId));

    const lines = readFileSync(join(bundle.dir, 'journal.jsonl'), 'utf8').trimEnd().split('\n');
    const events = fixture.store.journal.read(fixture.runId);
    expect(events.length).toBeGreaterThan(30);
    expect(lines).toEqual(events.map((event) => canonicalJson(event)));

    expect(manifest.outputs.map((output) => output.stream)).toEqual(fixture.streams);
    for (const output of manifest.outputs) {
      const bytes = readFileSync(join(bundle.dir, output.path));
      const stored = fixture.store.output.verify(fixture.runId, output.stream);
      expect(stored).toMatchObject({ ok: true, length: bytes.length, sha256: output.sha256 });
    }

    const onDisk = readdirSync(bundle.dir, { recursive: true, encoding: 'utf8' })
      .filter((path) => statSync(join(bundle.dir, path)).isFile())
      .sort();
    expect(onDisk).toEqual([...manifest.files.map((file) => file.path), 'manifest.json', 'manifest.json.sig'].sort());
    expect(onDisk).toEqual(expect.arrayContaining(['report.json', 'report.html', 'journal.jsonl', 'baseline.junit.xml', 'attachments/rack.jpg', 'attachments/signoff-client.png']));
    expect(onDisk.filter((path) => path.includes('.partial-'))).toEqual([]);
    expect(readFileSync(join(bundle.dir, 'report.json'), 'utf8')).toBe(canonicalJson(JSON.parse(readFileSync(join(bundle.dir, 'report.json'), 'utf8'))));
  });

  it('verifies as TRUSTED, folder and archive, against an allowed_signers holding the key', async () => {
    const allowedSigners = `${identity.allowedSignersLine()}\n`;
    for (const path of [bundle.dir, bundle.archivePath]) {
      const verdict = await verifyBundle(path, { allowedSigners });
      expect(verdict, verdict.reason).toMatchObject({ status: 'trusted', signer: { fingerprint: identity.fingerprint, principals: ['tech@example.com'] } });
      expect(verdict.found.join('\n')).toMatch(/chain intact/);
    }
  });

  it('is UNTRUSTED, naming the key, without allowed_signers', async () => {
    const verdict = await verifyBundle(bundle.dir);
    expect(verdict).toMatchObject({ status: 'untrusted', code: 'SIGNER_UNTRUSTED', signer: { fingerprint: identity.fingerprint } });
    expect(verdict.reason).toContain(identity.fingerprint);
  });

  it('archives the folder as a standard tar that GNU tar unpacks to the same bytes', () => {
    requireTar();
    const into = join(work.dir, 'untar');
    mkdirSync(into);
    const result = spawnSync('tar', ['-xf', bundle.archivePath, '-C', into], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const root = join(into, 'fieldrun-report-' + fixture.runId + '-1');
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(bundle.dir, 'manifest.json'), 'utf8')));
    for (const path of [...manifest.files.map((file) => file.path), 'manifest.json', 'manifest.json.sig']) {
      expect(readFileSync(join(root, path)).equals(readFileSync(join(bundle.dir, path))), path).toBe(true);
    }
  });

  it('is deterministic: the same run, key and time give a byte-identical archive', async () => {
    const again = await exportRun(fixture, identity, join(work.dir, 'out-again'));
    expect(again.archiveSha256).toBe(bundle.archiveSha256);
    expect(again.manifestSha256).toBe(bundle.manifestSha256);
  });

  it('never overwrites an existing bundle', async () => {
    expect(await codeOf(() => exportRun(fixture, identity, join(work.dir, 'out')))).toBe('REPORT_EXPORT_FAILED');
    expect((await verifyBundle(bundle.dir, { allowedSigners: identity.allowedSignersLine() })).status).toBe('trusted');
  });

  it('refuses to write a bundle in which a secret shows, and leaves nothing behind', async () => {
    const out = join(work.dir, 'out-leak');
    // 'TICKET-12' is in a waiver reason; its base64 form would be caught the same way.
    expect(await codeOf(() => exportRun(fixture, identity, out, { secrets: ['TICKET-12'] }))).toBe('REPORT_SECRET_LEAK');
    expect(readdirSync(out).filter((name) => name.startsWith('fieldrun-report-'))).toEqual([]);
    // Only the base64 of 'admin:<secret>' was recorded: still found.
    expect(await codeOf(() => exportRun(fixture, identity, join(work.dir, 'out-leak-b64'), { secrets: [LEAKED_SECRET] }))).toBe('REPORT_SECRET_LEAK');
    // A secret that shows nowhere does not stop the export.
    const clean = await exportRun(fixture, identity, join(work.dir, 'out-clean'), { secrets: ['never-recorded-value'] });
    expect((await verifyBundle(clean.dir, { allowedSigners: identity.allowedSignersLine() })).status).toBe('trusted');
  });

  it('holds the signing key in no form, in no file of the bundle or the archive', async () => {
    const der = await privateKeyDerOf(identity);
    const seed = der.subarray(der.length - 32);
    const forms = [seed, der, ...[seed.toString('base64'), seed.toString('base64url'), seed.toString('hex'), der.toString('base64')].map((form) => Buffer.from(form))];
    const paths = [bundle.archivePath, ...readdirSync(bundle.dir, { recursive: true, encoding: 'utf8' }).map((path) => join(bundle.dir, path)).filter((path) => statSync(path).isFile())];
    for (const path of paths) {
      const bytes = readFileSync(path);
      for (const form of forms) expect(bytes.includes(form), path).toBe(false);
    }
  });

  it('refuses to sign when an output differs from the digest its step recorded (a damaged data folder)', async () => {
    const out = join(work.dir, 'out-output');
    const source = storeOutputSource(fixture.store.output, fixture.runId);
    const code = await codeOf(() =>
      writeBundle({
        outDir: join(out, 'bundle'),
        runId: fixture.runId,
        planHash: fixture.planHash,
        exportSeq: 1,
        events: fixture.store.journal.events(fixture.runId),
        outputs: { streams: source.streams, read: (stream) => (stream === fixture.streams[3] ? [Buffer.from('not what ran')] : source.read(stream)) },
        reportJson: {},
        reportHtml: '',
        identity,
        appVersion: '0.1.0',
      }),
    );
    expect(code).toBe('REPORT_OUTPUT_MISMATCH');
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses to sign over a journal whose chain is broken', async () => {
    const events = fixture.store.journal.read(fixture.runId);
    const damaged = events.map((event) => (event.seq === 5 ? { ...event, payload: { forged: true } } : event));
    const code = await codeOf(() =>
      writeBundle({
        outDir: join(work.dir, 'out-broken', 'bundle'),
        runId: fixture.runId,
        planHash: fixture.planHash,
        exportSeq: 1,
        events: damaged,
        outputs: { streams: [], read: () => [] },
        reportJson: {},
        reportHtml: '',
        identity,
        appVersion: '0.1.0',
      }),
    );
    expect(code).toBe('JOURNAL_CHAIN_BROKEN');
  });
});
