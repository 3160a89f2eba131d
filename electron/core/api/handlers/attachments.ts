import type { RunAttachment } from '../../../../shared/run';
import type { UploadArea } from '../../files/uploadArea';
import { AttachmentStore } from '../../report/attachments';
import { addAttachment, readAttachment, type RecordRunEvents, type RunStateOf } from '../../report/attachments/runAttachments';
import { exportLocator, findExport, listExports, readArchive, verifyExport } from '../../report/exports/runExports';
import type { Store } from '../../store';
import type { Handlers } from '../dispatch';

type AttachmentMethod = 'runs.attachments.add' | 'runs.attachments.list' | 'runs.attachments.read' | 'reports.list' | 'reports.verify' | 'reports.archive.read';

export interface AttachmentHandlerPorts {
  readonly store: Store;
  /** Where files.upload.* put the photos and files to attach. */
  readonly uploads: UploadArea;
  /** The run's state as the runner holds it (cached, not folded from the journal per call); RUN_NOT_FOUND for an unknown run. */
  readonly runState: RunStateOf;
  /** The runner's record: the run's open session stays current. */
  readonly recordRunEvents: RecordRunEvents;
  /** This laptop's signing public key (OpenSSH line), the one signer reports.verify trusts; undefined when none is set up. */
  readonly signerPublicKey: () => string | undefined | Promise<string | undefined>;
}

const summaryOf = (a: RunAttachment) => ({ id: a.id, target: a.target, name: a.name, mediaType: a.mediaType, size: a.size, sha256: a.sha256, caption: a.caption, addedAt: a.timeUtc });

/** Attachments of a run, and the report screen's calls on its exports: list, verify, download in ranges. */
export function attachmentHandlers(ports: AttachmentHandlerPorts): Pick<Handlers, AttachmentMethod> {
  const { store, runState } = ports;
  const attachments = new AttachmentStore(store.dataDir);
  attachments.sweepIncoming();
  const locate = exportLocator(store);
  return {
    'runs.attachments.add': async ({ runId, expectSeq, target, uploadId, caption }) => {
      const added = await addAttachment(
        { store, runState, uploads: ports.uploads, attachments, record: ports.recordRunEvents },
        { runId, expectSeq, target, uploadId, ...(caption === undefined ? {} : { caption }) },
      );
      return { seq: added.seq, attachment: summaryOf(added.attachment) };
    },
    'runs.attachments.list': ({ runId }) => ({ attachments: runState(runId).attachments.map(summaryOf) }),
    'runs.attachments.read': ({ runId, id, offset, length }) =>
      readAttachment({ runState, attachments }, { runId, id, ...(offset === undefined ? {} : { offset }), ...(length === undefined ? {} : { length }) }),
    'reports.list': ({ runId }) => ({
      exports: listExports(locate, runId, runState(runId)).map((e) => ({
        exportSeq: e.exportSeq,
        exportedAt: e.exportedAt,
        bundleDir: e.bundleDir,
        archivePath: e.archivePath,
        archiveSize: e.archiveSize,
        manifestSha256: e.manifestSha256,
      })),
    }),
    'reports.verify': async ({ runId, exportSeq }) => {
      const verdict = await verifyExport(findExport(locate, runId, runState(runId), exportSeq), await ports.signerPublicKey());
      return { ok: verdict.ok, signerFingerprint: verdict.signerFingerprint, lines: verdict.lines, ...(verdict.failure === undefined ? {} : { failure: verdict.failure }) };
    },
    'reports.archive.read': ({ runId, exportSeq, offset, length }) => readArchive(findExport(locate, runId, runState(runId), exportSeq), offset, length),
  };
}
