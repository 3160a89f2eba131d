// The store's SIGKILL loop: a writer process (test/core/store/fixtures/crashWriter.ts) appends
// events, output, schema rebuilds and checkpoints to one data folder and is killed at random
// moments; after each kill the folder is opened as the app would open it and every event the
// writer was told was committed is looked for, field by field.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson } from '../../shared/canonicalJson';
import { LATEST_SCHEMA_VERSION, openStore, parseJournalEvent, type JournalEvent, type Store } from '../../electron/core/store';
import { killIfAlive, onLines, spawnTsx, waitForClose } from './children';
import { countNote, newTotals, recordLoss, type FaultTotals } from './totals';

const WRITER = join(import.meta.dirname, '../core/store/fixtures/crashWriter.ts');

// Mostly while writing; one round in five right after `go`, while the store opens and recovers.
const killDelayMs = (): number => (Math.random() < 0.2 ? Math.floor(Math.random() * 30) : 30 + Math.floor(Math.random() * 370));

/** Every event a writer was told was committed, across rounds. */
export interface AcknowledgedLedger {
  readonly events: Map<string, JournalEvent>;
  readonly lastOfRun: Map<string, JournalEvent>;
  /** Events already counted as lost, so that a later check does not count them again. */
  readonly lost: Set<string>;
}

export const newLedger = (): AcknowledgedLedger => ({ events: new Map(), lastOfRun: new Map(), lost: new Set() });
const keyOf = (event: JournalEvent): string => `${event.runId}#${event.seq}`;

/**
 * Checks a store after a crash against what was acknowledged: the database's integrity, every
 * acknowledged event unchanged (and the output its `step.output` event names), every run's chain.
 * `fresh` are the events acknowledged since the last check; they join the ledger.
 */
export function checkStoreAgainstLedger(store: Store, fresh: readonly JournalEvent[], ledger: AcknowledgedLedger, totals: FaultTotals, context: string): void {
  const integrity = store.db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') recordLoss(totals, 'corruptDatabases', `${context}: integrity_check says ${String(integrity)}`);
  const foreignKeys = store.db.pragma('foreign_key_check') as unknown[];
  if (foreignKeys.length > 0) recordLoss(totals, 'corruptDatabases', `${context}: ${foreignKeys.length} foreign key violations`);
  for (const event of fresh) {
    ledger.events.set(keyOf(event), event);
    ledger.lastOfRun.set(event.runId, event);
  }
  const toCheck = [...fresh];
  for (const event of ledger.lastOfRun.values()) if (!fresh.includes(event)) toCheck.push(event);
  for (const event of toCheck) checkEvent(store, event, ledger, totals, context);
  for (const runId of ledger.lastOfRun.keys()) {
    if (store.runs.get(runId) === undefined) {
      recordLoss(totals, 'eventsLost', `${context}: run ${runId} is gone`);
      continue;
    }
    const chain = store.journal.verifyChain(runId);
    if (!chain.ok) recordLoss(totals, 'chainBreaks', `${context}: run ${runId} breaks at seq ${chain.brokenAtSeq}: ${chain.reason}`);
  }
}

/** Opens the data folder as the app would and checks it; false when it does not even open. */
export function checkDataFolder(dataDir: string, fresh: readonly JournalEvent[], ledger: AcknowledgedLedger, totals: FaultTotals, context: string): boolean {
  let store: Store;
  try {
    store = openStore({ dataDir });
  } catch (error) {
    recordLoss(totals, 'corruptDatabases', `${context}: the data folder does not open: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
  try {
    checkStoreAgainstLedger(store, fresh, ledger, totals, context);
    return true;
  } catch (error) {
    // SQLite reports a damaged page when a read reaches it.
    recordLoss(totals, 'corruptDatabases', `${context}: reading the store failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  } finally {
    store.close();
  }
}

/** Once more at the end: every event ever acknowledged, not only the newest. */
export function checkWholeLedger(store: Store, ledger: AcknowledgedLedger, totals: FaultTotals, context: string): void {
  for (const event of ledger.events.values()) checkEvent(store, event, ledger, totals, context);
}

function checkEvent(store: Store, event: JournalEvent, ledger: AcknowledgedLedger, totals: FaultTotals, context: string): void {
  const key = keyOf(event);
  if (ledger.lost.has(key)) return;
  const stored = store.runs.get(event.runId) === undefined ? undefined : store.journal.read(event.runId, { fromSeq: event.seq, limit: 1 })[0];
  if (stored === undefined || stored.seq !== event.seq || canonicalJson(stored) !== canonicalJson(event)) {
    ledger.lost.add(key);
    recordLoss(totals, 'eventsLost', `${context}: acknowledged event ${key} (${event.type}) is ${stored?.seq === event.seq ? 'changed' : 'missing'}`);
    return;
  }
  if (event.type === 'step.output') {
    const { stream, length, sha256 } = event.payload as { stream: string; length: number; sha256: string };
    const verdict = store.output.verify(event.runId, stream);
    if (!verdict.ok || verdict.length !== length || verdict.sha256 !== sha256) {
      ledger.lost.add(key);
      recordLoss(totals, 'outputLost', `${context}: output ${stream} of acknowledged event ${key} does not match its digest`);
    }
  }
}

interface Writer {
  readonly child: ReturnType<typeof spawnTsx>;
  readonly ready: Promise<void>;
  readonly events: JournalEvent[];
  readonly malformed: string[];
  phase: string;
  stderr: string;
}

function startWriter(dataDir: string, seed: number): Writer {
  const child = spawnTsx(WRITER, [dataDir, String(seed)]);
  let markReady!: () => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`crash writer (seed ${seed}) exited by itself (${code ?? signal}): ${writer.stderr}`));
    });
  });
  // The rejection is observed when the round awaits `ready`; a writer killed later must not warn.
  ready.catch(() => undefined);
  const writer: Writer = { child, ready, events: [], malformed: [], phase: 'starting', stderr: '' };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (writer.stderr += text));
  onLines(child, (line) => {
    if (line === 'ready') markReady();
    else if (line.startsWith('phase ')) writer.phase = line.slice(6);
    else if (line.startsWith('E ')) {
      const parsed = parseJournalEvent(JSON.parse(line.slice(2)));
      if (parsed.ok) writer.events.push(parsed.value);
      else writer.malformed.push(parsed.error);
    }
  });
  return writer;
}

