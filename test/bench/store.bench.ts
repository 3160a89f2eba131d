// Store benchmark (not a test): npx tsx test/bench/store.bench.ts
// Journal append throughput, output ingestion in 64 KiB chunks with synchronous=FULL and grouped
// commits against the SQLite ceiling (the same bytes in one transaction), and peak RSS while
// ingesting 500 MB. FIELDRUN_BENCH_MB changes the ingest size.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../electron/core/store';
import { PAGE_SIZE_BYTES } from '../../electron/core/store/connectionSettings';
import { FLUSH_BYTES, FLUSH_INTERVAL_MS } from '../../electron/core/store/outputStore';
import { loadText, markdownTable, sectionHead, writeResultsSection } from './results';

const MIB = 1024 * 1024;
const CHUNK = 64 * 1024;
const INGEST_MB = Number(process.env.FIELDRUN_BENCH_MB ?? 500);
const root = mkdtempSync(join(tmpdir(), 'fieldrun-bench-'));
const rows: string[][] = [];
const record = (what: string, value: string, note = ''): void => {
  rows.push([what, value, note]);
  console.error(`  ${what}: ${value} ${note}`);
};

// A few distinct random chunks, reused: output content does not matter to SQLite, and generating
// 500 MB of randomness would dominate the timing.
const chunks = Array.from({ length: 16 }, () => randomBytes(CHUNK));

function freshStore(name: string): Store {
  return openStore({ dataDir: join(root, name) });
}

function seedRun(store: Store): string {
  const { plan } = store.plans.insert({
    bytes: Buffer.from('# bench plan\n'),
    planId: 'bench',
    version: '1',
    title: 'Bench',
    parsed: {},
    source: {},
    signature: { status: 'unsigned', details: null },
    artifacts: [],
  });
  return store.runs.create({ planHash: plan.hash }).runId;
}

const payload = (i: number): unknown => ({ step: 'deploy-web', host: 'web1', attempt: 1, i, note: 'x'.repeat(150) });

function benchJournal(): void {
  const store = freshStore('journal');
  const runId = seedRun(store);
  const single = 5_000;
  let started = performance.now();
  for (let i = 0; i < single; i += 1) store.journal.append(runId, { type: 'bench.event', payload: payload(i) }, { expectSeq: i + 1 });
  let seconds = (performance.now() - started) / 1000;
  record('journal append, 1 event per transaction', `${Math.round(single / seconds).toLocaleString('en')} events/s`, `(${single} events, each fsynced)`);

  const grouped = 100_000;
  started = performance.now();
  for (let i = 0; i < grouped; i += 100) store.journal.appendMany(runId, Array.from({ length: 100 }, (_, j) => ({ type: 'bench.event', payload: payload(i + j) })));
  seconds = (performance.now() - started) / 1000;
  record('journal append, 100 events per transaction', `${Math.round(grouped / seconds).toLocaleString('en')} events/s`, `(${grouped} events)`);

  started = performance.now();
  const verdict = store.journal.verifyChain(runId);
  seconds = (performance.now() - started) / 1000;
  if (!verdict.ok) throw new Error('chain broken in benchmark');
  record('journal verifyChain', `${Math.round(verdict.head.seq / seconds).toLocaleString('en')} events/s`, `(${verdict.head.seq} events)`);
  store.close();
}

function benchIngest(name: string, megabytes: number, options: { flushBytes?: number }): { mbPerSecond: number; peakRss: number; baseRss: number; peakRssFirstTenth: number } {
  const store = freshStore(name);
  const runId = seedRun(store);
  global.gc?.();
  const baseRss = process.memoryUsage.rss();
  let peakRss = baseRss;
  let peakRssFirstTenth = baseRss;
  const writer = store.output.openWriter(runId, 'step:bench#h1:stdout', options);
  const total = (megabytes * MIB) / CHUNK;
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    writer.write(chunks[i % chunks.length]!);
    if (i % 16 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (i === Math.floor(total / 10)) peakRssFirstTenth = peakRss;
  }
  const digest = writer.close();
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (digest.length !== megabytes * MIB) throw new Error('ingest lost bytes');
  store.close();
  rmSync(join(root, name), { recursive: true, force: true });
  return { mbPerSecond: megabytes / seconds, peakRss, baseRss, peakRssFirstTenth };
}

