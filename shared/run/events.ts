import { z } from 'zod';
import { HandoverSignedOffPayload, HandoverTickedPayload, ReportExportedPayload } from './handoverEvents';

// Every fact a run records, one schema per journal event type. The journal is the only truth:
// the run's state is foldRun() over these events, in the core and in the UI alike.

export const RUN_PHASES = ['prepare', 'baseline', 'deploy', 'rollback', 'rolled-back', 'handover', 'done', 'aborted'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

const Name = z.string().min(1).max(200);
const Note = z.string().max(4000);
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const CHECK_STATUSES = ['pass', 'fail', 'error'] as const;

/** How one launch of a step ended. `error`: nothing (or not all) could be done, e.g. an upload failed. */
export const StepOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exited'), code: z.number().int() }),
  z.object({ kind: z.literal('signalled'), signal: z.string() }),
  z.object({ kind: z.literal('unknown'), reason: z.string() }),
  z.object({ kind: z.literal('error'), code: z.string(), message: z.string() }),
  z.object({ kind: z.literal('done'), note: z.string() }),
]);
export type StepOutcome = z.infer<typeof StepOutcomeSchema>;

const StreamDigest = z.object({ length: z.number().int().nonnegative(), sha256: Sha256Hex });

export const QUESTION_KINDS = ['host-key', 'manual', 'confirm', 'failure', 'unknown'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const QuestionAskedPayload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host-key'), host: Name, keyType: z.string(), fingerprint: z.string(), publicKey: z.string() }),
  z.object({ kind: z.literal('manual'), stepId: Name, host: Name, attempt: z.number().int().positive(), instructions: z.string(), during: z.literal('rollback').optional() }),
  z.object({ kind: z.literal('confirm'), stepId: Name, host: Name, attempt: z.number().int().positive(), question: z.string() }),
  /** `during: 'rollback'`: a rollback action failed (or its outcome is unknown). */
  z.object({ kind: z.literal('failure'), stepId: Name, host: Name, attempt: z.number().int().positive(), summary: z.string(), during: z.literal('rollback').optional() }),
  z.object({ kind: z.literal('unknown'), stepId: Name, host: Name, attempt: z.number().int().positive(), summary: z.string(), idempotent: z.boolean() }),
]);
export type QuestionAsked = z.infer<typeof QuestionAskedPayload>;

/** Answers, by the kind of question they answer. */
export const AnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host-key'), decision: z.enum(['accept', 'reject']) }),
  z.object({ kind: z.literal('manual'), done: z.literal(true), note: Note.default('') }),
  z.object({ kind: z.literal('confirm'), confirmed: z.boolean(), note: Note.default('') }),
  z.object({
    kind: z.literal('failure'),
    decision: z.enum(['retry', 'skip', 'abort', 'rollback', 'exclude-host']),
    reason: Note.optional(),
    /** Rolling back past the outage's point of no return is asked twice: this is the second yes. */
    pastPointOfNoReturn: z.literal(true).optional(),
  }),
  z.object({ kind: z.literal('unknown'), decision: z.enum(['retry', 'mark-done', 'abort', 'rollback']), note: Note.optional(), pastPointOfNoReturn: z.literal(true).optional() }),
]);
export type Answer = z.infer<typeof AnswerSchema>;

// A step instance and a rollback action run the same way: started with an execution id and its
// output streams, ended with an outcome and the digests that put the output under the chain.
const InstanceStarted = z.object({
  stepId: Name,
  host: Name,
  attempt: z.number().int().positive(),
  execId: z.string(),
  action: z.enum(['run', 'upload', 'manual']),
  /** Output stream names in the output store. */
  streams: z.object({ stdout: z.string(), stderr: z.string() }).optional(),
});
const InstanceEnded = z.object({
  stepId: Name,
  host: Name,
  attempt: z.number().int().positive(),
  outcome: StepOutcomeSchema,
  output: z.object({ stdout: StreamDigest, stderr: StreamDigest }).optional(),
  upload: z.object({ remotePath: z.string(), bytes: z.number().int().nonnegative(), sha256: Sha256Hex }).optional(),
});

/** What an attachment belongs to: a rollout checklist item, a deployment step or a handover item of the plan. */
export const AttachmentTargetPayload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checklist'), itemId: Name }),
  z.object({ kind: z.literal('step'), stepId: Name }),
  z.object({ kind: z.literal('handover'), itemId: Name }),
]);
export type AttachmentTarget = z.infer<typeof AttachmentTargetPayload>;

/** An attachment's id is the journal position that added it: stable across reloads and processes. */
export const attachmentIdOf = (seq: number): string => `a${seq}`;