export interface StoreCrashOptions {
  readonly rounds: number;
  /** An empty folder the loop may fill (the data folder and fresh folders to migrate go in it). */
  readonly root: string;
  readonly baseSeed?: number;
  readonly log?: (line: string) => void;
}

export interface StoreCrashResult {
  readonly totals: FaultTotals;
  readonly acknowledgedEvents: number;
  readonly killsByPhase: Record<string, number>;
  readonly freshFoldersMigrated: number;
}

export async function runStoreCrashLoop(options: StoreCrashOptions): Promise<StoreCrashResult> {
  const started = performance.now();
  const totals = newTotals('crash (store writer SIGKILL)');
  const dataDir = join(options.root, 'data');
  const baseSeed = options.baseSeed ?? Math.floor(Math.random() * 1e9);
  totals.notes['base seed'] = baseSeed;
  const ledger = newLedger();
  const killsByPhase: Record<string, number> = {};
  let next = startWriter(dataDir, baseSeed);
  try {
    for (let round = 0; round < options.rounds; round += 1) {
      const writer = next;
      const context = `round ${round}, seed ${baseSeed + round}`;
      try {
        await writer.ready;
      } catch (error) {
        recordLoss(totals, 'harnessErrors', `${context}: ${error instanceof Error ? error.message : String(error)}`);
        break;
      }
      writer.child.stdin.write('go\n');
      await sleep(killDelayMs());
      writer.child.kill('SIGKILL');
      await waitForClose(writer.child);
      totals.runs += 1;
      // A writer that died by itself (an exception) before our kill would make this round vacuous.
      if (writer.child.signalCode !== 'SIGKILL') {
        recordLoss(totals, 'harnessErrors', `${context}: the writer died before the kill: ${writer.stderr}`);
        break;
      }
      totals.faultsInjected += 1;
      killsByPhase[writer.phase] = (killsByPhase[writer.phase] ?? 0) + 1;
      for (const error of writer.malformed) recordLoss(totals, 'harnessErrors', `${context}: the writer printed a malformed event: ${error}`);
      // Start the next writer now: its start-up overlaps our checks; it takes the lock only on `go`.
      if (round + 1 < options.rounds) next = startWriter(dataDir, baseSeed + round + 1);
      const where = `${context}, killed during "${writer.phase}"`;
      if (!checkDataFolder(dataDir, writer.events, ledger, totals, where)) break;
      if (options.log !== undefined && (round + 1) % 50 === 0) options.log(`  store crash loop: ${round + 1}/${options.rounds} kills`);
    }
  } finally {
    killIfAlive(next.child);
    await waitForClose(next.child);
  }

  if (totals.runs > 0) {
    const store = openStore({ dataDir });
    try {
      checkWholeLedger(store, ledger, totals, 'final check');
    } finally {
      store.close();
    }
  }
  // Folders whose migration a kill may have interrupted open cleanly and end fully migrated.
  const fresh = readdirSync(options.root).filter((name) => name.startsWith('fresh-'));
  for (const name of fresh) {
    const migrated = openStore({ dataDir: join(options.root, name) });
    try {
      const integrity = migrated.db.pragma('integrity_check', { simple: true });
      const version = migrated.db.pragma('user_version', { simple: true });
      if (integrity !== 'ok' || version !== LATEST_SCHEMA_VERSION) recordLoss(totals, 'corruptDatabases', `${name}: integrity ${String(integrity)}, schema version ${String(version)}`);
    } finally {
      migrated.close();
    }
  }
  countNote(totals, 'acknowledged events', ledger.events.size);
  countNote(totals, 'fresh folders migrated', fresh.length);
  totals.notes['kills by phase'] = JSON.stringify(killsByPhase);
  if (totals.runs > 0) totals.notes['db MB'] = (statSync(join(dataDir, 'fieldrun.db')).size / 1e6).toFixed(1);
  totals.wallMs = performance.now() - started;
  return { totals, acknowledgedEvents: ledger.events.size, killsByPhase, freshFoldersMigrated: fresh.length };
}