// Raw SQLite, same settings, no hashing or copying: 64 KiB rows, `rowsPerTransaction` per COMMIT.
// All rows in one transaction is the brief's ceiling; 4 MiB transactions isolate our own overhead.
function benchRawSqlite(megabytes: number, rowsPerTransaction: number, pageSize?: number): number {
  const path = join(root, 'ceiling.db');
  const db = new Database(path);
  if (pageSize !== undefined) db.pragma(`page_size = ${pageSize}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE chunks (stream TEXT NOT NULL, idx INTEGER NOT NULL, byte_offset INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (stream, idx)) STRICT');
  const insert = db.prepare('INSERT INTO chunks VALUES (?, ?, ?, ?)');
  const total = (megabytes * MIB) / CHUNK;
  const started = performance.now();
  const batch = db.transaction((from: number) => {
    for (let i = from; i < Math.min(total, from + rowsPerTransaction); i += 1) insert.run('s', i, i * CHUNK, chunks[i % chunks.length]!);
  });
  for (let from = 0; from < total; from += rowsPerTransaction) batch(from);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  rmSync(path, { force: true });
  return megabytes / seconds;
}

const mb = (bytes: number): string => `${(bytes / MIB).toFixed(0)} MiB`;

const loadBefore = loadText();
try {
  console.error(`store benchmark in ${root} (node ${process.version}, SQLite ${String(new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get())})`);
  // Ingest first, while the heap is small, so the RSS figure is about ingestion alone.
  const grouped = benchIngest('ingest-grouped', INGEST_MB, {});
  record(`output ingest, grouped commits (≤${FLUSH_INTERVAL_MS} ms / ${FLUSH_BYTES / 1024 / 1024} MiB)`, `${grouped.mbPerSecond.toFixed(0)} MB/s`, `(${INGEST_MB} MiB in 64 KiB chunks)`);
  record(`peak RSS while ingesting ${INGEST_MB} MiB`, mb(grouped.peakRss), `(${mb(grouped.baseRss)} before; +${mb(grouped.peakRss - grouped.baseRss)})`);
  record(`peak RSS over the first ${INGEST_MB / 10} MiB`, mb(grouped.peakRssFirstTenth), '(flat afterwards = memory does not grow with output)');
  const perChunkMb = Math.min(100, INGEST_MB);
  const perChunk = benchIngest('ingest-per-chunk', perChunkMb, { flushBytes: 1 });
  record('output ingest, one commit per 64 KiB chunk', `${perChunk.mbPerSecond.toFixed(0)} MB/s`, `(${perChunkMb} MiB)`);
  const ceiling = benchRawSqlite(INGEST_MB, Number.MAX_SAFE_INTEGER);
  record('SQLite ceiling: same bytes in ONE transaction, no hashing', `${ceiling.toFixed(0)} MB/s`, `(${INGEST_MB} MiB)`);
  const rawGrouped = benchRawSqlite(INGEST_MB, (4 * MIB) / CHUNK);
  record('raw SQLite, 4 MiB transactions, no hashing', `${rawGrouped.toFixed(0)} MB/s`, `(${INGEST_MB} MiB)`);
  const ownPages = benchRawSqlite(INGEST_MB, Number.MAX_SAFE_INTEGER, PAGE_SIZE_BYTES);
  record(`SQLite ceiling on ${PAGE_SIZE_BYTES / 1024} KiB pages (the store's page size), ONE transaction`, `${ownPages.toFixed(0)} MB/s`, `(${INGEST_MB} MiB)`);
  record('grouped ingest / one-transaction ceiling', `${((grouped.mbPerSecond / ceiling) * 100).toFixed(0)} %`);
  record('grouped ingest / raw 4 MiB transactions', `${((grouped.mbPerSecond / rawGrouped) * 100).toFixed(0)} %`);
  record(`grouped ingest / ceiling on ${PAGE_SIZE_BYTES / 1024} KiB pages`, `${((grouped.mbPerSecond / ownPages) * 100).toFixed(0)} %`);
  benchJournal();

  const width = Math.max(...rows.map((r) => r[0]!.length));
  console.log(`\n${'measure'.padEnd(width)}  value`);
  for (const [what, value, note] of rows) console.log(`${what!.padEnd(width)}  ${value} ${note}`);
  writeResultsSection(
    'store',
    `${sectionHead('Store: journal and output ingestion without SSH', loadBefore, `The store alone (no SSH): ${INGEST_MB} MiB of output in 64 KiB chunks, and journal appends; one run.`)}\n\n${markdownTable({ headers: ['measure', 'value', 'note'], rows: rows.map((r) => [r[0]!, r[1]!, r[2]!]) })}`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
