// Sync faults: exported report bundles queue in the real outbox (a SQLite store) and go to a real
// nginx WebDAV head office through a proxy that drops, refuses and cuts
// (test/core/sync/faultProxy.ts), round after round on an injected clock; then the faults stop
// and the queue drains. The outbox's states, the bundles left on the laptop and what head office
// holds on disk are then compared, byte for byte, with what was exported: nothing lost,
// corrupted or overwritten, no temporary left.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../electron/core/store';
import { createHeadOffice, retryAfterMs } from '../../electron/core/sync';
import { createOutbox, enqueueExport, type NewOutboxEntry, type OutboxEntry } from '../../electron/core/sync/outbox';
import { filesOnServer, sha256, SIGNATURE_NAME, temporariesOnServer, writeBundle } from '../core/sync/bundleFixture';
import { seededRandom, startFaultProxy } from '../core/sync/faultProxy';
import { startNginxPeer, type NginxPeer } from '../core/sync/nginx/nginxPeer';
import { seedRun } from '../core/store/seed';
import { countNote, newTotals, recordLoss, type FaultTotals } from './totals';

const ROUND_MS = 5_000;
const CALM_ROUNDS = 40;
const SITES = 4;

export interface SyncFaultOptions {
  /** Rounds with faults; a new bundle is exported every other round. */
  readonly rounds: number;
  readonly seed: number;
  readonly faultRate?: number;
  /** Bundles whose report.json head office already holds with other content: each must end as a conflict. Default: one in thirty. */
  readonly conflicting?: (index: number) => boolean;
  /** Self-check only: damages head office's disk after the run, before the check. */
  readonly plantLoss?: (peer: NginxPeer, entries: readonly OutboxEntry[]) => void;
}

export interface SyncFaultResult {
  readonly totals: FaultTotals;
  readonly bundles: number;
  readonly faultsApplied: Record<string, number>;
  readonly retryAfterHonoured: number;
  readonly retryAfterIgnored: number;
  readonly queuedWhenFaultsStop: number;
}

