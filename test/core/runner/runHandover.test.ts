import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldRun, type RunState } from '../../../shared/run';
import { createCore, type Core } from '../../../electron/core/core';
import { verifyBundle } from '../../../electron/core/report';
import { createOutboxRepository } from '../../../electron/core/sync/outbox';
import type { SigningIdentity } from '../../../electron/core/keys';
import { startTestLab, type TestLab } from '../../hosts';
import { makeIdentity } from '../report/bundleFixture';
import { acknowledgeAllFlags, call, labPlanDir, mkdtempSync, removeTempDirs } from './runLab';

// A real run on the sshd lab: a baseline failure waived, a step failure skipped, then the handover
// with the client to `done`, and the signed report exported and checked by OpenSSH itself.

const CANARY = '<script>window.pwned=1</script><img src=x onerror=alert(1)>';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really pixels')]);

let lab: TestLab;
let core: Core;
let identity: SigningIdentity;
let work: string;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1'] });
  work = mkdtempSync(join(tmpdir(), 'fieldrun-handover-'));
  identity = await makeIdentity(work);
  core = createCore({
    dataDir: join(work, 'data'),
    strictOutputs: true,
    appVersion: '0.1.0-test',
    signing: { identity },
    runner: { credentials: [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: lab.user.privateKeyPath }] }], checkTimeoutMs: 30_000 },
  });
});

afterAll(async () => {
  core?.close();
  await lab?.stop();
  removeTempDirs();
});

/** The journal as the store holds it (the truth), folded. */
const journalState = (runId: string): RunState => foldRun(core.store.journal.events(runId));

function planDir(): string {
  const dir = labPlanDir(lab, ['web1'], [
    { id: 'greet', title: `Greet ${CANARY}`, hosts: ['web1'], run: `for i in $(seq 1 40); do echo "line $i"; done\necho '${CANARY}'` },
    { id: 'warm-cache', title: 'Warm the cache (fails on purpose)', hosts: ['web1'], needs: ['greet'], run: 'echo cache unreachable >&2\nexit 3' },
  ]);
  const doc = parse(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as { baseline: unknown[]; metadata: Record<string, string> };
  doc.metadata['title'] = `Handover test ${CANARY}`;
  doc.baseline.push({ id: 'no-hostname-file', title: 'No /etc/hostname (fails on purpose)', type: 'command', run: 'test ! -e /etc/hostname' });
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

async function runToHandover(): Promise<{ runId: string; seq: number }> {
  const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: planDir() }, acknowledgeUntrusted: { note: 'test plan' } });
  const { runId } = await call(core, 'runs.create', { planHash: plan.hash });
  let { seq } = await call(core, 'runs.checklist.tick', { runId, expectSeq: 1, itemId: 'ready' });
  ({ seq } = await call(core, 'runs.baseline.run', { runId, expectSeq: seq }));
  await core.runner.idle(runId);
  seq = await acknowledgeAllFlags(core, runId);
  ({ seq } = await call(core, 'runs.baseline.waive', { runId, expectSeq: seq, checkId: 'no-hostname-file', host: 'web1', reason: `the client keeps it ${CANARY}` }));
  ({ seq } = await call(core, 'runs.deploy.start', { runId, expectSeq: seq }));
  for (let round = 0; round < 20; round++) {
    await core.runner.idle(runId);
    const { state, head } = await call(core, 'runs.get', { runId });
    const question = state.questions[0];
    if (question === undefined) return { runId, seq: head.seq };
    await call(core, 'runs.answer', { runId, expectSeq: head.seq, questionId: question.id, answer: { kind: 'failure', decision: 'skip', reason: `cache warms itself ${CANARY}` } });
  }
  throw new Error('the run kept asking questions');
}

