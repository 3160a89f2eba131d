import { basename, dirname, join } from 'node:path';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { AppError } from '../../../../shared/errors';
import { foldRun, type RunEventPayload, type RunState } from '../../../../shared/run';
import type { SigningIdentity } from '../../keys';
import { loadRunPlan } from '../../runner/runPlan';
import type { Store } from '../../store';
import { siteSlug, type WallClock } from '../../sync';
import { enqueueExport, nextExportSeq } from '../../sync/outbox';
import { exportStoredRun } from '../exportStoredRun';
import { AttachmentStore, bundleAttachmentsOf, inlineImagesOf } from '../attachments';
import { renderBaselineJunit } from './baselineJunit';
import { excerptOf, type OutputExcerpt, type StreamReader } from './outputExcerpt';
import { renderReportHtml } from './reportHtml';
import { buildReport } from './reportModel';

// One export of a run, from any phase: the report's content from the journal, the signed bundle,
// then the export recorded in the journal and queued in the outbox in one transaction, so an
// export is either both recorded and queued, or neither.

export interface ExportRunReportInput {
  readonly store: Store;
  readonly runId: string;
  readonly outParent: string;
  readonly identity: SigningIdentity;
  readonly appVersion: string;
  readonly clock?: WallClock;
  /** Values that must appear nowhere in the bundle (the run's secrets). */
  readonly secrets?: readonly string[];
  /** Appends the report.exported event (inside the export's transaction); the store's journal by default. */
  readonly recordExport?: (payload: RunEventPayload<'report.exported'>) => number;
}

export interface RunReportExport {
  readonly bundleDir: string;
  readonly archivePath: string;
  readonly exportSeq: number;
  readonly outboxId: number;
  readonly seq: number;
}

function excerptsOf(store: Store, runId: string, state: RunState): Map<string, OutputExcerpt> {
  const lengths = new Map(store.output.streams(runId).map((s) => [s.stream, s.length]));
  const reader: StreamReader = {
    length: (stream) => lengths.get(stream) ?? 0,
    read: (stream, offset, length) => store.output.read(runId, stream, { offset, length }),
  };
  const streams = [...Object.values(state.instances).flatMap((i) => (i.streams === undefined ? [] : [i.streams])), ...state.adhoc.map((a) => a.streams)];
  const excerpts = new Map<string, OutputExcerpt>();
  for (const { stdout, stderr } of streams) for (const stream of [stdout, stderr]) if (lengths.has(stream)) excerpts.set(stream, excerptOf(reader, stream));
  return excerpts;
}

export async function exportRunReport(input: ExportRunReportInput): Promise<RunReportExport> {
  const { store, runId, identity } = input;
  const clock = input.clock ?? { nowUtc: () => new Date() };
  const run = store.runs.get(runId);
  if (run === undefined) throw new AppError('RUN_NOT_FOUND', `There is no run ${runId} in this data folder. Pick the run again from the list of runs.`, { runId });
  const events = store.journal.events(runId);
  const eventTimes = new Map<number, string>();
  const state = foldRun(
    (function* () {
      for (const event of events) {
        eventTimes.set(event.seq, event.timeUtc);
        yield event;
      }
    })(),
  );
  const plan = loadRunPlan(store, run.planHash);
  const stored = store.plans.get(run.planHash);
  const acknowledgement = stored?.acknowledgement;
  const ackNote = typeof acknowledgement === 'object' && acknowledgement !== null && 'note' in acknowledgement && typeof acknowledgement.note === 'string' ? acknowledgement.note : undefined;
  const report = buildReport(
    {
      plan,
      planHash: run.planHash,
      state,
      technician: { name: identity.name, keyFingerprint: identity.fingerprint },
      appVersion: input.appVersion,
      generatedAt: clock.nowUtc().toISOString(),
      ...(stored === undefined ? {} : { planSignature: `plan signature: ${stored.signature.status}` }),
      ...(ackNote === undefined ? {} : { planAcknowledgement: ackNote }),
    },
    eventTimes,
  );
  const signatures = new Map(Object.values(state.signOffs).flatMap((s) => (s.signature === undefined ? [] : [[s.role, s.signature.pngBase64] as const])));
  // The technician's photos and files, each checked to be in the data folder before anything is written.
  const attachmentStore = new AttachmentStore(store.dataDir);
  const attached = await bundleAttachmentsOf(state.attachments, attachmentStore);
  const attachmentImages = await inlineImagesOf(state.attachments, attachmentStore);
  const exportSeq = nextExportSeq(store, runId);
  // The drawn sign-offs also go in as image files, listed in the signed manifest like any file.
  const imageDir = mkdtempSync(join(tmpdir(), 'fieldrun-signoffs-'));
  const attachments = [...signatures].map(([role, png]) => {
    const localPath = join(imageDir, `signoff-${role}.png`);
    writeFileSync(localPath, Buffer.from(png, 'base64'));
    return { name: `signoff-${role}.png`, localPath };
  });
  const written = await exportStoredRun({
    store,
    runId,
    outParent: input.outParent,
    exportSeq,
    reportJson: report,
    reportHtml: renderReportHtml({ report, excerpts: excerptsOf(store, runId, state), signatures, attachmentImages }),
    junitXml: renderBaselineJunit(report),
    identity,
    appVersion: input.appVersion,
    attachments: [...attachments, ...attached],
    ...(input.secrets === undefined ? {} : { secrets: input.secrets }),
  }).finally(() => rmSync(imageDir, { recursive: true, force: true }));
  // The archive holds the whole signed bundle (outputs included), so it is what head office gets.
  const archiveName = basename(written.archivePath);
  const entry = {
    runId,
    exportSeq,
    siteSlug: siteSlug(plan.metadata.site),
    bundleDir: dirname(written.archivePath),
    files: [{ name: archiveName, size: statSync(written.archivePath).size, sha256: written.archiveSha256 }],
    signatureName: archiveName,
  };
  const recorded = store.db.transaction(() => {
    const queued = enqueueExport(store, entry, clock);
    const payload = { exportSeq, manifestSha256: written.manifestSha256, archiveSha256: written.archiveSha256, outboxId: queued.id };
    const seq = input.recordExport === undefined ? store.journal.append(runId, { type: 'report.exported', payload }).seq : input.recordExport(payload);
    return { outboxId: queued.id, seq };
  })();
  return { bundleDir: written.dir, archivePath: written.archivePath, exportSeq, ...recorded };
}
