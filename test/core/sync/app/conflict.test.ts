// A different file already on head office under the report's name: the outbox shows a conflict
// and touches neither copy; the next export of the run goes to its own folder; once head office
// moved its file away, the technician's retry delivers.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginxPeer, type NginxPeer } from '../nginx/nginxPeer';
import { call, createRun, headOfficeInput, openAppLab, refusal, until, type AppLab } from './appLab';

let peer: NginxPeer;
let lab: AppLab;

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'] });
  lab = await openAppLab('conflict');
});
afterAll(async () => {
  lab?.dispose();
  await peer?.stop();
});

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

describe('a conflict on head office, through dispatch', () => {
  it('is shown and never resolved by overwriting; a second export goes to its own folder', async () => {
    const core = lab.core;
    const runId = await createRun(core);
    // Exported before head office is set up, so the name is known before anything is sent.
    const first = await call(core, 'reports.export', { runId });
    const localBefore = sha256(readFileSync(first.archivePath));
    const [entry] = (await call(core, 'outbox.list', { runId })).entries;
    const name = basename(first.archivePath);
    const serverPath = join('reports', entry!.remotePath, name);
    const theirs = 'a different report that head office already holds\n';
    peer.placeFile(serverPath, theirs);

    expect((await call(core, 'headOffice.set', headOfficeInput(peer))).saved).toBe(true);
    await call(core, 'outbox.syncNow', {});
    await until('the conflict is recorded', async () => (await call(core, 'outbox.list', { runId })).entries[0]?.state === 'conflict');
    const [conflict] = (await call(core, 'outbox.list', { runId })).entries;
    expect(conflict).toMatchObject({ id: first.outboxId, state: 'conflict', nextAttemptAt: null, lastError: { code: 'SYNC_CONFLICT' } });
    expect(readFileSync(join(peer.davRoot, serverPath), 'utf8')).toBe(theirs);
    expect(sha256(readFileSync(first.archivePath))).toBe(localBefore);
    const { records } = await call(core, 'outbox.log', { limit: 20 });
    expect(records.find((r) => r.outboxId === first.outboxId && r.event === 'conflict')?.message).toBe(conflict!.lastError!.message);

    // Sync now does not touch a conflict again.
    expect(await call(core, 'outbox.syncNow', {})).toMatchObject({ attempted: 0, conflicts: 0 });
    expect(readFileSync(join(peer.davRoot, serverPath), 'utf8')).toBe(theirs);

    // The next export of the same run has its own number and folder: no conflict.
    const second = await call(core, 'reports.export', { runId });
    expect(second.exportSeq).toBe(2);
    await until('the second export is delivered', async () => (await call(core, 'outbox.list', { runId })).entries[1]?.state === 'delivered');
    const secondOnServer = join(peer.davRoot, 'reports', `example-retail-data-centre-lyon/${runId}/2`, basename(second.archivePath));
    expect(sha256(readFileSync(secondOnServer))).toBe(sha256(readFileSync(second.archivePath)));
    expect((await call(core, 'outbox.list', { runId })).entries[0]?.state).toBe('conflict');

    // Retry while head office still holds its file: a conflict again, still nothing overwritten.
    expect(await call(core, 'outbox.retry', { id: first.outboxId })).toEqual({ state: 'queued' });
    await call(core, 'outbox.syncNow', {});
    await until('the retry meets the conflict again', async () => (await call(core, 'outbox.list', { runId })).entries[0]?.state === 'conflict');
    expect(readFileSync(join(peer.davRoot, serverPath), 'utf8')).toBe(theirs);

    // Head office moved its file away: the retry delivers the local bytes.
    rmSync(join(peer.davRoot, serverPath));
    await call(core, 'outbox.retry', { id: first.outboxId });
    await call(core, 'outbox.syncNow', {});
    await until('the retried export is delivered', async () => (await call(core, 'outbox.list', { runId })).entries[0]?.state === 'delivered');
    expect(sha256(readFileSync(join(peer.davRoot, serverPath)))).toBe(localBefore);

    // A delivered entry cannot be retried; an unknown one is named as such.
    expect(await refusal(core, 'outbox.retry', { id: first.outboxId })).toMatchObject({ code: 'OUTBOX_STATE_WRONG' });
    expect(await refusal(core, 'outbox.retry', { id: 9999 })).toMatchObject({ code: 'OUTBOX_ENTRY_NOT_FOUND' });
  }, 60_000);
});
