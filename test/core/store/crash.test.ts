import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { openStore, type JournalEvent } from '../../../electron/core/store';
import { checkDataFolder, newLedger, runStoreCrashLoop } from '../../faults/storeCrashLoop';
import { formatTotals, newTotals, totalLosses } from '../../faults/totals';
import { seedRun } from './seed';
import { tempDir } from './support';

// The loop itself lives in test/faults/storeCrashLoop.ts (`npm run faults -- --only crash` runs it
// at full count); here it runs at a small count, and its checker is shown to catch planted losses.

const ROUNDS = 60;

test(`a writer SIGKILLed at random moments (${ROUNDS} rounds) never loses an acknowledged event`, async () => {
  const result = await runStoreCrashLoop({ rounds: ROUNDS, root: tempDir('fieldrun-crash-') });
  console.log(formatTotals(result.totals));
  expect(result.totals.findings).toEqual([]);
  expect(totalLosses(result.totals)).toBe(0);
  expect(result.totals.faultsInjected).toBe(ROUNDS);
  expect(result.acknowledgedEvents).toBeGreaterThan(ROUNDS * 10);
  expect(result.killsByPhase['write'] ?? 0).toBeGreaterThan(0);
}, 120_000);

/** A data folder with one run of `count` acknowledged events; the store is closed again. */
function acknowledgedRun(count: number): { dataDir: string; runId: string; events: JournalEvent[] } {
  const dataDir = join(tempDir('fieldrun-crash-plant-'), 'data');
  const store = openStore({ dataDir });
  try {
    const runId = seedRun(store, 'planted loss');
    const events = [...store.journal.events(runId)];
    for (let i = 0; i < count; i++) events.push(store.journal.append(runId, { type: 'test.note', payload: { i } }));
    return { dataDir, runId, events };
  } finally {
    store.close();
  }
}

/** What a broken store would do: rows vanish behind the append-only triggers' back. */
function deleteEvents(dataDir: string, runId: string, seqs: readonly number[]): void {
  const db = new Database(join(dataDir, 'fieldrun.db'));
  try {
    db.exec('DROP TRIGGER journal_no_delete');
    for (const seq of seqs) db.prepare('DELETE FROM journal WHERE run_id = ? AND seq = ?').run(runId, seq);
  } finally {
    db.close();
  }
}

function checkPlanted(dataDir: string, events: readonly JournalEvent[]): ReturnType<typeof newTotals> {
  const totals = newTotals('planted');
  checkDataFolder(dataDir, events, newLedger(), totals, 'planted');
  return totals;
}

test('the checker counts an acknowledged event that went missing at the end of a journal', () => {
  const { dataDir, runId, events } = acknowledgedRun(5);
  expect(checkPlanted(dataDir, events).losses).toMatchObject({ eventsLost: 0, chainBreaks: 0 });
  // The tail vanishing leaves a valid chain behind: only the acknowledgement shows the loss.
  deleteEvents(dataDir, runId, [events[events.length - 1]!.seq]);
  const totals = checkPlanted(dataDir, events);
  expect(totals.losses).toMatchObject({ eventsLost: 1, chainBreaks: 0, corruptDatabases: 0 });
  expect(totals.findings[0]).toMatch(/test\.note\) is missing/);
});

test('the checker counts a hole in the middle of a journal as a lost event and a chain break', () => {
  const { dataDir, runId, events } = acknowledgedRun(5);
  deleteEvents(dataDir, runId, [3]);
  const totals = checkPlanted(dataDir, events);
  expect(totals.losses.eventsLost).toBe(1);
  expect(totals.losses.chainBreaks).toBe(1);
});

test('the checker counts a database whose pages were damaged on disk', () => {
  const { dataDir, events } = acknowledgedRun(400);
  const file = join(dataDir, 'fieldrun.db');
  // Zeroes over the second half of the file: the journal's pages and its index, not the header.
  const bytes = readFileSync(file);
  const pageSize = 4096;
  const from = Math.floor(bytes.length / pageSize / 2) * pageSize;
  writeFileSync(file, Buffer.concat([bytes.subarray(0, from), Buffer.alloc(bytes.length - from)]));
  const totals = checkPlanted(dataDir, events);
  expect(totals.losses.corruptDatabases).toBeGreaterThanOrEqual(1);
});
