// The fixture of reportScale.spec.ts, run as a script (`npx tsx test/e2e/reportScaleFixture.ts
// <work dir>`) so the spec's browser process stays free of SQLite: a real core on a fresh data
// folder, a plan of 500 steps imported as the app imports it, a run whose journal records every
// step with its output (200 MiB in all, through the output store, digested in each end event, as
// the runner records it), and the report exported through reports.export. Prints one JSON line.
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { parse, stringify } from 'yaml';
import type { DispatchResult, MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { createCore, type Core } from '../../electron/core/core';
import { makeIdentity } from '../core/report/bundleFixture';

export const SCALE_STEPS = 500;
export const SCALE_OUTPUT_BYTES = 200 * 1024 * 1024;

export interface ScaleFixtureResult {
  readonly bundleDir: string;
  readonly reportHtmlBytes: number;
  readonly outputBytes: number;
  readonly steps: number;
  readonly recordMs: number;
  readonly exportMs: number;
}

async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result: DispatchResult = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code}: ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

function planDir(work: string): string {
  const dir = join(work, 'plan');
  cpSync(resolve('resources/plans/example-plan'), dir, { recursive: true });
  const doc = parse(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as Record<string, unknown>;
  doc['steps'] = Array.from({ length: SCALE_STEPS }, (_, i) => ({
    id: `part-${String(i + 1).padStart(3, '0')}`,
    title: `Install part ${i + 1} of the release`,
    hosts: [i % 2 === 0 ? 'web1' : 'web2'],
    ...(i === 0 ? {} : { needs: [`part-${String(i).padStart(3, '0')}`] }),
    run: `./install-part.sh ${i + 1}`,
  }));
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

/** About `bytes` of build-log-like text for one step: lines that differ, as real output does. */
function stepOutput(step: number, bytes: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let line = 0; size < bytes; line++) {
    const text = `[part ${step}] ${String(line).padStart(6, '0')} unpacking layer ${(step * 7919 + line * 104729) % 1_000_003} of the shop release … ok\n`;
    lines.push(text);
    size += text.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

/** A real PNG (a 64×48 colour gradient), so the browser has pixels to decode. */
export function gradientPng(width = 64, height = 48): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])));
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push((x * 4) & 0xff, (y * 5) & 0xff, 160);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

async function attach(core: Core, runId: string, target: MethodInput<'runs.attachments.add'>['target'], name: string, bytes: Buffer): Promise<void> {
  const { uploadId } = await call(core, 'files.upload.begin', { name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  await call(core, 'files.upload.chunk', { uploadId, offset: 0, data: bytes.toString('base64') });
  await call(core, 'files.upload.finish', { uploadId });
  const { head } = await call(core, 'runs.get', { runId });
  await call(core, 'runs.attachments.add', { runId, expectSeq: head.seq, target, uploadId, caption: `${name} taken on site` });
}

export async function buildScaleFixture(work: string): Promise<ScaleFixtureResult> {
  const identity = await makeIdentity(work);
  const core = createCore({ dataDir: join(work, 'data'), appVersion: '0.1.0-scale', signing: { identity } });
  try {
    const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: planDir(work) }, acknowledgeUntrusted: { note: 'scale test plan' } });
    const { runId } = await call(core, 'runs.create', { planHash: plan.hash });
    const started = performance.now();
    const { journal, output } = core.store;
    const perStep = Math.floor(SCALE_OUTPUT_BYTES / SCALE_STEPS);
    let outputBytes = 0;
    // Output first, then the events in one commit: the same journal as a live run writes, made faster.
    const events: Parameters<typeof journal.appendMany>[1][number][] = [{ type: 'run.phase', payload: { phase: 'deploy' } }];
    for (let i = 1; i <= SCALE_STEPS; i++) {
      const stepId = `part-${String(i).padStart(3, '0')}`;
      const host = i % 2 === 1 ? 'web1' : 'web2';
      const streams = { stdout: `step/${stepId}/${host}/1/stdout`, stderr: `step/${stepId}/${host}/1/stderr` };
      const digests: Record<'stdout' | 'stderr', { length: number; sha256: string }> = { stdout: { length: 0, sha256: '' }, stderr: { length: 0, sha256: '' } };
      for (const [kind, bytes] of [['stdout', stepOutput(i, perStep)], ['stderr', Buffer.from(`warning: part ${i} replaces an older file\n`)]] as const) {
        const writer = output.openWriter(runId, streams[kind]);
        // The runner stores output in bounded chunks as it arrives.
        for (let at = 0; at < bytes.length; at += 64 * 1024) writer.write(bytes.subarray(at, at + 64 * 1024));
        digests[kind] = writer.close();
        outputBytes += bytes.length;
      }
      events.push(
        { type: 'step.started', payload: { stepId, host, attempt: 1, execId: `exec-${i}`, action: 'run', streams } },
        { type: 'step.ended', payload: { stepId, host, attempt: 1, outcome: { kind: 'exited', code: 0 }, output: { stdout: digests.stdout, stderr: digests.stderr } } },
      );
    }
    events.push({ type: 'run.phase', payload: { phase: 'handover' } });
    journal.appendMany(runId, events);
    // Photos as a technician adds them: a step, a checklist item, and a document at handover.
    await attach(core, runId, { kind: 'step', stepId: 'part-250' }, 'cabinet after part 250.png', gradientPng());
    await attach(core, runId, { kind: 'checklist', itemId: 'backup-confirmed' }, 'backup report.png', gradientPng(32, 32));
    await attach(core, runId, { kind: 'handover', itemId: 'release-running' }, 'acceptance.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'));
    const recordMs = performance.now() - started;
    const exportStarted = performance.now();
    const exported = await call(core, 'reports.export', { runId, outDir: join(work, 'out') });
    const exportMs = performance.now() - exportStarted;
    return { bundleDir: exported.bundleDir, reportHtmlBytes: statSync(join(exported.bundleDir, 'report.html')).size, outputBytes, steps: SCALE_STEPS, recordMs, exportMs };
  } finally {
    core.close();
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const work = process.argv[2];
  if (work === undefined) throw new Error('usage: npx tsx test/e2e/reportScaleFixture.ts <work dir>');
  const result = await buildScaleFixture(work);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
