// A Fieldrun process SIGKILLed in the middle of an upload (no cleanup runs) and started again:
// the outbox finds the entry it was sending, sends it again and delivers it; the server holds
// exactly the local bytes, no temporary is left, and a partial file never counted as delivered.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../../electron/core/store';
import { createOutboxRepository } from '../../../../electron/core/sync/outbox';
import { filesOnServer, sha256, temporariesOnServer } from '../bundleFixture';
import { startNginxPeer, type NginxPeer } from '../nginx/nginxPeer';
import { enqueue, exportBundle, openLab } from './outboxLab';

const CHILD = join(import.meta.dirname, 'outboxChild.ts');
// 40 MB of journal keeps the PUT on the wire long enough to be killed in the middle of it.
const LARGE = 40 * 1024 * 1024;
let peer: NginxPeer;

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'] });
});
afterAll(async () => {
  await peer?.stop();
});

/** Runs the child; SIGKILLs it as soon as `killWhen()` holds, if given. */
function runChild(dataDir: string, killWhen?: () => boolean): Promise<{ killed: boolean; output: string }> {
  const input = { dataDir, baseUrl: `${peer.url}reports/`, user: peer.user, password: peer.password };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    let killed = false;
    const poll = setInterval(() => {
      if (killWhen !== undefined && output.includes('started') && killWhen()) {
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

describe('the outbox after a SIGKILL mid-upload', () => {
  it('resumes in a new process and delivers; server bytes match; no temporary is left', async () => {
    const lab = openLab();
    const entry = enqueue(lab, exportBundle(lab, 1, 'killed', LARGE));
    const dataDir = lab.store.dataDir;
    lab.store.close();
    const folder = join(peer.davRoot, 'reports/depot', lab.runId, '1');

    // Killed while nginx is receiving the large file's body.
    const receiving = (): boolean => existsSync(peer.clientBodyTemp) && readdirSync(peer.clientBodyTemp).length > 0;
    const first = await runChild(dataDir, receiving);
    expect(first.killed).toBe(true);
    expect(first.output).not.toContain('"configured"');
    const journalFile = entry.files.find((f) => f.name === 'journal.jsonl');
    expect(journalFile?.size).toBeGreaterThan(LARGE);
    // Whatever the kill left, the large file is not there under its real name, and the entry is
    // still `sending`: nothing took the half-sent bundle for a delivered one.
    expect(existsSync(folder) ? filesOnServer(folder) : []).not.toContain('journal.jsonl');
    const afterKill = openStore({ dataDir });
    try {
      expect(createOutboxRepository(afterKill.db, { nowUtc: () => new Date() }).get(entry.id)).toMatchObject({ state: 'sending', attempts: 1 });
    } finally {
      afterKill.close();
    }

    const second = await runChild(dataDir);
    expect(second.killed).toBe(false);
    expect(JSON.parse(second.output.split('\n')[1] ?? '{}')).toMatchObject({ configured: true, attempted: 1, delivered: 1 });
    for (const file of entry.files) expect(sha256(readFileSync(join(folder, file.name))), file.name).toBe(file.sha256);
    expect(temporariesOnServer(peer.davRoot)).toEqual([]);
    expect(readdirSync(folder).sort()).toEqual(entry.files.map((f) => f.name).sort());

    const reopened = openStore({ dataDir });
    try {
      const entries = createOutboxRepository(reopened.db, { nowUtc: () => new Date() });
      expect(entries.get(entry.id)).toMatchObject({ state: 'delivered', attempts: 2, lastError: null });
      expect(entries.log({ outboxId: entry.id }).map((r) => r.event)).toEqual(['enqueued', 'sending', 'interrupted', 'sending', 'delivered']);
    } finally {
      reopened.close();
    }
    // The local bundle is still there, whole.
    for (const file of entry.files) expect(sha256(readFileSync(join(entry.bundleDir, file.name)))).toBe(file.sha256);
  }, 60_000);
});
