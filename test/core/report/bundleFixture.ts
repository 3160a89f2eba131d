import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassphraseFileSecretStore, defaultSecretsPath, loadOrCreateIdentity, type SigningIdentity } from '../../../electron/core/keys';
import { exportStoredRun, type WrittenBundle } from '../../../electron/core/report';
import { openStore, type Clock, type Store } from '../../../electron/core/store';

// A real store (SQLite file), a real run journal with varied events and output, and a real
// signing identity behind the passphrase-file key store: the bundle under test is made exactly
// as the app makes it.

export const PASSPHRASE = 'correct horse battery staple';

export function scratch(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `fieldrun-report-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const secretStores = new WeakMap<SigningIdentity, PassphraseFileSecretStore>();

export async function makeIdentity(dir: string, name = 'tech@example.com'): Promise<SigningIdentity> {
  const dataDir = join(dir, `identity-${name.replace(/[^a-z0-9]/gi, '_')}`);
  mkdirSync(dataDir, { recursive: true });
  const store = await PassphraseFileSecretStore.open({ path: defaultSecretsPath(dataDir), passphrase: PASSPHRASE });
  const identity = await loadOrCreateIdentity({ store, dataDir, name });
  secretStores.set(identity, store);
  return identity;
}

/** The identity's private key as the key store holds it (PKCS#8 DER), for leak canaries. */
export async function privateKeyDerOf(identity: SigningIdentity): Promise<Buffer> {
  const der = await secretStores.get(identity)?.get(`signing-key/${identity.fingerprint}`);
  if (der === undefined) throw new Error('the identity was not made by makeIdentity');
  return der;
}

/** A value the run used as a secret; only its base64 form was (wrongly) recorded, in a note. */
export const LEAKED_SECRET = 's3cr3t-db-pass!';

/** A clock that moves 250 ms per reading: deterministic, distinct event times. */
export function fixedClock(startIso = '2026-03-01T08:00:00.000Z'): Clock {
  let wall = Date.parse(startIso);
  let mono = 5_000_000_000n;
  return {
    nowUtc: () => new Date((wall += 250)),
    monotonicNs: () => (mono += 250_000_000n),
  };
}

export function seedPlan(store: Store, label: string): string {
  const { plan } = store.plans.insert({
    bytes: Buffer.from(`apiVersion: fieldrun/v1\n# plan for ${label}\n`),
    planId: 'report-test',
    version: '1.2.0',
    title: 'Report test plan',
    parsed: { metadata: { id: 'report-test' } },
    source: { kind: 'file', path: '/tmp/plan.yaml' },
    signature: { status: 'unsigned', details: null },
    artifacts: [],
  });
  return plan.hash;
}

