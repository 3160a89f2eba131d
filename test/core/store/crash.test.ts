import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { LATEST_SCHEMA_VERSION, openStore, parseJournalEvent, type JournalEvent } from '../../../electron/core/store';
import { onLines, spawnFixture, tempDir, waitForExit } from './support';

const ROUNDS = 60;
// Mostly while writing; one round in five right after `go`, while the store opens and recovers.
const killDelayMs = (): number => (Math.random() < 0.2 ? Math.floor(Math.random() * 30) : 30 + Math.floor(Math.random() * 370));

interface Writer {
  readonly child: ReturnType<typeof spawnFixture>;
  readonly ready: Promise<void>;
  readonly events: JournalEvent[];
  phase: string;
  stderr: string;
}

function startWriter(dataDir: string, seed: number): Writer {
  const child = spawnFixture('crashWriter.ts', [dataDir, String(seed)]);
  const writer: Writer = { child, ready: Promise.resolve(), events: [], phase: 'starting', stderr: '' };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (writer.stderr += text));
  let markReady!: () => void;
  let fail!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });
  onLines(child, (line) => {
    if (line === 'ready') markReady();
    else if (line.startsWith('phase ')) writer.phase = line.slice(6);
    else if (line.startsWith('E ')) {
      const parsed = parseJournalEvent(JSON.parse(line.slice(2)));
      if (!parsed.ok) throw new Error(`the writer printed a malformed event: ${parsed.error}`);
      writer.events.push(parsed.value);
    }
  });
  child.once('exit', (code, signal) => {
    if (signal !== 'SIGKILL') fail(new Error(`crash writer (seed ${seed}) exited by itself (${code ?? signal}): ${writer.stderr}`));
  });
  return Object.assign(writer, { ready });
}

test(`a writer SIGKILLed at random moments (${ROUNDS} rounds) never loses an acknowledged event`, async () => {
  const root = tempDir('fieldrun-crash-');
  const dataDir = join(root, 'data');
  const baseSeed = Math.floor(Math.random() * 1e9);
  const acknowledged = new Map<string, JournalEvent>();
  const lastAcknowledged = new Map<string, JournalEvent>();
  const killsByPhase = new Map<string, number>();
  let checkMs = 0;

  let next = startWriter(dataDir, baseSeed);
  for (let round = 0; round < ROUNDS; round += 1) {
    const writer = next;
    await writer.ready;
    writer.child.stdin.write('go\n');
    await sleep(killDelayMs());
    writer.child.kill('SIGKILL');
    await waitForExit(writer.child);
    // A writer that died by itself (an exception) before our kill would make this round vacuous.
    expect(writer.child.signalCode, `the writer died before the kill: ${writer.stderr}`).toBe('SIGKILL');
    killsByPhase.set(writer.phase, (killsByPhase.get(writer.phase) ?? 0) + 1);
    // Start the next writer now: its start-up overlaps our checks; it takes the lock only on `go`.
    if (round + 1 < ROUNDS) next = startWriter(dataDir, baseSeed + round + 1);

    const context = `round ${round}, seed ${baseSeed + round}, killed during "${writer.phase}"`;
    const checkStarted = performance.now();
    const store = openStore({ dataDir });
    try {
      expect(store.db.pragma('integrity_check', { simple: true }), context).toBe('ok');
      expect(store.db.pragma('foreign_key_check'), context).toEqual([]);
      for (const event of writer.events) {
        acknowledged.set(`${event.runId}#${event.seq}`, event);
        lastAcknowledged.set(event.runId, event);
        const [stored] = store.journal.read(event.runId, { fromSeq: event.seq, limit: 1 });
        expect(stored, context).toEqual(event);
        if (event.type === 'step.output') {
          const { stream, length, sha256 } = event.payload as { stream: string; length: number; sha256: string };
          expect(store.output.verify(event.runId, stream), context).toMatchObject({ ok: true, length, sha256 });
        }
      }
      for (const run of store.runs.list()) {
        expect(store.journal.verifyChain(run.id), context).toMatchObject({ ok: true });
        // A valid chain that still holds the last acknowledged event unchanged holds every
        // earlier one unchanged too: each hash covers the one before it.
        const last = lastAcknowledged.get(run.id);
        if (last !== undefined) expect(store.journal.read(run.id, { fromSeq: last.seq, limit: 1 })[0]?.hash, context).toBe(last.hash);
      }
      expect([...lastAcknowledged.keys()].every((runId) => store.runs.get(runId) !== undefined), context).toBe(true);
    } finally {
      store.close();
    }
    checkMs += performance.now() - checkStarted;
  }

  // Once more, everything ever acknowledged, compared field by field.
  const store = openStore({ dataDir });
  try {
    for (const event of acknowledged.values()) expect(store.journal.read(event.runId, { fromSeq: event.seq, limit: 1 })[0]).toEqual(event);
  } finally {
    store.close();
  }
  // Folders whose migration a kill may have interrupted open cleanly and end fully migrated.
  const fresh = readdirSync(root).filter((name) => name.startsWith('fresh-'));
  for (const name of fresh) {
    const migrated = openStore({ dataDir: join(root, name) });
    try {
      expect(migrated.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(migrated.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      migrated.close();
    }
  }

  const dbBytes = statSync(join(dataDir, 'fieldrun.db')).size;
  console.log(
    `crash test: ${ROUNDS} SIGKILLs (base seed ${baseSeed}); ${acknowledged.size} acknowledged events all present; ` +
      `kills by phase ${JSON.stringify(Object.fromEntries(killsByPhase))}; ${fresh.length} fresh folders migrated; db ${(dbBytes / 1e6).toFixed(1)} MB; checks took ${(checkMs / 1000).toFixed(1)} s`,
  );
  expect(acknowledged.size).toBeGreaterThan(ROUNDS * 10);
  expect(killsByPhase.get('write') ?? 0).toBeGreaterThan(0);
}, 120_000);
