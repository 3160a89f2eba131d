import { z } from 'zod';
import { method } from './define';
import { RunIdSchema as RunId } from './runs';

// The outbox (exported reports waiting for head office), the head-office endpoint and its setup
// check, and plans published by head office. Secrets (password, bearer token) go in once, are kept
// through the key-storage port and are never answered back.

const OutboxStateSchema = z.enum(['queued', 'sending', 'delivered', 'conflict', 'failed-permanently']);
const ErrorSchema = z.object({ code: z.string(), message: z.string() });

export const OutboxEntrySummarySchema = z.object({
  id: z.number().int(),
  runId: z.string(),
  exportSeq: z.number().int(),
  siteSlug: z.string(),
  state: OutboxStateSchema,
  attempts: z.number().int().nonnegative(),
  /** ISO time of the next automatic attempt, when one is scheduled. */
  nextAttemptAt: z.string().nullable(),
  lastError: ErrorSchema.nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  files: z.array(z.object({ name: z.string(), size: z.number().int().nonnegative(), sha256: z.string() })),
  /** Where head office keeps it, relative to the base URL (headOffice.get): <site-slug>/<run-id>/<export-seq>/. */
  remotePath: z.string(),
});

export const SyncLogRecordSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  outboxId: z.number().int().nullable(),
  event: z.string(),
  message: z.string(),
});

export const HeadOfficeSettingsSchema = z.object({
  baseUrl: z.string(),
  auth: z.object({ kind: z.enum(['basic', 'bearer']), user: z.string().optional() }),
  /** A company CA in PEM, trusted besides the system's. */
  hasCompanyCa: z.boolean(),
  /** Sync runs only after the setup check passed for this URL. */
  verifiedAt: z.string().nullable(),
});

const Url = z.string().trim().min(1).max(2048);

export const outboxMethods = {
  'outbox.list': method({
    summary: 'Every exported report in the outbox with its sync state, attempts, next attempt and last error.',
    mutates: false,
    input: z.object({ runId: RunId.optional() }).strict(),
    output: z.object({ entries: z.array(OutboxEntrySummarySchema) }),
  }),
  'outbox.log': method({
    summary: 'The sync log, newest first, before an id when paging.',
    mutates: false,
    input: z.object({ beforeId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({ records: z.array(SyncLogRecordSchema) }),
  }),
  'outbox.syncNow': method({
    summary: 'Try every queued report now, ignoring backoff; answers what the round did.',
    mutates: true,
    input: z.object({}).strict(),
    output: z.object({
      configured: z.boolean(),
      attempted: z.number().int(),
      delivered: z.number().int(),
      conflicts: z.number().int(),
      failedPermanently: z.number().int(),
      retrying: z.number().int(),
      stoppedBy: ErrorSchema.optional(),
    }),
  }),
  'outbox.retry': method({
    summary: 'Queue again a report that failed permanently (after fixing what its error said) or met a conflict (after head office moved its file away); nothing on head office is ever overwritten.',
    mutates: true,
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: z.object({ state: OutboxStateSchema }),
  }),
  'sync.probe': method({
    summary: "Is head office reachable now, and how far is this laptop's clock from the server's?",
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({
      configured: z.boolean(),
      online: z.boolean(),
      clockSkewMs: z.number().nullable(),
      skewTooLarge: z.boolean(),
      error: ErrorSchema.optional(),
    }),
  }),
  'headOffice.get': method({
    summary: 'The head-office endpoint as configured (never its password or token).',
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({ settings: HeadOfficeSettingsSchema.nullable() }),
  }),
  'headOffice.set': method({
    summary: 'Point Fieldrun at head office: runs the setup check in a scratch folder and saves only if the server never overwrites and returns what was stored.',
    mutates: true,
    input: z
      .object({
        baseUrl: Url,
        auth: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('basic'), user: z.string().min(1).max(200), password: z.string().min(1).max(4096) }).strict(),
          z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(16 * 1024) }).strict(),
        ]),
        companyCaPem: z.string().max(256 * 1024).optional(),
      })
      .strict(),
    output: z.object({
      saved: z.boolean(),
      /** Each property the setup check tried, passed or not, with what it saw. */
      checks: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })),
      settings: HeadOfficeSettingsSchema.nullable(),
    }),
  }),
  'headOffice.clear': method({
    summary: 'Forget the head-office endpoint and its secret; the outbox keeps every report.',
    mutates: true,
    input: z.object({}).strict(),
    output: z.object({ cleared: z.boolean() }),
  }),
  'headOffice.plans.list': method({
    summary: 'Plans head office published under <base>/plans/, and whether each is already imported.',
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({
      plans: z.array(z.object({ name: z.string(), size: z.number().int().nullable(), modifiedAt: z.string().nullable(), imported: z.boolean() })),
    }),
  }),
  'headOffice.plans.import': method({
    summary: "Download one published plan, verify its signature against the trusted plan signers and import it (unsigned or untrusted only with an acknowledgement).",
    mutates: true,
    input: z
      .object({
        name: z.string().min(1).max(255),
        acknowledgeUntrusted: z
          .object({
            note: z.string().trim().min(3).max(2000),
            /** The plan's SHA-256 from PLAN_NOT_TRUSTED's details.planHash: the import is refused (PLAN_ACKNOWLEDGEMENT_STALE) if the file is no longer that plan. */
            expectSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lowercase hex digits').optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    output: z.object({ planHash: z.string(), alreadyImported: z.boolean(), signatureStatus: z.string() }),
  }),
} as const;
