export { openStore, DATABASE_FILE, type Store, type StoreOptions } from './openStore';
export { systemClock, type Clock } from './clock';
export { SLOW_QUERY_MS, type SlowQuery, type SlowQueryListener } from './queryTiming';
export {
  ChainVerifier,
  GENESIS_HASH,
  JournalEventSchema,
  computeEventHash,
  parseJournalEvent,
  verifyEvents,
  type ChainVerdict,
  type JournalEvent,
  type JournalHead,
  type VerifyEventsOptions,
} from './journalChain';
export { MAX_PAYLOAD_BYTES, type JournalAppendOptions, type JournalReadOptions, type NewJournalEvent, type RunJournal, type VerifyChainOptions } from './runJournal';
export {
  FLUSH_BYTES,
  FLUSH_INTERVAL_MS,
  MAX_CHUNK_BYTES,
  ROW_BYTES,
  MAX_READ_BYTES,
  type OutputDigest,
  type OutputStore,
  type OutputStreamInfo,
  type OutputVerdict,
  type OutputWriter,
  type OutputWriterOptions,
} from './outputStore';
export {
  PLAN_SIGNATURE_STATUSES,
  type NewPlan,
  type PlanArtifactRecord,
  type PlanSignatureStatus,
  type PlanSummary,
  type PlansRepository,
  type StoredPlan,
} from './plansRepository';
export type { NewRun, Run, RunsRepository } from './runsRepository';
export {
  INITIAL_RUN_STATE,
  RUN_PHASES,
  createRunReducer,
  foldJournal,
  foldRunState,
  reduceRunState,
  runEventHandlers,
  type EventHandler,
  type RunPhase,
  type RunState,
  type UnhandledEvents,
} from './foldJournal';
export { applyMigrations, type MigrationOutcome } from './migrate';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';
export { assertSafeSettings, type ConnectionSettings } from './connectionSettings';
