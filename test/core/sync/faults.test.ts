// Many small bundles through a proxy that drops, refuses and cuts, for 200+ sync rounds on an
// injected clock: nothing lost, corrupted or overwritten, no temporary left, everything
// delivered once the faults stop.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadOffice, nextAttemptDelay, retryAfterMs, type BundleUpload, type HeadOffice } from '../../../electron/core/sync';
import { filesOnServer, sha256, SIGNATURE_NAME, temporariesOnServer, writeBundle } from './bundleFixture';
import { FAULTS, seededRandom, startFaultProxy, type FaultProxy } from './faultProxy';
import { startNginxPeer, type NginxPeer } from './nginx/nginxPeer';

// FIELDRUN_FAULT_SEED replays another schedule; the default keeps CI deterministic.
const SEED = Number(process.env.FIELDRUN_FAULT_SEED ?? 0x5eed_0006);
const FAULTY_ROUNDS = 200;
const ROUND_MS = 5_000;
const BUNDLES = 100;
const CONFLICTING = new Set([7, 33, 61]);

let now = Date.parse('2026-11-26T08:00:00Z');
const clock = { nowUtc: () => new Date(now) };
let peer: NginxPeer;
let proxy: FaultProxy;
let office: HeadOffice;
let work: string;

beforeAll(async () => {
  peer = await startNginxPeer({ folders: ['reports'] });
  proxy = await startFaultProxy({ upstreamPort: peer.port, seed: SEED, faultRate: 0.07, now: () => now });
  office = createHeadOffice({
    baseUrl: `${proxy.url}reports/`,
    auth: { kind: 'basic', user: peer.user, password: peer.password },
    clock,
    random: seededRandom(SEED + 1),
    timeoutMs: 5_000,
  });
  work = mkdtempSync(join(tmpdir(), 'fieldrun-faults-'));
});

afterAll(async () => {
  office?.close();
  await proxy?.close();
  await peer?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

interface Pending {
  index: number;
  bundle: BundleUpload;
  attempts: number;
  nextAttemptAt: number;
  state: 'queued' | 'delivered' | 'conflict';
}

describe('sync through a faulty link', () => {
  it(`delivers ${BUNDLES} bundles through ${FAULTY_ROUNDS} faulty rounds: zero lost, corrupted, overwritten or left behind`, async () => {
    const jitter = seededRandom(SEED + 2);
    const outbox: Pending[] = [];
    const planted = new Map<string, Buffer>();
    let retryAfterHonoured = 0;
    let round = 0;

    const syncRound = async (): Promise<void> => {
      for (const entry of outbox) {
        if (entry.state !== 'queued' || entry.nextAttemptAt > now) continue;
        const outcome = await office.uploadBundle(entry.bundle);
        if (outcome.status === 'delivered') entry.state = 'delivered';
        else if (outcome.status === 'conflict') entry.state = 'conflict';
        else if (outcome.status === 'retryable') {
          entry.attempts++;
          const delay = nextAttemptDelay(entry.attempts, { baseMs: 2_000, capMs: 60_000, retryAfter: outcome.retryAfter, clock, random: jitter });
          const asked = retryAfterMs(outcome.retryAfter, clock);
          if (asked !== undefined) {
            expect(delay).toBeGreaterThanOrEqual(asked);
            retryAfterHonoured++;
          }
          entry.nextAttemptAt = now + delay;
        } else throw new Error(`bundle ${entry.index}: unexpected permanent outcome ${JSON.stringify(outcome.error)}`);
      }
    };

    for (; round < FAULTY_ROUNDS; round++) {
      if (round % 2 === 0 && outbox.length < BUNDLES) {
        const index = outbox.length;
        const files = writeBundle(join(work, `b${index}`), `bundle-${index}`, (index % 5) * 700);
        const bundle = { siteSlug: `site-${index % 4}`, runId: `run-${index}`, exportSeq: 1 + (index % 2), files, signatureName: SIGNATURE_NAME };
        if (CONFLICTING.has(index)) {
          const theirs = Buffer.from(`head office's own report.json for ${index}`);
          const path = `reports/site-${index % 4}/run-${index}/${bundle.exportSeq}/report.json`;
          peer.placeFile(path, theirs);
          planted.set(path, theirs);
        }
        outbox.push({ index, bundle, attempts: 0, nextAttemptAt: now, state: 'queued' });
      }
      await syncRound();
      now += ROUND_MS;
    }
    const faultsApplied = { ...proxy.applied };
    const queuedWhenFaultsStop = outbox.filter((e) => e.state === 'queued').length;

    proxy.faultRate = 0;
    for (let calm = 0; calm < 40 && outbox.some((e) => e.state === 'queued'); calm++, round++) {
      await syncRound();
      now += ROUND_MS;
    }

    // Every kind of fault happened, many times, and the server's Retry-After was honoured.
    for (const fault of FAULTS) expect(faultsApplied[fault], fault).toBeGreaterThanOrEqual(5);
    expect(retryAfterHonoured).toBeGreaterThan(5);
    expect(round).toBeGreaterThanOrEqual(FAULTY_ROUNDS);
    expect(queuedWhenFaultsStop).toBeGreaterThan(0);

    // Zero lost: every bundle delivered, except the planted conflicts, which are conflicts.
    expect(outbox).toHaveLength(BUNDLES);
    for (const entry of outbox) expect(entry.state, `bundle ${entry.index}`).toBe(CONFLICTING.has(entry.index) ? 'conflict' : 'delivered');

    // Zero corrupted, zero stray: the server holds exactly the delivered files, byte for byte.
    const expected = new Map<string, string>();
    for (const entry of outbox) {
      if (entry.state !== 'delivered') continue;
      const { siteSlug, runId, exportSeq } = entry.bundle;
      for (const file of entry.bundle.files) expected.set(`reports/${siteSlug}/${runId}/${exportSeq}/${file.name}`, file.sha256);
    }
    for (const path of planted.keys()) expected.set(path, sha256(planted.get(path)!));
    const onServer = filesOnServer(peer.davRoot);
    // A conflicting bundle may have delivered the files before the conflicting one; never the signature.
    const strays = onServer.filter((p) => !expected.has(p) && !isEarlierFileOfConflict(p, outbox));
    expect(strays).toEqual([]);
    for (const [path, hash] of expected) expect(sha256(readFileSync(join(peer.davRoot, path))), path).toBe(hash);

    // Zero overwritten: the planted files are head office's, untouched.
    for (const [path, theirs] of planted) expect(readFileSync(join(peer.davRoot, path))).toEqual(theirs);

    // Zero temporaries.
    expect(temporariesOnServer(peer.davRoot)).toEqual([]);
    console.log(`fault run: ${round} rounds, ${proxy.requests} requests, ${queuedWhenFaultsStop} bundles still queued when faults stopped, faults ${JSON.stringify(faultsApplied)}, Retry-After honoured ${retryAfterHonoured}×`);
  }, 120_000);
});

function isEarlierFileOfConflict(path: string, outbox: Pending[]): boolean {
  return outbox.some((e) => {
    if (e.state !== 'conflict') return false;
    const folder = `reports/${e.bundle.siteSlug}/${e.bundle.runId}/${e.bundle.exportSeq}/`;
    const name = path.slice(folder.length);
    return path.startsWith(folder) && name !== SIGNATURE_NAME && e.bundle.files.some((f) => f.name === name && sha256(readFileSync(join(peer.davRoot, path))) === f.sha256);
  });
}