export async function runSyncFaults(options: SyncFaultOptions): Promise<SyncFaultResult> {
  const started = performance.now();
  const totals = newTotals('sync faults (outbox, proxy, nginx WebDAV)');
  totals.notes['seed'] = options.seed;
  const conflicting = options.conflicting ?? ((index: number) => index % 30 === 7);
  let now = Date.parse('2026-11-26T08:00:00Z');
  const clock = { nowUtc: () => new Date(now), monotonicNs: () => BigInt(now) * 1_000_000n };
  const work = mkdtempSync(join(tmpdir(), 'fieldrun-sync-faults-'));
  const store = openStore({ dataDir: join(work, 'data'), clock });
  const peer = await startNginxPeer({ folders: ['reports'] });
  const proxy = await startFaultProxy({ upstreamPort: peer.port, seed: options.seed, faultRate: options.faultRate ?? 0.07, now: () => now });
  const office = createHeadOffice({
    baseUrl: `${proxy.url}reports/`,
    auth: { kind: 'basic', user: peer.user, password: peer.password },
    clock,
    random: seededRandom(options.seed + 1),
    timeoutMs: 5_000,
  });
  const outbox = createOutbox({ store, headOffice: () => office, clock, random: seededRandom(options.seed + 2), backoff: { baseMs: 2_000, capMs: 60_000 } });
  try {
    const runs = Array.from({ length: SITES }, (_, site) => seedRun(store, `site ${site}`));
    const conflictIds = new Set<number>();
    const planted = new Map<string, Buffer>();
    const bundles = Math.max(1, Math.floor(options.rounds / 2));
    let exported = 0;
    let round = 0;
    for (; round < options.rounds; round++) {
      if (round % 2 === 0 && exported < bundles) {
        const index = exported++;
        const entry = exportBundle(work, runs[index % SITES]!, index);
        if (conflicting(index)) {
          const theirs = Buffer.from(`head office's own report.json for ${index}`);
          const path = `reports/${entry.siteSlug}/${entry.runId}/${entry.exportSeq}/report.json`;
          peer.placeFile(path, theirs);
          planted.set(path, theirs);
        }
        // As the report export does: the entry joins the outbox in a transaction of its own.
        const queued = store.db.transaction(() => enqueueExport(store, entry, clock))();
        if (conflicting(index)) conflictIds.add(queued.id);
      }
      await outbox.syncNow();
      now += ROUND_MS;
    }
    const faultsApplied = { ...proxy.applied };
    const queuedWhenFaultsStop = outbox.entries.list(['queued', 'sending']).length;
    proxy.faultRate = 0;
    for (let calm = 0; calm < CALM_ROUNDS && outbox.entries.list(['queued', 'sending']).length > 0; calm++, round++) {
      await outbox.syncNow();
      now += ROUND_MS;
    }
    options.plantLoss?.(peer, outbox.entries.list());

    const entries = outbox.entries.list();
    totals.runs = entries.length;
    totals.faultsInjected = Object.values(faultsApplied).reduce((a, b) => a + b, 0);
    const integrity = store.db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') recordLoss(totals, 'corruptDatabases', `the outbox's store: integrity_check says ${String(integrity)}`);
    if (entries.length !== exported) recordLoss(totals, 'reportsLost', `${exported} bundles were exported, the outbox holds ${entries.length}`);
    checkHeadOffice(peer.davRoot, entries, conflictIds, planted, totals);
    const retryAfter = retryAfterCounts(outbox.entries.log());
    totals.notes['rounds'] = round;
    totals.notes['requests'] = proxy.requests;
    totals.notes['faults'] = JSON.stringify(faultsApplied);
    countNote(totals, 'Retry-After honoured', retryAfter.honoured);
    countNote(totals, 'Retry-After ignored', retryAfter.ignored);
    countNote(totals, 'queued when faults stopped', queuedWhenFaultsStop);
    totals.wallMs = performance.now() - started;
    return { totals, bundles: entries.length, faultsApplied, retryAfterHonoured: retryAfter.honoured, retryAfterIgnored: retryAfter.ignored, queuedWhenFaultsStop };
  } finally {
    await outbox.stop();
    office.close();
    await proxy.close();
    await peer.stop();
    store.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes bundle `index` of a run to disk, as an export would, and describes it for the outbox. */
function exportBundle(work: string, runId: string, index: number): NewOutboxEntry {
  const bundleDir = join(work, 'bundles', `b${index}`);
  const files = writeBundle(bundleDir, `bundle-${index}`, (index % 5) * 700).map((f) => ({ name: f.name, size: statSync(f.localPath).size, sha256: f.sha256 }));
  return { runId, exportSeq: Math.floor(index / SITES) + 1, siteSlug: `site-${index % SITES}`, bundleDir, files, signatureName: SIGNATURE_NAME };
}

/** Each scheduled retry against the Retry-After head office sent with it, at the time it was scheduled. */
function retryAfterCounts(log: ReturnType<ReturnType<typeof createOutbox>['entries']['log']>): { honoured: number; ignored: number } {
  let honoured = 0;
  let ignored = 0;
  for (const record of log) {
    const { retryAfter, delayMs } = record.detail as { retryAfter?: string; delayMs?: number };
    if (record.event !== 'retry-scheduled' || retryAfter === undefined || delayMs === undefined) continue;
    const asked = retryAfterMs(retryAfter, { nowUtc: () => new Date(record.time) });
    if (asked === undefined) continue;
    if (delayMs >= asked) honoured++;
    else ignored++;
  }
  return { honoured, ignored };
}

/** The outbox, the laptop's bundles and head office's disk: every count here is a report a user would miss or distrust. */
function checkHeadOffice(davRoot: string, entries: readonly OutboxEntry[], conflictIds: ReadonlySet<number>, planted: ReadonlyMap<string, Buffer>, totals: FaultTotals): void {
  const folderOf = (e: OutboxEntry): string => `reports/${e.siteSlug}/${e.runId}/${e.exportSeq}/`;
  const onServer = new Set(filesOnServer(davRoot));
  const hashOnServer = (path: string): string | undefined => (onServer.has(path) ? sha256(readFileSync(join(davRoot, path))) : undefined);
  const expected = new Set<string>(planted.keys());
  for (const entry of entries) {
    const folder = folderOf(entry);
    const label = `export ${entry.exportSeq} of ${entry.siteSlug}`;
    // Nothing is deleted locally because it was uploaded.
    for (const file of entry.files) {
      const local = join(entry.bundleDir, file.name);
      if (!existsSync(local) || sha256(readFileSync(local)) !== file.sha256) recordLoss(totals, 'reportsLost', `${label}: the laptop's ${file.name} is gone or changed`);
    }
    if (conflictIds.has(entry.id)) {
      if (entry.state !== 'conflict') recordLoss(totals, 'reportsCorrupted', `${label} is ${entry.state} over head office's different report.json`);
      // A conflicting bundle may have delivered files before the conflicting one; never the signature.
      for (const file of entry.files) {
        const path = folder + file.name;
        if (!onServer.has(path) || planted.has(path)) continue;
        if (file.name === entry.signatureName) recordLoss(totals, 'reportsCorrupted', `${label}: its signature reached head office despite the conflict`);
        else if (hashOnServer(path) === file.sha256) expected.add(path);
      }
      continue;
    }
    if (entry.state !== 'delivered') {
      recordLoss(totals, 'reportsLost', `${label} is still ${entry.state} after the faults stopped (${entry.attempts} attempts${entry.lastError === null ? '' : `, last error ${entry.lastError.code}`})`);
      continue;
    }
    for (const file of entry.files) {
      const path = folder + file.name;
      expected.add(path);
      const hash = hashOnServer(path);
      if (hash === undefined) recordLoss(totals, 'reportsLost', `${label} is delivered, but head office has no ${path}`);
      else if (hash !== file.sha256) recordLoss(totals, 'reportsCorrupted', `${path} on head office differs from what was exported`);
    }
  }
  for (const [path, theirs] of planted) {
    if (hashOnServer(path) !== sha256(theirs)) recordLoss(totals, 'reportsOverwritten', `head office's own ${path} was changed`);
  }
  const temporaries = new Set(temporariesOnServer(davRoot));
  for (const path of temporaries) recordLoss(totals, 'temporariesLeft', path);
  for (const path of onServer) if (!expected.has(path) && !temporaries.has(path)) recordLoss(totals, 'reportsCorrupted', `stray file on head office: ${path}`);
}
