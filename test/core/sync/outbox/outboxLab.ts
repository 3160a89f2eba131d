// What the outbox tests share: a real store in a temporary data folder with a run in it, bundles
// written to disk with real hashes, a clock that moves only when told, and timers fired by hand.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../../../../electron/core/store';
import { createHeadOffice, type HeadOffice } from '../../../../electron/core/sync';
import { enqueueExport, type NewOutboxEntry, type OutboxEntry, type Timers } from '../../../../electron/core/sync/outbox';
import { seedRun } from '../../store/seed';
import { tempDir } from '../../store/support';
import { SIGNATURE_NAME, writeBundle } from '../bundleFixture';
import type { NginxPeer } from '../nginx/nginxPeer';

export interface ManualClock {
  nowUtc(): Date;
  monotonicNs(): bigint;
  advance(ms: number): void;
}

export function manualClock(startIso = '2026-11-26T08:00:00.000Z'): ManualClock {
  let wall = Date.parse(startIso);
  return { nowUtc: () => new Date(wall), monotonicNs: () => BigInt(wall) * 1_000_000n, advance: (ms) => (wall += ms) };
}

export interface ManualTimers extends Timers {
  /** the pending wake-up's delay, if one is set */
  pending(): number | undefined;
  /** runs the pending wake-up now */
  fire(): void;
}

export function manualTimers(): ManualTimers {
  let next: { id: number; callback: () => void; ms: number } | undefined;
  let ids = 0;
  return {
    setTimeout: (callback, ms) => {
      next = { id: ++ids, callback, ms };
      return next.id;
    },
    clearTimeout: (handle) => {
      if (next?.id === handle) next = undefined;
    },
    pending: () => next?.ms,
    fire: () => {
      const due = next;
      next = undefined;
      if (due === undefined) throw new Error('no wake-up is pending');
      due.callback();
    },
  };
}

export interface Lab {
  store: Store;
  runId: string;
  clock: ManualClock;
  work: string;
}

export function openLab(clock: ManualClock = manualClock()): Lab {
  const work = tempDir('fieldrun-outbox-');
  const store = openStore({ dataDir: join(work, 'data'), clock });
  const runId = seedRun(store, 'outbox test');
  return { store, runId, clock, work };
}

/** Writes a bundle folder for export `exportSeq` of the lab's run and describes it for the outbox. */
export function exportBundle(lab: Lab, exportSeq: number, label: string, extraBytes = 0): NewOutboxEntry {
  const bundleDir = join(lab.work, 'bundles', `${label}-${exportSeq}`);
  const files = writeBundle(bundleDir, label, extraBytes).map((f) => ({ name: f.name, size: statSync(f.localPath).size, sha256: f.sha256 }));
  return { runId: lab.runId, exportSeq, siteSlug: 'depot', bundleDir, files, signatureName: SIGNATURE_NAME };
}

/** Enqueues in a transaction of its own, as the report export's transaction would. */
export function enqueue(lab: Lab, entry: NewOutboxEntry): OutboxEntry {
  return lab.store.db.transaction(() => enqueueExport(lab.store, entry, lab.clock))();
}

export function officeFor(peer: NginxPeer, clock: ManualClock, options: { url?: string; password?: string } = {}): HeadOffice {
  return createHeadOffice({
    baseUrl: `${options.url ?? peer.url}reports/`,
    auth: { kind: 'basic', user: peer.user, password: options.password ?? peer.password },
    clock,
    random: () => 0.5,
    timeoutMs: 10_000,
  });
}

/** Waits (in real time) for something a round does in the background. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
