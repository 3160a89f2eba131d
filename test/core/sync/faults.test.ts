// Many small bundles through the outbox and a proxy that drops, refuses and cuts, for 200 sync
// rounds on an injected clock: nothing lost, corrupted or overwritten, no temporary left,
// everything delivered once the faults stop. The loop lives in test/faults/syncFaults.ts
// (`npm run faults` runs it at full count); its checker is shown here to catch losses planted on
// head office's disk.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSyncFaults } from '../../faults/syncFaults';
import { formatTotals, totalLosses } from '../../faults/totals';
import { FAULTS } from './faultProxy';

// FIELDRUN_FAULT_SEED replays another schedule; the default keeps CI deterministic.
const SEED = Number(process.env.FIELDRUN_FAULT_SEED ?? 0x5eed_0006);
// The floor; `npm run faults` runs more. ~8 s per 100 rounds here (every state change is committed to SQLite).
const FAULTY_ROUNDS = 200;

describe('sync through a faulty link', () => {
  it(`delivers ${FAULTY_ROUNDS / 2} bundles through ${FAULTY_ROUNDS} faulty rounds: zero lost, corrupted, overwritten or left behind`, async () => {
    const result = await runSyncFaults({ rounds: FAULTY_ROUNDS, seed: SEED, conflicting: (i) => [7, 33].includes(i) });
    console.log(formatTotals(result.totals));
    expect(result.totals.findings).toEqual([]);
    expect(totalLosses(result.totals)).toBe(0);
    // Not vacuous: every kind of fault happened, many times; the server's Retry-After was honoured;
    // bundles were still waiting when the faults stopped.
    for (const fault of FAULTS) expect(result.faultsApplied[fault], fault).toBeGreaterThanOrEqual(5);
    expect(result.retryAfterHonoured).toBeGreaterThan(5);
    expect(result.retryAfterIgnored).toBe(0);
    expect(result.queuedWhenFaultsStop).toBeGreaterThan(0);
    expect(result.bundles).toBe(FAULTY_ROUNDS / 2);
  }, 120_000);

  it('counts a report that vanished, one changed, head office file overwritten and a temporary left behind', async () => {
    const result = await runSyncFaults({
      rounds: 16,
      seed: SEED,
      conflicting: (i) => i === 3,
      plantLoss: (peer, entries) => {
        const folderOf = (e: (typeof entries)[number]): string => `reports/${e.siteSlug}/${e.runId}/${e.exportSeq}/`;
        const [first, second] = entries.filter((e) => e.state === 'delivered');
        const conflict = entries.find((e) => e.state === 'conflict');
        if (first === undefined || second === undefined || conflict === undefined) throw new Error('the small run did not deliver two bundles and meet its conflict');
        rmSync(join(peer.davRoot, folderOf(first), 'manifest.json.sig'));
        peer.placeFile(`${folderOf(second)}report.json`, 'tampered');
        peer.placeFile(`${folderOf(second)}~fieldrun-tmp-planted`, 'half an upload');
        peer.placeFile(`${folderOf(conflict)}report.json`, 'overwritten');
      },
    });
    expect(result.totals.losses).toMatchObject({ reportsLost: 1, reportsCorrupted: 1, reportsOverwritten: 1, temporariesLeft: 1 });
    expect(totalLosses(result.totals)).toBe(4);
  }, 60_000);
});
