export { createOutbox, DEFAULT_BACKOFF, type Outbox, type OutboxOptions, type SyncRound } from './outbox';
export { enqueueExport, nextExportSeq } from './enqueueExport';
export { createOutboxRepository, type OutboxChange, type OutboxRepository, type SyncLogQuery } from './outboxRepository';
export {
  NewOutboxEntrySchema,
  OUTBOX_STATES,
  SYNC_LOG_EVENTS,
  type NewOutboxEntry,
  type OutboxEntry,
  type OutboxFile,
  type OutboxState,
  type SyncLogEvent,
  type SyncLogRecord,
} from './outboxEntry';
export { IDLE_RECHECK_MS, systemTimers, type Timers } from './syncScheduler';
