import { z } from 'zod';
import { AnswerSchema, type RunState, type TimeStatus } from '../run';
import { method } from './define';

// The runs.* methods: a run from its plan through checklist, baseline and deployment. Every call
// that changes a run carries `expectSeq`, the journal position the caller last saw; if the run
// has moved on it is refused with JOURNAL_POSITION_STALE and nothing changes.

/** A run's id, as runs.create answered it; every contract file naming a run uses this one. */
export const RunIdSchema = z.string().min(1).max(100);
const RunId = RunIdSchema;
const Seq = z.number().int().nonnegative();
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lowercase hex digits');
const Name = z.string().min(1).max(200);
const Moved = z.object({ seq: Seq });

export const RunSummarySchema = z.object({
  runId: z.string(),
  planHash: z.string(),
  createdAt: z.string(),
  label: z.string().nullable(),
  phase: z.string().optional(),
  headSeq: Seq,
});

export const runMethods = {
  'runs.create': method({
    summary: 'Create a run of an imported plan; it starts in the prepare phase.',
    mutates: true,
    input: z.object({ planHash: Sha256Hex, label: z.string().max(200).optional() }).strict(),
    output: z.object({ runId: z.string(), seq: Seq }),
  }),
  'runs.list': method({
    summary: 'The runs in this data folder, newest first.',
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({ runs: z.array(RunSummarySchema) }),
  }),
  'runs.get': method({
    summary: "A run's state, folded from its journal, and the journal head to name in the next call.",
    mutates: false,
    input: z.object({ runId: RunId }).strict(),
    output: z.object({
      state: z.custom<RunState>((value) => typeof value === 'object' && value !== null),
      head: z.object({ seq: Seq, hash: z.string() }),
      /** The outage window now: time left, the point of no return (warned before it) and whether the remaining steps fit. */
      time: z.custom<TimeStatus>((value) => typeof value === 'object' && value !== null),
      /** Set when the run stopped because something could not be recorded (e.g. STORE_FULL): resume with runs.deploy.start. */
      halted: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  }),
  'runs.checklist.tick': method({
    summary: 'Tick a rollout checklist item, with an optional note.',
    mutates: true,
    input: z.object({ runId: RunId, expectSeq: Seq, itemId: Name, note: z.string().max(4000).optional() }).strict(),
    output: Moved,
  }),
  'runs.baseline.run': method({
    summary: 'Run the baseline checks (all, or one check, one host, or those that failed) in the background.',
    mutates: true,
    input: z
      .object({
        runId: RunId,
        expectSeq: Seq,
        only: z.object({ checkId: Name.optional(), host: Name.optional(), failed: z.boolean().optional() }).strict().optional(),
      })
      .strict(),
    output: Moved,
  }),
  'runs.baseline.waive': method({
    summary: 'Waive a failed or errored baseline check on one host; a reason is required.',
    mutates: true,
    input: z.object({ runId: RunId, expectSeq: Seq, checkId: Name, host: Name, reason: z.string().trim().min(1, 'a reason').max(4000) }).strict(),
    output: Moved,
  }),
  'runs.deploy.start': method({
    summary: 'Start (or, after a restart, resume) the deployment; refused while a baseline check fails unwaived.',
    mutates: true,
    input: z.object({ runId: RunId, expectSeq: Seq }).strict(),
    output: Moved,
  }),
  'runs.answer': method({
    summary: 'Answer an open question: host key, manual step, confirm question, failure or unknown outcome.',
    mutates: true,
    input: z.object({ runId: RunId, expectSeq: Seq, questionId: Name, answer: AnswerSchema }).strict(),
    output: Moved,
  }),
  'runs.abort': method({
    summary: 'Abort the run with a reason; nothing more starts.',
    mutates: true,
    input: z.object({ runId: RunId, expectSeq: Seq, reason: z.string().trim().min(1, 'a reason').max(4000) }).strict(),
    output: Moved,
  }),
  'runs.hosts.overrideKey': method({
    summary: "Accept a host's changed key: the new fingerprint as the client reads it out, and why. It is used only if the server presents exactly that key, and it shows in the report.",
    mutates: true,
    input: z
      .object({
        runId: RunId,
        expectSeq: Seq,
        host: z.string().min(1).max(64),
        fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "a fingerprint as ssh-keygen -l prints it: SHA256: and 43 characters"),
        reason: z.string().trim().min(3, 'a reason').max(4000),
      })
      .strict(),
    output: Moved,
  }),
  'runs.flags.get': method({
    summary: 'The yellow flags to acknowledge before deployment (plan signature, key contacts without backup, steps that failed before or never ran), and those acknowledged.',
    mutates: false,
    input: z.object({ runId: RunId }).strict(),
    output: z.object({
      flags: z.array(z.object({ id: z.string(), kind: z.enum(['plan-signature', 'contact-without-backup', 'failed-before', 'never-exercised']), text: z.string() })),
      acknowledged: z.array(z.string()),
    }),
  }),
  'runs.flags.acknowledge': method({
    summary: 'Acknowledge yellow flags, with a note; deployment starts only when every flag is acknowledged.',
    mutates: true,
    input: z.object({ runId: RunId, expectSeq: Seq, flagIds: z.array(z.string().min(1).max(300)).min(1).max(1000), note: z.string().max(4000).default('') }).strict(),
    output: Moved,
  }),
  'runs.steps.edit': method({
    summary: "Change a run step's command on site, with a reason; it shows in the report as a deviation and applies to attempts started afterwards.",
    mutates: true,
    input: z.object({ runId: RunId, expectSeq: Seq, stepId: Name, run: z.string().trim().min(1, 'a command').max(256 * 1024), reason: z.string().trim().min(1, 'a reason').max(4000) }).strict(),
    output: Moved,
  }),
  'runs.hosts.exclusionPreview': method({
    summary: "What excluding a host would do, shown before the technician decides: its instances that will not run, and other hosts' instances that need them.",
    mutates: false,
    input: z.object({ runId: RunId, host: Name }).strict(),
    output: z.object({ skipped: z.array(z.string()), dependents: z.array(z.string()) }),
  }),
  'runs.adhoc.run': method({
    summary: 'Run a command typed on site on one host, with a reason; it is journaled and shows in the report as a deviation.',
    mutates: true,
    input: z
      .object({
        runId: RunId,
        expectSeq: Seq,
        host: Name,
        command: z.string().trim().min(1, 'a command').max(64 * 1024),
        reason: z.string().trim().min(1, 'a reason').max(4000),
      })
      .strict(),
    output: Moved,
  }),
  'runs.secrets.provide': method({
    summary: "Give secret variables' values and sudo passwords ('sudo' or 'sudo@<host>'); kept in memory only.",
    mutates: true,
    input: z
      .object({ runId: RunId, values: z.record(Name, z.string().max(64 * 1024)).refine((v) => Object.keys(v).length > 0, 'at least one value') })
      .strict(),
    output: Moved,
  }),
  'runs.output.read': method({
    summary: "A byte range of a step's stored (masked) output, base64.",
    mutates: false,
    input: z.object({ runId: RunId, stream: z.string().min(1).max(200), offset: z.number().int().nonnegative(), length: z.number().int().nonnegative().max(16 * 1024 * 1024) }).strict(),
    output: z.object({ data: z.string(), length: z.number().int().nonnegative() }),
  }),
} as const;
