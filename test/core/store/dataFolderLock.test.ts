import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openStore } from '../../../electron/core/store';
import { AppError } from '../../../shared/errors';
import { spawnFixture, tempDir, waitForExit, waitForLine } from './support';

async function tryOpenInChild(dataDir: string): Promise<{ opened: boolean; code?: string; message?: string; details?: { pid?: number } }> {
  const child = spawnFixture('storeChild.ts', ['try', dataDir]);
  const line = await waitForLine(child, (l) => l.startsWith('{'));
  await waitForExit(child);
  return JSON.parse(line) as { opened: boolean; code?: string; message?: string; details?: { pid?: number } };
}

function refusal(open: () => unknown): AppError {
  try {
    open();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the store opened, but another opener holds the data folder');
}

describe('the data-folder lock', () => {
  test('a second opener in the same process is refused, naming the holder, and the holder keeps its lock', async () => {
    const dataDir = join(tempDir(), 'data');
    const holder = openStore({ dataDir });
    try {
      const error = refusal(() => openStore({ dataDir }));
      expect(error.code).toBe('STORE_LOCKED');
      expect(error.details).toMatchObject({ pid: process.pid });
      expect(error.message).toContain(`pid ${process.pid}`);
      // The refused attempt closed its own file handles: that must not have dropped our lock
      // (closing a descriptor drops every POSIX lock the process holds on that file).
      expect(await tryOpenInChild(dataDir)).toMatchObject({ opened: false, code: 'STORE_LOCKED', details: { pid: process.pid } });
      expect(holder.plans.list()).toEqual([]);
    } finally {
      holder.close();
    }
  });

  test('an opener in another process is refused while we hold the folder, and gets it once we close', async () => {
    const dataDir = join(tempDir(), 'data');
    const holder = openStore({ dataDir });
    expect(await tryOpenInChild(dataDir)).toMatchObject({ opened: false, code: 'STORE_LOCKED' });
    holder.close();
    expect(await tryOpenInChild(dataDir)).toEqual({ opened: true });
  });

  test('a holder killed with SIGKILL leaves no lock behind, and what it committed is there', async () => {
    const dataDir = join(tempDir(), 'data');
    const child = spawnFixture('storeChild.ts', ['hold', dataDir]);
    const [, pid, runId] = (await waitForLine(child, (l) => l.startsWith('held '))).split(' ');
    const error = refusal(() => openStore({ dataDir }));
    expect(error.code).toBe('STORE_LOCKED');
    expect(error.details).toMatchObject({ pid: Number(pid) });

    child.kill('SIGKILL');
    await waitForExit(child);
    const store = openStore({ dataDir });
    try {
      expect(store.runs.get(runId!)).toMatchObject({ id: runId });
      expect(store.journal.verifyChain(runId!)).toMatchObject({ ok: true, head: { seq: 1 } });
    } finally {
      store.close();
    }
  });

  test('close releases the folder; closing twice is harmless', () => {
    const dataDir = join(tempDir(), 'data');
    const first = openStore({ dataDir });
    first.close();
    first.close();
    const second = openStore({ dataDir });
    second.close();
  });
});
