import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../../electron/core/keys';
import { MANIFEST_FILE, SIGNATURE_FILE, storeOutputSource, verifyBundle, writeBundle, type BundleOutputSource, type WriteBundleInput, type WrittenBundle } from '../../../electron/core/report';
import { writeTar } from '../../../electron/core/report/writeTar';
import { makeIdentity, outputText, recordRun, scratch, type RunFixture } from './bundleFixture';
import { codeOf } from '../../support/appErrorCode';

// The export writes each file once, to the folder and the archive from the same buffers, and
// checks the outputs against the journal as they stream from the store. These tests hold it to the
// archive the two-pass writer made (byte for byte) and to leaving nothing behind when it fails.

let work: ReturnType<typeof scratch>;
let identity: SigningIdentity;
let fixture: RunFixture;
let attachmentPath: string;

beforeAll(async () => {
  work = scratch('onepass');
  identity = await makeIdentity(work.dir);
  fixture = recordRun(join(work.dir, 'data'), 'onepass', 150_000);
  attachmentPath = join(work.dir, 'rack.jpg');
  writeFileSync(attachmentPath, outputText(7, 70_000));
});
afterAll(() => {
  fixture.store.close();
  work.cleanup();
});

function inputFor(parent: string, outputs: BundleOutputSource): WriteBundleInput {
  return {
    outDir: join(work.dir, parent, 'fieldrun-report-onepass-1'),
    runId: fixture.runId,
    planHash: fixture.planHash,
    exportSeq: 1,
    events: fixture.store.journal.events(fixture.runId),
    outputs,
    reportJson: { runId: fixture.runId },
    reportHtml: '<!doctype html><title>one pass</title>\n',
    junitXml: '<testsuites/>\n',
    attachments: [{ name: 'rack.jpg', localPath: attachmentPath }],
    identity,
    appVersion: '0.1.0',
    now: () => new Date('2026-03-01T12:30:00.000Z'),
  };
}

/** The store's output without its lengths: the writer cannot know a file's size before reading it. */
function withoutLengths(source: BundleOutputSource): BundleOutputSource {
  return { streams: source.streams, read: (stream) => source.read(stream) };
}


describe('the one-pass export', () => {
  let bundle: WrittenBundle;

  it('writes the archive byte for byte as the folder archived on its own would be, and it verifies', async () => {
    bundle = await writeBundle(inputFor('known', storeOutputSource(fixture.store.output, fixture.runId)));
    const archive = readFileSync(bundle.archivePath);
    expect(createHash('sha256').update(archive).digest('hex')).toBe(bundle.archiveSha256);

    const reference = await writeTar(join(work.dir, 'reference.tar'), {
      root: 'fieldrun-report-onepass-1',
      mtime: Math.floor(Date.parse(bundle.manifest.createdAt) / 1000),
      files: [...bundle.manifest.files, { path: MANIFEST_FILE }, { path: SIGNATURE_FILE }].map(({ path }) => {
        const localPath = join(bundle.dir, ...path.split('/'));
        return { path, localPath, size: readFileSync(localPath).length };
      }),
    });
    expect(reference.sha256).toBe(bundle.archiveSha256);
    expect(readFileSync(join(work.dir, 'reference.tar')).equals(archive)).toBe(true);

    expect(bundle.manifest.outputs.map((output) => output.stream)).toEqual(fixture.streams);
    expect((await verifyBundle(bundle.dir, { allowedSigners: identity.allowedSignersLine() })).status).toBe('trusted');
    expect((await verifyBundle(bundle.archivePath, { allowedSigners: identity.allowedSignersLine() })).status).toBe('trusted');
  });

  it('gives the same bundle when output sizes are not known before reading', async () => {
    const again = await writeBundle(inputFor('unknown', withoutLengths(storeOutputSource(fixture.store.output, fixture.runId))));
    expect(again.archiveSha256).toBe(bundle.archiveSha256);
    expect(again.manifestSha256).toBe(bundle.manifestSha256);
  });

  it('refuses to sign stored output altered at its recorded length, and leaves no folder, archive or partial file', async () => {
    const source = storeOutputSource(fixture.store.output, fixture.runId);
    const damaged = fixture.streams[2]!;
    const altered: BundleOutputSource = {
      ...source,
      read: (stream) => {
        if (stream !== damaged) return source.read(stream);
        const bytes = Buffer.concat([...(source.read(stream) as Iterable<Uint8Array>)]);
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
        return [bytes.subarray(0, 1000), bytes.subarray(1000)];
      },
    };
    expect(await codeOf(() => writeBundle(inputFor('altered', altered)))).toBe('REPORT_OUTPUT_MISMATCH');
    expect(readdirSync(join(work.dir, 'altered'))).toEqual([]);
  });

  it('stops when a stream holds more or fewer bytes than the store said, and leaves nothing', async () => {
    const source = storeOutputSource(fixture.store.output, fixture.runId);
    const first = fixture.streams[0]!;
    for (const [label, delta] of [
      ['longer', 1],
      ['shorter', -1],
    ] as const) {
      const lying: BundleOutputSource = { ...source, lengthOf: (stream) => (source.lengthOf?.(stream) ?? 0) - (stream === first ? delta : 0) };
      expect(await codeOf(() => writeBundle(inputFor(label, lying)))).toBe('REPORT_EXPORT_FAILED');
      expect(readdirSync(join(work.dir, label))).toEqual([]);
    }
  });
});
