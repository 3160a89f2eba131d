// Rows of the outbox and sync_log tables as the rest of the core sees them. The JSON columns are
// parsed, not trusted: a database edited by hand must fail loudly, not sync something else.
import { z } from 'zod';
import { AppError, ERROR_CODES, type AppErrorData } from '../../../../shared/errors';
import { OUTBOX_STATES, OutboxFileSchema, SYNC_LOG_EVENTS, type OutboxEntry, type SyncLogRecord } from './outboxEntry';

export interface OutboxRow {
  id: number;
  run_id: string;
  export_seq: number;
  site_slug: string;
  bundle_dir: string;
  files: string;
  signature_name: string;
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface SyncLogRow {
  id: number;
  time: string;
  outbox_id: number | null;
  event: string;
  detail: string;
}

const FilesSchema = z.array(OutboxFileSchema);
const ErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.record(z.string(), z.unknown()).optional() });
const DetailSchema = z.record(z.string(), z.unknown());

export function toEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    runId: row.run_id,
    exportSeq: row.export_seq,
    siteSlug: row.site_slug,
    bundleDir: row.bundle_dir,
    files: parseColumn(FilesSchema, row.files, 'outbox.files', row.id),
    signatureName: row.signature_name,
    state: z.enum(OUTBOX_STATES).parse(row.state),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error === null ? null : toErrorData(parseColumn(ErrorSchema, row.last_error, 'outbox.last_error', row.id)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at,
  };
}

export function toLogRecord(row: SyncLogRow): SyncLogRecord {
  return {
    id: row.id,
    time: row.time,
    outboxId: row.outbox_id,
    event: z.enum(SYNC_LOG_EVENTS).parse(row.event),
    detail: parseColumn(DetailSchema, row.detail, 'sync_log.detail', row.id),
  };
}

function toErrorData(parsed: z.infer<typeof ErrorSchema>): AppErrorData {
  return parsed.details === undefined ? { code: parsed.code, message: parsed.message } : { code: parsed.code, message: parsed.message, details: parsed.details };
}

function parseColumn<T>(schema: z.ZodType<T>, text: string, column: string, id: number): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('STORE_CORRUPT', `The stored ${column} of entry ${id} is not what Fieldrun wrote. Keep a copy of the data folder and contact head office.`, { column, id });
  }
  return parsed.data;
}
