// The canary run's child process (not a test file): the core as the app runs it, driven through
// dispatch only, in its own process so that everything it prints can be captured and scanned.
// Reads its instructions as JSON on stdin (never on the command line), writes what it made to
// `resultPath`, and prints nothing of its own: whatever reaches stdout or stderr is the core's.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core } from '../../../electron/core/core';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import type { OpenQuestion } from '../../../shared/run';

export interface CanaryRunInput {
  readonly dataDir: string;
  readonly planDir: string;
  readonly keyPath: string;
  readonly keyPassphrase: string;
  readonly identityPassphrase: string;
  readonly technician: string;
  readonly secrets: Readonly<Record<string, string>>;
  readonly sudoPassword: string;
  /** Where the database, its -wal and -shm are copied while the core still has them open. */
  readonly databaseCopyDir: string;
  readonly resultPath: string;
}

export interface CanaryRunResult {
  readonly runId: string;
  readonly phase: string;
  readonly instances: Record<string, string>;
  readonly bundleDir: string;
  readonly archivePath: string;
  readonly diagnosticsPath: string;
  readonly allowedSignersLine: string;
  readonly databaseCopies: string[];
  /** Every refusal the run met on purpose, as it crossed the boundary (scanned for secrets too). */
  readonly refusals: Array<{ method: string; code: string; error: string }>;
}

// A 1×1 PNG: the drawn signature, which export writes to a temp folder before bundling.
const SIGNATURE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.dispatch(method, input);
  // Only the method and code leave the process (the test reads them from the result file).
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code}`);
  return result.value as MethodOutput<M>;
}

function answerFor(question: OpenQuestion): MethodInput<'runs.answer'>['answer'] {
  switch (question.kind) {
    case 'manual':
      return { kind: 'manual', done: true, note: `done: ${question.stepId}` };
    case 'confirm':
      return { kind: 'confirm', confirmed: true, note: 'seen it' };
    case 'failure':
      return { kind: 'failure', decision: 'retry' };
    default:
      throw new Error(`unexpected question ${question.kind}`);
  }
}

async function run(input: CanaryRunInput): Promise<CanaryRunResult> {
  const core = createCore({
    dataDir: input.dataDir,
    strictOutputs: true,
    appVersion: '0.0.0-canary',
    // As the browser-mode host does: the method and the kind of failure, nothing else.
    onInternalError: (method, error) => process.stderr.write(`Internal error in ${method} (${error instanceof Error ? error.name : typeof error}).\n`),
    runner: { checkTimeoutMs: 30_000 },
  });
  const refusals: CanaryRunResult['refusals'] = [];
  const refused = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<void> => {
    const result = await core.dispatch(method, input);
    if (result.ok) throw new Error(`${method} was accepted, though it should have been refused`);
    refusals.push({ method, code: result.error.code, error: JSON.stringify(result.error) });
  };
  try {
    // Typing mistakes first: a wrong key passphrase, and a signer name with a space (given with the real passphrase).
    await refused('credentials.set', { name: 'lab', credential: { kind: 'keyFile', path: input.keyPath, passphrase: `${input.keyPassphrase}!` }, appliesTo: { all: true } });
    await refused('identity.create', { technician: 'Tess Tech', passphrase: input.identityPassphrase });
    // As the technician does in the Connect screen: the key file and its passphrase, for every host.
    await call(core, 'credentials.set', { name: 'lab', credential: { kind: 'keyFile', path: input.keyPath, passphrase: input.keyPassphrase }, appliesTo: { all: true } });
    const identity = await call(core, 'identity.create', { technician: input.technician, passphrase: input.identityPassphrase });
    const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: input.planDir }, acknowledgeUntrusted: { note: 'canary plan' } });
    const { runId } = await call(core, 'runs.create', { planHash: plan.hash, label: 'canary' });
    let { seq } = await call(core, 'runs.checklist.tick', { runId, expectSeq: 1, itemId: 'ready', note: 'ready' });
    await call(core, 'runs.baseline.run', { runId, expectSeq: seq });
    await core.runner.idle(runId);
    const { flags } = await call(core, 'runs.flags.get', { runId });
    ({ seq } = (await call(core, 'runs.get', { runId })).head);
    if (flags.length > 0) ({ seq } = await call(core, 'runs.flags.acknowledge', { runId, expectSeq: seq, flagIds: flags.map((f) => f.id), note: 'read' }));
    ({ seq } = await call(core, 'runs.secrets.provide', { runId, values: { ...input.secrets, sudo: input.sudoPassword } }));
    await call(core, 'runs.deploy.start', { runId, expectSeq: seq });
    for (let round = 0; ; round++) {
      if (round > 30) throw new Error('the run kept asking questions');
      await core.runner.idle(runId);
      const { state, head } = await call(core, 'runs.get', { runId });
      const question = state.questions[0];
      if (question === undefined) break;
      await call(core, 'runs.answer', { runId, expectSeq: head.seq, questionId: question.id, answer: answerFor(question) });
    }
    ({ seq } = (await call(core, 'runs.get', { runId })).head);
    ({ seq } = await call(core, 'runs.handover.tick', { runId, expectSeq: seq, itemId: 'release-running', note: 'seen by the client' }));
    ({ seq } = await call(core, 'runs.handover.tick', { runId, expectSeq: seq, itemId: 'rollback-explained' }));
    ({ seq } = await call(core, 'runs.handover.signOff', { runId, expectSeq: seq, role: 'technician', name: 'Tess Tech', signaturePng: SIGNATURE_PNG }));
    await call(core, 'runs.handover.signOff', { runId, expectSeq: seq, role: 'client-operations', name: 'Claire Ops' });
    const { state } = await call(core, 'runs.get', { runId });

    const exported = await call(core, 'reports.export', { runId });
    const diagnostics = await call(core, 'diagnostics.export', {});

    // Copied while the core holds the database open, so the write-ahead log is still there.
    mkdirSync(input.databaseCopyDir, { recursive: true });
    const databaseCopies = ['', '-wal', '-shm'].map((suffix) => {
      const copy = join(input.databaseCopyDir, `fieldrun.db${suffix}`);
      copyFileSync(`${core.store.dbPath}${suffix}`, copy);
      return copy;
    });
    return {
      runId,
      phase: state.phase ?? 'unknown',
      instances: Object.fromEntries(Object.values(state.instances).map((i) => [`${i.stepId}@${i.host}`, i.state])),
      bundleDir: exported.bundleDir,
      archivePath: exported.archivePath,
      diagnosticsPath: diagnostics.path,
      allowedSignersLine: identity.allowedSignersLine ?? '',
      databaseCopies,
      refusals,
    };
  } finally {
    core.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const input = JSON.parse(await readStdin()) as CanaryRunInput;
try {
  writeFileSync(input.resultPath, JSON.stringify({ ok: true, result: await run(input) }));
} catch (error) {
  writeFileSync(input.resultPath, JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
}
