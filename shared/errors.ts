// The closed list of error codes that cross a boundary (contract, CLI, journal). Code that
// handles errors matches on these codes, never on message text.
export const ERROR_CODES = [
  // contract
  'METHOD_UNKNOWN',
  'INPUT_INVALID',
  'INTERNAL',
  // transports (Electron IPC, browser-mode WebSocket)
  'TRANSPORT_FAILED',
  'IPC_SENDER_REFUSED',
  'UPLOAD_NOT_FOUND',
  'UPLOAD_INVALID',
  // plans
  'PLAN_INVALID',
  'PLAN_TOO_LARGE',
  'PLAN_NOT_FOUND',
  'PLAN_SIGNATURE_INVALID',
  'PLAN_NOT_TRUSTED',
  'PLAN_ACKNOWLEDGEMENT_STALE',
  'ARTIFACT_MISSING',
  'ARTIFACT_HASH_MISMATCH',
  'ARCHIVE_UNSAFE',
  'IMPORT_SOURCE_INVALID',
  // store
  'STORE_LOCKED',
  'STORE_TOO_NEW',
  'STORE_UNSAFE_SETTINGS',
  'STORE_CORRUPT',
  'STORE_FULL',
  'STORE_IO_FAILED',
  'JOURNAL_CHAIN_BROKEN',
  'JOURNAL_POSITION_STALE',
  'RUN_NOT_FOUND',
  // runs
  'RUN_PHASE_WRONG',
  'CHECKLIST_INCOMPLETE',
  'BASELINE_NOT_CLEAR',
  'QUESTION_NOT_OPEN',
  'ANSWER_INVALID',
  'SECRET_MISSING',
  'FLAGS_UNACKNOWLEDGED',
  // ssh
  'SSH_HOST_KEY_MISMATCH',
  'SSH_HOST_KEY_UNKNOWN',
  'SSH_HOST_KEY_REJECTED',
  'SSH_AUTH_FAILED',
  'SSH_CONNECT_FAILED',
  'SSH_CONNECT_TIMEOUT',
  'SSH_KEEPALIVE_TIMEOUT',
  'SSH_CHANNEL_FAILED',
  'SSH_DISCONNECTED',
  'SSH_JUMP_LOOP',
  'SSH_KEY_INVALID',
  'SSH_PASSPHRASE_REQUIRED',
  'SSH_UPLOAD_CHECKSUM_MISMATCH',
  'SSH_UPLOAD_FAILED',
  'SSH_REMOTE_FAILED',
  'COMMAND_TIMEOUT',
  'COMMAND_CANCELLED',
  // signatures and signing keys
  'SIGNATURE_MALFORMED',
  'SIGNATURE_UNSUPPORTED',
  'SIGNATURE_NAMESPACE_MISMATCH',
  'SIGNATURE_INVALID',
  'SIGNER_UNTRUSTED',
  'ALLOWED_SIGNERS_INVALID',
  'KEY_PASSPHRASE_WRONG',
  'KEY_PASSPHRASE_WEAK',
  'KEY_STORE_CORRUPT',
  'KEY_STORE_TOO_NEW',
  'KEY_MISSING',
  'KEY_UNSUPPORTED',
  'KEY_LOCKED',
  'KEY_EXISTS',
  // report bundles
  'REPORT_EXPORT_FAILED',
  'REPORT_SECRET_LEAK',
  'REPORT_BUNDLE_INVALID',
  'REPORT_SIGNATURE_MISSING',
  'REPORT_SIGNER_MISMATCH',
  'REPORT_FILE_MISSING',
  'REPORT_FILE_UNEXPECTED',
  'REPORT_FILE_HASH_MISMATCH',
  'REPORT_JOURNAL_HEAD_MISMATCH',
  'REPORT_OUTPUT_MISMATCH',
  'REPORT_EXPORT_NOT_FOUND',
  // attachments
  'ATTACHMENT_TOO_LARGE',
  'ATTACHMENT_TARGET_UNKNOWN',
  'ATTACHMENT_NOT_FOUND',
  // head-office sync
  'SYNC_CONFIG_INVALID',
  'SYNC_URL_INSECURE',
  'SYNC_AUTH_FAILED',
  'SYNC_FORBIDDEN',
  'SYNC_BASE_MISSING',
  'SYNC_UNREACHABLE',
  'SYNC_TLS_UNTRUSTED',
  'SYNC_SERVER_BUSY',
  'SYNC_SERVER_REJECTED',
  'SYNC_CONFLICT',
  'SYNC_VERIFY_FAILED',
  'SYNC_LOCAL_FILE_CHANGED',
  'SYNC_NAME_INVALID',
  'SYNC_RESPONSE_TOO_LARGE',
  'SYNC_SERVER_UNSAFE',
  'OUTBOX_ENTRY_INVALID',
  'OUTBOX_ENTRY_NOT_FOUND',
  'OUTBOX_STATE_WRONG',
  // variables
  'VARIABLE_MISSING',
  'VARIABLE_INVALID',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as data: what happened and what to do next, with a stable code. */
export interface AppErrorData {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toData(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
