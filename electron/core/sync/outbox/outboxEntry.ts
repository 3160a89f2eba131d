// An outbox entry: one exported report bundle on disk, waiting for head office. The bundle is
// named by its folder and its file list (name, size, SHA-256) as the export recorded them, so
// what is sent is exactly what was signed.
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { AppErrorData } from '../../../../shared/errors';

export const OUTBOX_STATES = ['queued', 'sending', 'delivered', 'conflict', 'failed-permanently'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

// Same rules as the transport's: a plain file name that every WebDAV server stores unchanged.
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export const OutboxFileSchema = z.object({
  name: z.string().regex(FILE_NAME, 'a plain file name of letters, digits, ".", "_" and "-"'),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits'),
});
export type OutboxFile = z.infer<typeof OutboxFileSchema>;

export const NewOutboxEntrySchema = z
  .object({
    runId: z.string().regex(FILE_NAME, 'a run id usable as a folder name'),
    exportSeq: z.number().int().min(1),
    siteSlug: z.string().regex(SLUG, 'a slug of [a-z0-9-]: make it with siteSlug(site)'),
    bundleDir: z.string().refine((dir) => isAbsolute(dir), 'an absolute path'),
    files: z.array(OutboxFileSchema).min(1),
    signatureName: z.string(),
  })
  .superRefine((entry, ctx) => {
    const names = entry.files.map((f) => f.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['files'], message: 'each file listed once' });
    if (!names.includes(entry.signatureName)) ctx.addIssue({ code: 'custom', path: ['signatureName'], message: 'one of the listed files' });
  });
export type NewOutboxEntry = z.infer<typeof NewOutboxEntrySchema>;

export interface OutboxEntry extends NewOutboxEntry {
  readonly id: number;
  readonly state: OutboxState;
  /** upload attempts started, including one cut short by a crash */
  readonly attempts: number;
  /** ISO time of the next automatic attempt; null unless queued */
  readonly nextAttemptAt: string | null;
  readonly lastError: AppErrorData | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deliveredAt: string | null;
}

export const SYNC_LOG_EVENTS = ['enqueued', 'sending', 'delivered', 'conflict', 'retry-scheduled', 'failed-permanently', 'interrupted', 'requeued', 'probe'] as const;
export type SyncLogEvent = (typeof SYNC_LOG_EVENTS)[number];

export interface SyncLogRecord {
  readonly id: number;
  readonly time: string;
  /** null for events about head office as a whole (a probe) */
  readonly outboxId: number | null;
  readonly event: SyncLogEvent;
  readonly detail: Readonly<Record<string, unknown>>;
}