export const runEventSchemas = {
  'run.created': z.object({ planHash: Sha256Hex, planId: z.string().optional(), planVersion: z.string().optional(), label: z.string().nullable().optional() }),
  'run.phase': z.object({ phase: z.enum(RUN_PHASES) }),
  'run.aborted': z.object({ reason: Note }),
  'checklist.ticked': z.object({ itemId: Name, note: Note.optional() }),
  /** The technician gave a secret (or a sudo password); its value is never journaled. */
  'secret.provided': z.object({ name: Name }),
  'host.connected': z.object({ host: Name, keyType: z.string(), fingerprint: z.string(), hostKeyVerdict: z.string(), authenticatedWith: z.string() }),
  'host.connectFailed': z.object({ host: Name, code: z.string(), message: z.string() }),
  /** The technician accepts a changed host key: the new fingerprint typed in from the client, and why. */
  'host.keyOverridden': z.object({ host: Name, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/), reason: z.string().trim().min(3) }),
  'host.clock': z.object({ host: Name, hostEpochS: z.number().int(), laptopEpochS: z.number().int(), skewS: z.number().int(), flagged: z.boolean() }),
  'baseline.started': z.object({ checkId: Name, host: Name }),
  'baseline.result': z.object({
    checkId: Name,
    host: Name,
    status: z.enum(CHECK_STATUSES),
    expected: z.string(),
    found: z.string(),
    summary: z.string(),
    command: z.string(),
    exitCode: z.number().int().nullable(),
    /** The start of stdout and stderr, masked; the whole check output is small and bounded. */
    stdoutExcerpt: z.string(),
    stderrExcerpt: z.string(),
    durationMs: z.number().nonnegative(),
  }),
  'baseline.waived': z.object({ checkId: Name, host: Name, reason: z.string().min(1).max(4000) }),
  'step.started': InstanceStarted,
  'step.ended': InstanceEnded,
  /** After an unknown outcome: the step's verify check says whether its effect is in place. */
  'step.verified': z.object({ stepId: Name, host: Name, attempt: z.number().int().positive(), status: z.enum(CHECK_STATUSES), summary: z.string() }),
  'rollback.started': InstanceStarted,
  'rollback.ended': InstanceEnded,
  /** A command the technician ran by hand on a host, with a reason: a deviation in the report. */
  'adhoc.started': z.object({
    adhocId: Name,
    host: Name,
    command: z.string().min(1),
    reason: z.string().min(1),
    execId: z.string(),
    streams: z.object({ stdout: z.string(), stderr: z.string() }),
  }),
  'adhoc.ended': z.object({ adhocId: Name, outcome: StepOutcomeSchema, output: z.object({ stdout: StreamDigest, stderr: StreamDigest }) }),
  /** The technician took a host out of the run (with a reason); its remaining instances are skipped. */
  'host.excluded': z.object({ host: Name, reason: z.string().min(1) }),
  /** The technician acknowledged yellow flags before deployment (unsigned plan, untried steps…). */
  'flags.acknowledged': z.object({ flagIds: z.array(z.string().min(1)).min(1), note: Note }),
  /** The technician changed a run step's command on site, with a reason; later attempts run it. */
  'step.edited': z.object({ stepId: Name, run: z.string().min(1), reason: z.string().min(1) }),
  'step.skipped': z.object({ stepId: Name, host: Name, reason: z.string().min(1) }),
  'question.asked': QuestionAskedPayload,
  'question.answered': z.object({ questionId: Name, answer: AnswerSchema }),
  /** Handover with the client's operations staff (handoverEvents.ts). */
  'handover.ticked': HandoverTickedPayload,
  'handover.signedOff': HandoverSignedOffPayload,
  'report.exported': ReportExportedPayload,
  /** A photo or file the technician attached; its bytes are stored by SHA-256 and go into the report bundle. */
  'attachment.added': z.object({
    target: AttachmentTargetPayload,
    /** The file name as the technician's device gave it (shown escaped; the bundle uses a plain form). */
    name: z.string().min(1).max(255),
    mediaType: z.string().min(1).max(100),
    size: z.number().int().nonnegative(),
    sha256: Sha256Hex,
    caption: z.string().max(1000).optional(),
  }),
} as const;

export type RunEventType = keyof typeof runEventSchemas;
export type RunEventPayload<T extends RunEventType> = z.output<(typeof runEventSchemas)[T]>;
export const RUN_EVENT_TYPES = Object.keys(runEventSchemas) as RunEventType[];

export function isRunEventType(type: string): type is RunEventType {
  return Object.prototype.hasOwnProperty.call(runEventSchemas, type);
}

/** A journal event as the fold needs it (the store's JournalEvent satisfies this). */
export interface RecordedEvent {
  readonly runId: string;
  readonly seq: number;
  readonly timeUtc: string;
  readonly type: string;
  readonly payload: unknown;
  readonly hash: string;
}

/** Question ids are the journal position of the question: stable across reloads and processes. */
export const questionIdOf = (seq: number): string => `q${seq}`;
export const instanceKey = (stepId: string, host: string): string => `${stepId}@${host}`;
export const baselineKey = (checkId: string, host: string): string => `${checkId}@${host}`;