/** Deterministic, compressible-but-not-trivial output text. */
export function outputText(seed: number, bytes: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `[${seed}:${i}] unpacking layer ${createHash('sha256').update(`${seed}/${i}`).digest('hex').slice(0, 24)} <b>ok</b>\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

export interface RunFixture {
  readonly store: Store;
  readonly runId: string;
  readonly planHash: string;
  readonly streams: readonly string[];
}

/**
 * A run through every phase: checklist ticks, host key seen, baseline checks (one waived), steps
 * on two hosts with stdout/stderr recorded through the output store and digested in their end
 * events, a skip, a note holding HTML, a handover sign-off. About forty events.
 */
export function recordRun(dataDir: string, label = 'golden', outputBytes = 40_000): RunFixture {
  const store = openStore({ dataDir, clock: fixedClock() });
  const planHash = seedPlan(store, label);
  const { runId } = store.runs.create({ planHash, label });
  const append = (type: string, payload: unknown): void => {
    store.journal.append(runId, { type, payload });
  };
  for (const item of ['backup-confirmed', 'outage-agreed', 'support-reachable', 'contingency-understood']) append('checklist.ticked', { item, note: `${item} checked with J. Doe` });
  for (const host of ['web1', 'db1']) append('host.keySeen', { host, keyType: 'ssh-ed25519', fingerprint: `SHA256:${createHash('sha256').update(host).digest('base64').replace(/=+$/, '')}`, pinned: true });
  append('run.phase', { phase: 'baseline' });
  for (let i = 0; i < 8; i++) append('baseline.checkEnded', { check: `check-${i}`, host: i % 2 === 0 ? 'web1' : 'db1', verdict: i === 5 ? 'fail' : 'pass', detail: `port ${5000 + i} listening` });
  append('baseline.waived', { check: 'check-5', reason: 'known issue <script>alert(1)</script> tracked in TICKET-12' });
  append('run.phase', { phase: 'deploy' });
  const streams: string[] = [];
  let seed = 0;
  for (const step of ['stop-app', 'install', 'migrate']) {
    for (const host of ['web1', 'db1']) {
      append('step.started', { step, host, command: `sudo ./${step}.sh --verbose` });
      const outputs: { stream: string; length: number; sha256: string }[] = [];
      for (const kind of ['stdout', 'stderr']) {
        const stream = `step:${step}/${host}/${kind}`;
        const writer = store.output.openWriter(runId, stream);
        const text = outputText(++seed, kind === 'stdout' ? outputBytes : 300);
        for (let at = 0; at < text.length; at += 7000) writer.write(text.subarray(at, at + 7000));
        const digest = writer.close();
        outputs.push({ stream, length: digest.length, sha256: digest.sha256 });
        streams.push(stream);
      }
      append('step.ended', { step, host, exitCode: 0, durationMs: 1234 + seed, outputs });
    }
  }
  append('step.skipped', { step: 'reindex', reason: 'not needed for this increment' });
  append('note.added', { text: 'Client asked for <img src=x onerror=alert(1)> in the report' });
  append('note.added', { text: `curl -H 'Authorization: Basic ${Buffer.from(`admin:${LEAKED_SECRET}`).toString('base64')}'` });
  append('run.phase', { phase: 'handover' });
  append('handover.signedOff', { by: 'client', name: 'Ana Ops', role: 'Operations lead', at: '2026-03-01T12:00:00.000Z' });
  append('run.phase', { phase: 'done' });
  return { store, runId, planHash, streams };
}

export interface ExportOptions {
  readonly exportSeq?: number;
  readonly secrets?: readonly string[];
  readonly now?: () => Date;
}

/** Exports the run as the app does, with a JUnit file and two attachments. */
export async function exportRun(fixture: RunFixture, identity: SigningIdentity, outParent: string, options: ExportOptions = {}): Promise<WrittenBundle> {
  const exportSeq = options.exportSeq ?? 1;
  const attachmentsDir = join(outParent, `attachments-src-${exportSeq}`);
  mkdirSync(attachmentsDir, { recursive: true });
  writeFileSync(join(attachmentsDir, 'rack.jpg'), outputText(99, 5000));
  writeFileSync(join(attachmentsDir, 'signoff-client.png'), outputText(98, 1200));
  return exportStoredRun({
    store: fixture.store,
    runId: fixture.runId,
    outParent,
    exportSeq,
    reportJson: { runId: fixture.runId, summary: { passed: 7, failed: 1, waived: 1, skipped: 1, unknown: 0 }, title: 'Report test plan' },
    reportHtml: '<!doctype html><html><head><meta charset="utf-8"><title>Report</title></head><body><h1>Report</h1></body></html>\n',
    junitXml: '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="baseline" tests="8" failures="1"/></testsuites>\n',
    attachments: [
      { name: 'rack.jpg', localPath: join(attachmentsDir, 'rack.jpg') },
      { name: 'signoff-client.png', localPath: join(attachmentsDir, 'signoff-client.png') },
    ],
    identity,
    appVersion: '0.1.0',
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    now: options.now ?? (() => new Date('2026-03-01T12:30:00.000Z')),
  });
}

/** A copy of a bundle folder to damage, so every case starts from the pristine one. */
export function copyBundle(dir: string, into: string): string {
  cpSync(dir, into, { recursive: true });
  return into;
}
