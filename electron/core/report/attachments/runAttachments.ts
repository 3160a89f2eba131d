import { AppError } from '../../../../shared/errors';
import { attachmentIdOf, type AttachmentTarget, type RunAttachment, type RunState } from '../../../../shared/run';
import type { UploadArea } from '../../files/uploadArea';
import type { Plan } from '../../../../shared/plan';
import type { NewRunEvent } from '../../runner/runJournalWriter';
import { loadRunPlan } from '../../runner/runPlan';
import type { Store } from '../../store';
import type { AttachmentStore } from './attachmentStore';
import { requireTargetInPlan } from './attachmentTarget';

// Adding, listing and reading a run's attachments. The bytes are stored (by hash) before the event
// that names them is committed, so the journal never points at a file that is not there; bytes
// stored for an event that was then refused (the run moved on) wait, harmlessly, to be attached again.

/** More than this many attachments on one run is a page gone wrong, not a site visit. */
export const MAX_ATTACHMENTS_PER_RUN = 1000;
/** A read answers at most this many bytes (a larger file is read in ranges). */
export const MAX_ATTACHMENT_READ_BYTES = 4 * 1024 * 1024;

/** The run's current state (the runner's cached one); throws RUN_NOT_FOUND for a run not in this data folder. */
export type RunStateOf = (runId: string) => RunState;

/** Commits events decided against the run's plan and state at the caller's expected journal position (the runner's record). */
export type RecordRunEvents = (runId: string, expectSeq: number | undefined, decide: (plan: Plan, state: RunState) => NewRunEvent[]) => number;

export interface RunAttachmentPorts {
  readonly store: Store;
  readonly runState: RunStateOf;
  readonly uploads: UploadArea;
  readonly attachments: AttachmentStore;
  readonly record: RecordRunEvents;
}

export interface AddAttachmentInput {
  readonly runId: string;
  readonly expectSeq: number;
  readonly target: AttachmentTarget;
  readonly uploadId: string;
  readonly caption?: string;
}

/**
 * Why nothing may be attached to the run in this state, or undefined. Once the run is over, or the
 * client has signed, a new photo would change the content of what was signed or closed.
 */
export function attachmentsClosedBecause(state: RunState): string | undefined {
  const signed = Object.keys(state.signOffs);
  if (signed.length > 0) return `the handover was already signed off (by ${signed.join(', ')}), and a file added now would change what they signed`;
  if (state.phase === 'done' || state.phase === 'aborted' || state.phase === 'rolled-back') return `the run is ${state.phase === 'done' ? 'done' : state.phase}, and its record is closed`;
  return undefined;
}

function requireAttachmentsOpen(state: RunState, runId: string): void {
  const why = attachmentsClosedBecause(state);
  if (why !== undefined) {
    throw new AppError('RUN_PHASE_WRONG', `Nothing can be attached to run ${runId} any more: ${why}. Hand the file over separately, or note it in a new run.`, { runId, phase: state.phase });
  }
}

export async function addAttachment(ports: RunAttachmentPorts, input: AddAttachmentInput): Promise<{ seq: number; attachment: RunAttachment }> {
  const run = ports.store.runs.get(input.runId);
  if (run === undefined) throw new AppError('RUN_NOT_FOUND', `There is no run ${input.runId} in this data folder. Pick the run again from the list of runs.`, { runId: input.runId });
  // Refused before any byte is copied; checked again when the event is decided.
  requireTargetInPlan(loadRunPlan(ports.store, run.planHash), input.target);
  requireAttachmentsOpen(ports.runState(input.runId), input.runId);
  const { path: source, name } = ports.uploads.finished(input.uploadId);
  let stored;
  try {
    stored = await ports.attachments.put(source, name);
  } catch (error) {
    // An upload that can never be attached is dropped; one refused for a passing reason is kept for a retry.
    if (error instanceof AppError && (error.code === 'ATTACHMENT_TOO_LARGE' || error.code === 'INPUT_INVALID')) ports.uploads.discard(input.uploadId);
    throw error;
  }
  const payload = {
    target: input.target,
    name,
    mediaType: stored.mediaType,
    size: stored.size,
    sha256: stored.sha256,
    ...(input.caption === undefined || input.caption === '' ? {} : { caption: input.caption }),
  };
  const seq = ports.record(input.runId, input.expectSeq, (plan, state) => {
    requireTargetInPlan(plan, input.target);
    requireAttachmentsOpen(state, input.runId);
    if (state.attachments.length >= MAX_ATTACHMENTS_PER_RUN) {
      throw new AppError('INPUT_INVALID', `This run already has ${state.attachments.length} attachments, the most one run may have. Put several photos into one PDF instead.`, {
        limit: MAX_ATTACHMENTS_PER_RUN,
      });
    }
    return [{ type: 'attachment.added', payload }];
  });
  ports.uploads.discard(input.uploadId);
  const attachment = ports.runState(input.runId).attachments.find((a) => a.id === attachmentIdOf(seq));
  if (attachment === undefined) throw new AppError('INTERNAL', 'The attachment was recorded but does not show in the run. This is a bug in Fieldrun; please report it.');
  return { seq, attachment };
}

export function findAttachment(state: RunState, runId: string, id: string): RunAttachment {
  const attachment = state.attachments.find((a) => a.id === id);
  if (attachment === undefined) throw new AppError('ATTACHMENT_NOT_FOUND', `Run ${runId} has no attachment ${id}. Look at the run's attachments again.`, { runId, id });
  return attachment;
}

export async function readAttachment(
  ports: Pick<RunAttachmentPorts, 'runState' | 'attachments'>,
  input: { readonly runId: string; readonly id: string; readonly offset?: number; readonly length?: number },
): Promise<{ mediaType: string; size: number; offset: number; data: string }> {
  const attachment = findAttachment(ports.runState(input.runId), input.runId, input.id);
  const offset = input.offset ?? 0;
  if (offset > attachment.size) {
    throw new AppError('INPUT_INVALID', `Attachment ${input.id} is ${attachment.size} bytes; there is nothing at byte ${offset}.`, { size: attachment.size, offset });
  }
  const length = Math.min(input.length ?? MAX_ATTACHMENT_READ_BYTES, MAX_ATTACHMENT_READ_BYTES, attachment.size - offset);
  const bytes = await ports.attachments.readRange(attachment, offset, length);
  return { mediaType: attachment.mediaType, size: attachment.size, offset, data: bytes.toString('base64') };
}
