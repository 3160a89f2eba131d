// A Fieldrun process (a whole core, driven through dispatch) SIGKILLed while it uploads a report
// over a slow link, then a new core on the same data folder: the outbox resumes on its own and
// delivers; head office holds exactly the local bytes and no temporary file.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../../shared/contract';
import { openStore } from '../../../../electron/core/store';
import { createOutboxRepository } from '../../../../electron/core/sync/outbox';
import { filesOnServer, temporariesOnServer } from '../bundleFixture';
import { startNginxPeer, type NginxPeer } from '../nginx/nginxPeer';
import { call, createRun, headOfficeInput, openAppLab, startCore, until, type AppLab } from './appLab';
import { startThrottleProxy, type ThrottleProxy } from './throttleProxy';

const CHILD = join(import.meta.dirname, 'coreChild.ts');
// Slow enough that the archive (tens of KB) takes seconds to send; the kill comes a few KB in.
const TRICKLE_BYTES_PER_SECOND = 8 * 1024;
const KILL_AFTER_BYTES = 6 * 1024;

let peer: NginxPeer;
let proxy: ThrottleProxy;
let lab: AppLab;

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'] });
  proxy = await startThrottleProxy(peer.port);
  lab = await openAppLab('kill');
});
afterAll(async () => {
  lab?.dispose();
  await proxy?.close();
  await peer?.stop();
});

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Runs the child core; SIGKILLs it once it exported and `killWhen()` holds. */
function runChild(input: object, killWhen: () => boolean): Promise<{ killed: boolean; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    let killed = false;
    const poll = setInterval(() => {
      if (output.includes('exported ') && killWhen()) {
        killed = child.kill('SIGKILL');
        clearInterval(poll);
      }
    }, 1);
    const limit = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.once('error', reject);
    child.once('close', () => {
      clearInterval(poll);
      clearTimeout(limit);
      resolve({ killed, output });
    });
  });
}

describe('a core killed mid-upload', () => {
  it('resumes after a restart and delivers the same bytes; no temporary is left on head office', async () => {
    const runId = await createRun(lab.core);
    expect((await call(lab.core, 'headOffice.set', headOfficeInput(peer, `${proxy.url}reports/`))).saved).toBe(true);
    lab.core.close();

    proxy.bytesPerSecond = TRICKLE_BYTES_PER_SECOND;
    const child = await runChild({ dataDir: lab.dataDir, keysDir: lab.keysDir, runId }, () => proxy.throttledBytes > KILL_AFTER_BYTES);
    proxy.bytesPerSecond = 0;
    expect(child.killed).toBe(true);
    expect(child.output).not.toContain('round ');
    const exported = JSON.parse(child.output.split('exported ')[1]!.split('\n')[0]!) as MethodOutput<'reports.export'>;
    const archive = readFileSync(exported.archivePath);
    // The archive was far from sent when the process died.
    expect(archive.length).toBeGreaterThan(KILL_AFTER_BYTES * 2);
    const folder = join(peer.davRoot, 'reports', `example-retail-data-centre-lyon/${runId}/1`);
    expect(filesOnServer(peer.davRoot).filter((p) => p.endsWith(basename(exported.archivePath)))).toEqual([]);

    // Nothing took the half-sent report for a delivered one.
    const afterKill = openStore({ dataDir: lab.dataDir });
    try {
      expect(createOutboxRepository(afterKill.db, { nowUtc: () => new Date() }).get(exported.outboxId)).toMatchObject({ state: 'sending', attempts: 1 });
    } finally {
      afterKill.close();
    }

    // A new core on the same data folder resumes on its own.
    lab.core = startCore(lab.dataDir, lab.keys);
    await until('the interrupted export is delivered', async () => (await call(lab.core, 'outbox.list', { runId })).entries[0]?.state === 'delivered');
    const [entry] = (await call(lab.core, 'outbox.list', { runId })).entries;
    expect(entry).toMatchObject({ id: exported.outboxId, attempts: 2, lastError: null });
    const events = (await call(lab.core, 'outbox.log', { limit: 100 })).records.filter((r) => r.outboxId === exported.outboxId).map((r) => r.event);
    expect(events.reverse()).toEqual(['enqueued', 'sending', 'interrupted', 'sending', 'delivered']);

    expect(readdirSync(folder)).toEqual([basename(exported.archivePath)]);
    expect(sha256(readFileSync(join(folder, basename(exported.archivePath))))).toBe(sha256(archive));
    expect(sha256(readFileSync(exported.archivePath))).toBe(entry!.files[0]!.sha256);
    expect(statSync(exported.archivePath).size).toBe(archive.length);
    expect(temporariesOnServer(peer.davRoot)).toEqual([]);
  }, 90_000);
});
