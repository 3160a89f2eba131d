import { z } from 'zod';
import { method } from './define';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lowercase hex digits');

/** A problem found in a plan, located so that a person can go and fix it. */
export const PlanProblemSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  path: z.string(),
  found: z.string(),
  expected: z.string(),
  message: z.string(),
});

// 'valid-untrusted' is a good signature by a key head office has not listed as a plan signer.
export const SignatureStatusSchema = z.enum(['unsigned', 'valid-trusted', 'valid-untrusted', 'invalid']);

export const PlanSummarySchema = z.object({
  hash: Sha256Hex,
  planId: z.string(),
  version: z.string(),
  title: z.string(),
  client: z.string(),
  site: z.string(),
  importedAt: z.string(),
  source: z.object({ kind: z.enum(['file', 'folder', 'archive']), name: z.string() }),
  signature: z.object({ status: SignatureStatusSchema, signerFingerprint: z.string().optional() }),
  /** An unsigned or untrusted plan was accepted explicitly by the technician (with a note). */
  acknowledged: z.boolean(),
  artifactCount: z.number().int().nonnegative(),
  hostCount: z.number().int().nonnegative(),
  stepCount: z.number().int().nonnegative(),
});

// A source is named by path while the core runs beside the file system (CLI, desktop shell
// dialogs, tests); browser mode adds chunked uploads.
export const PlanSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  // A plan file or archive sent with files.upload.* (browser mode; see ./files.ts).
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[0-9a-f]{32}$/, 'an upload id as returned by files.upload.begin') }).strict(),
]);

export const planMethods = {
  'plans.validate': method({
    summary: 'Validate plan text without importing it.',
    mutates: false,
    input: z.object({ text: z.string().max(64 * 1024 * 1024), fileName: z.string().min(1).max(255) }).strict(),
    output: z.object({
      valid: z.boolean(),
      problems: z.array(PlanProblemSchema),
      warnings: z.array(PlanProblemSchema),
    }),
  }),
  'plans.import': method({
    summary: 'Import a plan file, folder or archive with its artifacts; idempotent by content hash.',
    mutates: true,
    input: z
      .object({
        source: PlanSourceSchema,
        /** Required for a plan that is unsigned or signed by a key head office has not listed. */
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
    output: z.object({ plan: PlanSummarySchema, alreadyImported: z.boolean() }),
  }),
  'plans.list': method({
    summary: 'The imported plans, newest first.',
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({ plans: z.array(PlanSummarySchema) }),
  }),
  'plans.get': method({
    summary: 'One imported plan: its summary, its parsed document and its original text.',
    mutates: false,
    input: z.object({ hash: Sha256Hex }).strict(),
    output: z.object({ plan: PlanSummarySchema, document: z.unknown(), text: z.string() }),
  }),
  'planSigners.get': method({
    summary: "Head office's trusted plan signers, in allowed_signers format.",
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({ allowedSigners: z.string(), count: z.number().int().nonnegative() }),
  }),
  'planSigners.set': method({
    summary: "Replace head office's trusted plan signers (allowed_signers format, checked before it is saved).",
    mutates: true,
    input: z.object({ allowedSigners: z.string().max(1024 * 1024) }).strict(),
    output: z.object({ count: z.number().int().nonnegative() }),
  }),
} as const;
