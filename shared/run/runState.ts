import type { Answer, AttachmentTarget, QuestionAsked, RunPhase, StepOutcome } from './events';

// The state of a run as folded from its journal (foldRun). Plain data, JSON-safe, so the core
// hands it to the UI as is.

export interface ChecklistTick {
  readonly itemId: string;
  readonly note: string;
  readonly seq: number;
  readonly timeUtc: string;
}

export interface HostFacts {
  readonly host: string;
  readonly connected?: { readonly keyType: string; readonly fingerprint: string; readonly hostKeyVerdict: string; readonly seq: number };
  readonly lastError?: { readonly code: string; readonly message: string; readonly seq: number };
  readonly clock?: { readonly hostEpochS: number; readonly laptopEpochS: number; readonly skewS: number; readonly flagged: boolean; readonly seq: number };
  /** Fingerprints the technician accepted for this host (unpinned hosts). */
  readonly acceptedKeys: readonly string[];
  /** Taken out of the run: nothing more starts on it. */
  readonly excluded?: { readonly reason: string; readonly seq: number };
  readonly rejectedKeys: readonly string[];
  /** A changed key the technician accepted with the fingerprint from the client and a reason. */
  readonly keyOverride?: { readonly fingerprint: string; readonly reason: string; readonly seq: number };
}

export type BaselineStatus = 'running' | 'pass' | 'fail' | 'error';

export interface BaselineCell {
  readonly checkId: string;
  readonly host: string;
  readonly status: BaselineStatus;
  readonly expected?: string;
  readonly found?: string;
  readonly summary?: string;
  readonly command?: string;
  readonly exitCode?: number | null;
  readonly stdoutExcerpt?: string;
  readonly stderrExcerpt?: string;
  /** Runs of this check on this host so far. */
  readonly runs: number;
  readonly seq: number;
  /** Journal times (UTC) of the latest run of this check: how long it took is endedAt − startedAt. */
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly waiver?: { readonly reason: string; readonly seq: number };
}

export type InstanceState = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'unknown';

export interface StepInstance {
  readonly stepId: string;
  readonly host: string;
  readonly state: InstanceState;
  /** The last attempt started (0: never started). */
  readonly attempt: number;
  readonly action?: 'run' | 'upload' | 'manual';
  readonly execId?: string;
  readonly streams?: { readonly stdout: string; readonly stderr: string };
  readonly outcome?: StepOutcome;
  readonly output?: { readonly stdout: { readonly length: number; readonly sha256: string }; readonly stderr: { readonly length: number; readonly sha256: string } };
  readonly skipReason?: string;
  readonly note?: string;
  readonly confirmed?: boolean;
  /** What the verify check said after an unknown outcome; a pass counts as succeeded. */
  readonly verified?: { readonly status: 'pass' | 'fail' | 'error'; readonly summary: string };
  /** The open question about this instance, if any. */
  readonly questionId?: string;
  readonly startedSeq?: number;
  readonly endedSeq?: number;
  /** Journal times (UTC) of the last attempt's start and end. */
  readonly startedAt?: string;
  readonly endedAt?: string;
}

/** A rollback action of one step instance; keyed like the instance. */
export interface RollbackInstance {
  readonly stepId: string;
  readonly host: string;
  readonly state: 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'pending';
  readonly attempt: number;
  readonly action?: 'run' | 'upload' | 'manual';
  readonly execId?: string;
  readonly streams?: { readonly stdout: string; readonly stderr: string };
  readonly outcome?: StepOutcome;
  readonly skipReason?: string;
  readonly questionId?: string;
  readonly startedSeq?: number;
  readonly endedSeq?: number;
  readonly startedAt?: string;
  readonly endedAt?: string;
}

export interface AdhocCommand {
  readonly adhocId: string;
  readonly host: string;
  readonly command: string;
  readonly reason: string;
  readonly execId: string;
  readonly streams: { readonly stdout: string; readonly stderr: string };
  readonly state: 'running' | 'ended';
  readonly outcome?: StepOutcome;
  readonly startedSeq: number;
  readonly endedSeq?: number;
}

export type OpenQuestion = QuestionAsked & { readonly id: string; readonly seq: number; readonly timeUtc: string };

