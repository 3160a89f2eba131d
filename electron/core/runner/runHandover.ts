import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { Plan } from '../../../shared/plan';
import { MAX_SIGNATURE_PNG_BYTES, type RunState } from '../../../shared/run';
import type { NewRunEvent } from './runJournalWriter';

// Handover with the client's operations staff: the items ticked together and the sign-offs the
// plan asks for. The decisions are pure (plan + folded state → events), so whoever holds the
// run's recorder commits them with the caller's expected journal position. When the last
// required item is ticked and the last role has signed, the same commit moves the run to done.

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function requireHandoverPhase(state: RunState, what: string): void {
  if (state.phase !== 'handover') {
    throw new AppError('RUN_PHASE_WRONG', `The run is in its ${state.phase ?? 'unknown'} phase, so it cannot ${what} now; handover comes after the deployment.`, {
      phase: state.phase,
      allowed: ['handover'],
    });
  }
}

/** Whether the plan's handover is complete in this state: every required item ticked, every role signed. */
export function handoverComplete(plan: Plan, state: RunState): boolean {
  return plan.handover.items.every((item) => !item.required || state.handover[item.id] !== undefined) && plan.handover.signOff.every((s) => state.signOffs[s.role] !== undefined);
}

/** The phase change that follows `events` if they complete the handover. */
function withDone(plan: Plan, state: RunState, events: NewRunEvent[], after: RunState): NewRunEvent[] {
  return handoverComplete(plan, after) && !handoverComplete(plan, state) ? [...events, { type: 'run.phase', payload: { phase: 'done' } }] : events;
}

export function handoverTickEvents(plan: Plan, state: RunState, itemId: string, note?: string): NewRunEvent[] {
  requireHandoverPhase(state, 'tick a handover item');
  if (!plan.handover.items.some((item) => item.id === itemId)) throw new AppError('INPUT_INVALID', `The plan's handover has no item ${itemId}.`, { itemId });
  const after: RunState = { ...state, handover: { ...state.handover, [itemId]: { itemId, note: note ?? '', seq: 0, timeUtc: '' } } };
  return withDone(plan, state, [{ type: 'handover.ticked', payload: { itemId, ...(note === undefined ? {} : { note }) } }], after);
}

export interface SignOffInput {
  readonly role: string;
  readonly name: string;
  readonly title?: string;
  /** A drawn signature as base64 PNG. */
  readonly signaturePng?: string;
}

export function signOffEvents(plan: Plan, state: RunState, input: SignOffInput): NewRunEvent[] {
  requireHandoverPhase(state, 'sign off');
  const roles = plan.handover.signOff.map((s) => s.role);
  if (!roles.includes(input.role)) throw new AppError('INPUT_INVALID', `The plan asks no sign-off from ${input.role}; it asks from ${roles.join(', ') || 'nobody'}.`, { role: input.role, roles });
  let signature: { pngBase64: string; sha256: string } | undefined;
  if (input.signaturePng !== undefined) {
    const bytes = Buffer.from(input.signaturePng, 'base64');
    if (bytes.length > MAX_SIGNATURE_PNG_BYTES) {
      throw new AppError('INPUT_INVALID', `The drawn signature is ${bytes.length} bytes; at most ${MAX_SIGNATURE_PNG_BYTES} fit. Draw it again at a smaller size.`, { bytes: bytes.length });
    }
    if (bytes.length < PNG_MAGIC.length || !bytes.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) {
      throw new AppError('INPUT_INVALID', 'The drawn signature is not a PNG image. Draw it again.', {});
    }
    // Re-encoded from the bytes, so what is journaled is exactly what was checked.
    signature = { pngBase64: bytes.toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  const signed = { role: input.role, name: input.name, ...(input.title === undefined ? {} : { title: input.title }), ...(signature === undefined ? {} : { signature }) };
  const after: RunState = { ...state, signOffs: { ...state.signOffs, [input.role]: { ...signed, seq: 0, timeUtc: '' } } };
  return withDone(plan, state, [{ type: 'handover.signedOff', payload: signed }], after);
}