describe('handover and the report of a real run', () => {
  it('ticks the handover with the client, signs off both roles, reaches done, and exports a bundle OpenSSH verifies', async () => {
    const { runId, seq: atHandover } = await runToHandover();
    expect(journalState(runId).phase).toBe('handover');

    let seq = atHandover;
    // Signing before the items are ticked is allowed; done waits for everything.
    ({ seq } = await call(core, 'runs.handover.signOff', { runId, expectSeq: seq, role: 'technician', name: 'Tess Tech', signaturePng: PNG.toString('base64') }));
    await expect(call(core, 'runs.handover.tick', { runId, expectSeq: seq - 1, itemId: 'release-running' })).rejects.toThrow(/JOURNAL_POSITION_STALE/);
    await expect(call(core, 'runs.handover.tick', { runId, expectSeq: seq, itemId: 'no-such-item' })).rejects.toThrow(/INPUT_INVALID/);
    await expect(call(core, 'runs.handover.signOff', { runId, expectSeq: seq, role: 'mayor', name: 'X' })).rejects.toThrow(/INPUT_INVALID/);
    await expect(call(core, 'runs.handover.signOff', { runId, expectSeq: seq, role: 'client-operations', name: 'X', signaturePng: Buffer.from('GIF89a').toString('base64') })).rejects.toThrow(/not a PNG/);
    const oversized = Buffer.concat([PNG, Buffer.alloc(260 * 1024)]).toString('base64');
    await expect(call(core, 'runs.handover.signOff', { runId, expectSeq: seq, role: 'client-operations', name: 'X', signaturePng: oversized })).rejects.toThrow(/at most 262144 fit/);
    ({ seq } = await call(core, 'runs.handover.tick', { runId, expectSeq: seq, itemId: 'release-running', note: `seen by Claire ${CANARY}` }));
    ({ seq } = await call(core, 'runs.handover.tick', { runId, expectSeq: seq, itemId: 'rollback-explained' }));
    expect(journalState(runId).phase).toBe('handover');
    ({ seq } = await call(core, 'runs.handover.signOff', { runId, expectSeq: seq, role: 'client-operations', name: 'Claire Ops', title: 'Head of operations' }));
    const done = journalState(runId);
    expect(done.phase).toBe('done');
    expect(done.headSeq).toBe(seq);
    // What the UI asks for is the same as the journal says.
    const live = await call(core, 'runs.get', { runId });
    expect(live).toMatchObject({ head: { seq }, state: { phase: 'done' } });
    expect(done.signOffs['technician']?.signature?.pngBase64).toBe(PNG.toString('base64'));
    await expect(call(core, 'runs.handover.tick', { runId, expectSeq: seq, itemId: 'monitoring-checked' })).rejects.toThrow(/RUN_PHASE_WRONG/);

    const exported = await call(core, 'reports.export', { runId, outDir: join(work, 'out') });
    expect(exported.exportSeq).toBe(1);

    // OpenSSH's own verifier accepts the signature.
    const allowed = join(work, 'allowed_signers');
    writeFileSync(allowed, `${identity.allowedSignersLine()}\n`);
    const ssh = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', identity.name, '-n', 'fieldrun-report', '-s', join(exported.bundleDir, 'manifest.json.sig')], {
      input: readFileSync(join(exported.bundleDir, 'manifest.json')),
      encoding: 'utf8',
    });
    if (ssh.error !== undefined) throw new Error(`ssh-keygen is missing: apt-get install openssh-client (${ssh.error.message})`);
    expect(ssh.stdout + ssh.stderr).toContain('Good "fieldrun-report" signature');
    expect(ssh.status).toBe(0);
    const verdict = await verifyBundle(exported.bundleDir, { allowedSigners: `${identity.allowedSignersLine()}\n` });
    expect(verdict.status).toBe('trusted');
    expect(readFileSync(join(exported.bundleDir, 'attachments', 'signoff-technician.png')).equals(PNG)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(exported.bundleDir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> };
    expect(manifest.files.map((f) => f.path)).toContain('attachments/signoff-technician.png');

    // report.json: the box score and every deviation with its reason.
    const report = JSON.parse(readFileSync(join(exported.bundleDir, 'report.json'), 'utf8')) as {
      summary: Record<string, number>;
      phase: string;
      deviations: Array<{ kind: string; subject: string; reason: string }>;
      handover: { signOffs: Array<{ role: string; name: string | null }> };
      technician: { keyFingerprint: string };
      journal: { headSeq: number };
    };
    expect(report.phase).toBe('done');
    expect(report.summary).toEqual({ passed: 2, failed: 0, waived: 1, skipped: 1, unknown: 0 });
    expect(report.deviations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'waiver', subject: 'no-hostname-file@web1', reason: `the client keeps it ${CANARY}` }),
        expect.objectContaining({ kind: 'skip', subject: 'warm-cache@web1', reason: `cache warms itself ${CANARY}` }),
        expect.objectContaining({ kind: 'untrusted-plan-acknowledged', reason: 'test plan' }),
      ]),
    );
    expect(report.handover.signOffs.map((s) => s.name)).toEqual(['Tess Tech', 'Claire Ops']);
    expect(report.technician.keyFingerprint).toBe(identity.fingerprint);
    expect(report.journal.headSeq).toBe(seq);

    // The HTML shows the markup as text and shows the start and end of the output.
    const html = readFileSync(join(exported.bundleDir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<img src=x/i);
    expect(html).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(html).toContain('line 1\n');
    expect(html).toContain('line 40');
    expect(html).toMatch(/lines in the bundle/);
    expect(html).toContain('<img class="sig" alt="signature" src="data:image/png;base64,');
    const junit = readFileSync(join(exported.bundleDir, 'baseline.junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="[^"]+\.web1" name="no-hostname-file">\s*<skipped message="waived: the client keeps it &lt;script&gt;/);

    // The export is in the journal and in the outbox, together.
    const after = journalState(runId);
    expect(after.exports).toEqual([expect.objectContaining({ exportSeq: 1, outboxId: exported.outboxId })]);
    const outbox = createOutboxRepository(core.store.db, { nowUtc: () => new Date() }).list();
    expect(outbox.map((e) => [e.runId, e.exportSeq, e.state])).toEqual([[runId, 1, 'queued']]);
  });

  it('exports an aborted run too, and refuses handover calls outside the handover phase', async () => {
    const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: planDir() }, acknowledgeUntrusted: { note: 'test plan' } });
    const { runId } = await call(core, 'runs.create', { planHash: plan.hash });
    await expect(call(core, 'runs.handover.tick', { runId, expectSeq: 1, itemId: 'release-running' })).rejects.toThrow(/RUN_PHASE_WRONG/);
    const { seq } = await call(core, 'runs.abort', { runId, expectSeq: 1, reason: 'client postponed the visit' });
    expect(journalState(runId).phase).toBe('aborted');
    const exported = await call(core, 'reports.export', { runId, outDir: join(work, 'out') });
    expect((await verifyBundle(exported.bundleDir, { allowedSigners: `${identity.allowedSignersLine()}\n` })).status).toBe('trusted');
    const report = JSON.parse(readFileSync(join(exported.bundleDir, 'report.json'), 'utf8')) as { phase: string; abortReason: string; deviations: Array<{ kind: string }> };
    expect(report.phase).toBe('aborted');
    expect(report.abortReason).toBe('client postponed the visit');
    expect(journalState(runId).headSeq).toBe(seq + 1);
    expect(createOutboxRepository(core.store.db, { nowUtc: () => new Date() }).list().filter((e) => e.runId === runId)).toHaveLength(1);
  });
});
