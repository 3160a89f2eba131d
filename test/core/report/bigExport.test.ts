import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../../electron/core/keys';
import { storeOutputSource, verifyBundle, writeBundle } from '../../../electron/core/report';
import { openStore, type Store } from '../../../electron/core/store';
import { fixedClock, makeIdentity, scratch, seedPlan } from './bundleFixture';

// A long run: 500 events and 200 MB of output in one stream. Export and verification stream the
// output; memory must stay flat (measured as the peak RSS above the level before the export).

const OUTPUT_BYTES = 200 * 1024 * 1024;
const EVENTS = 500;
const MiB = 1024 * 1024;

let work: ReturnType<typeof scratch>;
let identity: SigningIdentity;
let store: Store;
let runId: string;
let planHash: string;

beforeAll(async () => {
  work = scratch('big');
  identity = await makeIdentity(work.dir);
  store = openStore({ dataDir: join(work.dir, 'data'), clock: fixedClock() });
  planHash = seedPlan(store, 'big');
  runId = store.runs.create({ planHash }).runId;
  const writer = store.output.openWriter(runId, 'step:restore-db/db1/stdout');
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i * chunk.length < OUTPUT_BYTES; i++) {
    chunk.fill(`row ${i} restored; `);
    writer.write(chunk);
  }
  const digest = writer.close();
  const events = Array.from({ length: EVENTS - 2 }, (_, i) => ({ type: 'baseline.checkEnded', payload: { check: `check-${i}`, verdict: 'pass', detail: 'x'.repeat(200) } }));
  store.journal.appendMany(runId, events);
  store.journal.append(runId, { type: 'step.ended', payload: { step: 'restore-db', host: 'db1', exitCode: 0, outputs: [{ stream: 'step:restore-db/db1/stdout', length: digest.length, sha256: digest.sha256 }] } });
}, 300_000);
afterAll(() => {
  store.close();
  work.cleanup();
});

/** Runs `action` while sampling RSS every 20 ms; returns the peak growth over the level before it. */
async function peakRssGrowth<T>(action: () => Promise<T>): Promise<{ value: T; growthMiB: number; beforeMiB: number; ms: number }> {
  global.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  try {
    const value = await action();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, growthMiB: (peak - before) / MiB, beforeMiB: before / MiB, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

describe('a 500-event, 200 MB-output export', () => {
  it('writes, signs and archives with flat memory, and verifies with flat memory', async () => {
    expect(store.journal.head(runId).seq).toBe(EVENTS);
    const exported = await peakRssGrowth(() =>
      writeBundle({
        outDir: join(work.dir, 'out', 'bundle'),
        runId,
        planHash,
        exportSeq: 1,
        events: store.journal.events(runId),
        outputs: storeOutputSource(store.output, runId),
        reportJson: { runId },
        reportHtml: '<!doctype html><title>big</title>',
        identity,
        appVersion: '0.1.0',
      }),
    );
    const bundle = exported.value;
    expect(bundle.manifest.outputs[0]).toMatchObject({ length: OUTPUT_BYTES });
    expect(bundle.manifest.journalHead.seq).toBe(EVENTS);

    const verified = await peakRssGrowth(() => verifyBundle(bundle.dir, { allowedSigners: identity.allowedSignersLine() }));
    expect(verified.value.status, verified.value.reason).toBe('trusted');
    const archive = await peakRssGrowth(() => verifyBundle(bundle.archivePath, { allowedSigners: identity.allowedSignersLine() }));
    expect(archive.value.status, archive.value.reason).toBe('trusted');

    const line = (what: string, m: { growthMiB: number; beforeMiB: number; ms: number }): string =>
      `${what}: ${(m.ms / 1000).toFixed(1)} s, RSS ${m.beforeMiB.toFixed(0)} MiB before, peak +${m.growthMiB.toFixed(1)} MiB`;
    console.log(['[report bench] 500 events, 200 MiB output', line('export (folder + .tar)', exported), line('verify folder', verified), line('verify archive', archive)].join('\n'));
    // The output is 200 MiB; anything near that would mean it was held in memory.
    for (const m of [exported, verified, archive]) expect(m.growthMiB).toBeLessThan(48);
  }, 300_000);
});