export type DeviationKind = 'waiver' | 'skip' | 'mark-done' | 'host-key-accepted' | 'confirm-denied' | 'abort' | 'rollback' | 'adhoc' | 'exclude-host' | 'step-edit' | 'host-key-override';

export interface Deviation {
  readonly kind: DeviationKind;
  readonly seq: number;
  readonly timeUtc: string;
  readonly subject: string;
  readonly text: string;
}

export interface AnsweredQuestion {
  readonly id: string;
  readonly kind: QuestionAsked['kind'];
  readonly answer: Answer;
  readonly seq: number;
}

export interface HandoverSignOff {
  readonly role: string;
  readonly name: string;
  readonly title?: string;
  readonly signature?: { readonly pngBase64: string; readonly sha256: string };
  readonly seq: number;
  readonly timeUtc: string;
}

export interface ReportExport {
  readonly exportSeq: number;
  readonly manifestSha256: string;
  readonly archiveSha256: string;
  readonly outboxId: number;
  readonly seq: number;
  readonly timeUtc: string;
}

/** A photo or file attached to a checklist item, step or handover item; its id is `a<seq>`. */
export interface RunAttachment {
  readonly id: string;
  readonly target: AttachmentTarget;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  readonly caption: string | null;
  readonly seq: number;
  readonly timeUtc: string;
}

export interface RunState {
  readonly runId: string | undefined;
  readonly planHash: string | undefined;
  readonly planId: string | undefined;
  readonly planVersion: string | undefined;
  readonly label: string | null;
  readonly createdAt: string | undefined;
  readonly phase: RunPhase | undefined;
  readonly phaseChanges: readonly { readonly phase: RunPhase; readonly seq: number; readonly timeUtc: string }[];
  readonly headSeq: number;
  readonly headHash: string | undefined;
  readonly checklist: Readonly<Record<string, ChecklistTick>>;
  readonly hosts: Readonly<Record<string, HostFacts>>;
  /** Keyed by `checkId@host`. */
  readonly baseline: Readonly<Record<string, BaselineCell>>;
  /** Keyed by `stepId@host`; an instance appears once something happened to it. */
  readonly instances: Readonly<Record<string, StepInstance>>;
  /** Rollback actions, keyed by `stepId@host`; present once a rollback started. */
  readonly rollbacks: Readonly<Record<string, RollbackInstance>>;
  /** Ad-hoc commands, in the order they were run. */
  readonly adhoc: readonly AdhocCommand[];
  readonly questions: readonly OpenQuestion[];
  readonly answered: readonly AnsweredQuestion[];
  readonly deviations: readonly Deviation[];
  readonly secretsProvided: readonly string[];
  /** Commands changed on site, by step id: the last edit wins for attempts started after it. */
  readonly stepEdits: Readonly<Record<string, { readonly run: string; readonly reason: string; readonly seq: number }>>;
  /** Yellow flags the technician acknowledged, by id. */
  readonly acknowledgedFlags: readonly string[];
  /** Handover items ticked with the client, by item id. */
  readonly handover: Readonly<Record<string, ChecklistTick>>;
  /** Handover sign-offs by role; a later sign-off for a role replaces the earlier one. */
  readonly signOffs: Readonly<Record<string, HandoverSignOff>>;
  readonly exports: readonly ReportExport[];
  /** Attachments in the order they were added. */
  readonly attachments: readonly RunAttachment[];
  readonly abortReason?: string;
  /** Events of a known type whose payload did not fit: recorded, not thrown, so a run still loads. */
  readonly anomalies: readonly { readonly seq: number; readonly type: string; readonly problem: string }[];
  /** Event types this fold does not know (a newer app wrote them), counted. */
  readonly unhandled: Readonly<Record<string, number>>;
}

export const INITIAL_RUN_STATE: RunState = {
  runId: undefined,
  planHash: undefined,
  planId: undefined,
  planVersion: undefined,
  label: null,
  createdAt: undefined,
  phase: undefined,
  phaseChanges: [],
  headSeq: 0,
  headHash: undefined,
  checklist: {},
  hosts: {},
  baseline: {},
  instances: {},
  rollbacks: {},
  adhoc: [],
  questions: [],
  answered: [],
  deviations: [],
  secretsProvided: [],
  stepEdits: {},
  acknowledgedFlags: [],
  handover: {},
  signOffs: {},
  exports: [],
  attachments: [],
  anomalies: [],
  unhandled: {},
};
