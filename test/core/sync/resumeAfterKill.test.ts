// A process killed mid-upload (SIGKILL: no cleanup runs) leaves at most a temporary on the
// server; the next attempt removes it and delivers, and a partial file is never taken for a
// delivered one.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadOffice, type BundleUpload } from '../../../electron/core/sync';
import { filesOnServer, sha256, SIGNATURE_NAME, temporariesOnServer, writeBundle } from './bundleFixture';
import { startNginxPeer, type NginxPeer } from './nginx/nginxPeer';

const CHILD = join(import.meta.dirname, 'uploadChild.ts');
let peer: NginxPeer;
let work: string;

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'] });
  work = mkdtempSync(join(tmpdir(), 'fieldrun-kill-'));
});

afterAll(async () => {
  await peer?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** Starts the upload in a child and SIGKILLs it as soon as `when()` holds. */
function uploadAndKill(bundle: BundleUpload, when: () => boolean): Promise<{ killed: boolean; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ baseUrl: `${peer.url}reports/`, user: peer.user, password: peer.password, bundle })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    let killed = false;
    const poll = setInterval(() => {
      if (output.includes('started') && when()) {
        killed = child.kill('SIGKILL');
        clearInterval(poll);
      }
    }, 1);
    child.once('error', reject);
    child.once('exit', () => {
      clearInterval(poll);
      resolve({ killed, output });
    });
  });
}

function bigBundle(label: string): BundleUpload {
  // 40 MB of journal keeps the PUT on the wire long enough to be killed in the middle of it.
  const files = writeBundle(join(work, label), label, 40 * 1024 * 1024);
  return { siteSlug: 'depot', runId: `run-${label}`, exportSeq: 1, files, signatureName: SIGNATURE_NAME };
}

async function resume(bundle: BundleUpload): Promise<void> {
  const office = createHeadOffice({ baseUrl: `${peer.url}reports/`, auth: { kind: 'basic', user: peer.user, password: peer.password }, clock: { nowUtc: () => new Date() }, random: Math.random });
  const outcome = await office.uploadBundle(bundle);
  office.close();
  expect(outcome.status).toBe('delivered');
  const folder = join(peer.davRoot, 'reports/depot', bundle.runId, '1');
  for (const file of bundle.files) expect(sha256(readFileSync(join(folder, file.name))), file.name).toBe(file.sha256);
  expect(temporariesOnServer(peer.davRoot)).toEqual([]);
}

describe('an upload killed mid-way', () => {
  it('killed while the server receives a file: nothing partial is kept, the retry delivers', async () => {
    const bundle = bigBundle('mid-put');
    const receiving = (): boolean => existsSync(peer.clientBodyTemp) && readdirSync(peer.clientBodyTemp).length > 0;
    const { killed, output } = await uploadAndKill(bundle, receiving);
    expect(killed).toBe(true);
    expect(output).not.toContain('"status"');
    const folder = join(peer.davRoot, 'reports/depot/run-mid-put/1');
    // Whatever was there when the process died, no partial journal under its real name.
    const onServer = existsSync(folder) ? filesOnServer(folder) : [];
    expect(onServer).not.toContain('journal.jsonl');
    await resume(bundle);
  }, 30_000);

  it('killed after a temporary landed: the retry removes it and delivers', async () => {
    const bundle = bigBundle('after-put');
    const folder = join(peer.davRoot, 'reports/depot/run-after-put/1');
    const temporaryLanded = (): boolean => existsSync(folder) && readdirSync(folder).some((n) => n.startsWith('~fieldrun-tmp-'));
    const { killed } = await uploadAndKill(bundle, temporaryLanded);
    expect(killed).toBe(true);
    // The kill may land just before or after the MOVE; a leftover from an earlier crash, with
    // half a journal in it, makes sure there is one to clean up either way.
    peer.placeFile('reports/depot/run-after-put/1/~fieldrun-tmp-left-by-a-crash', readFileSync(bundle.files[1]!.localPath).subarray(0, 1000));
    await resume(bundle);
  }, 30_000);
});
