// What each outbox state means for the technician, and what to do about the last error.
import type { MessageKey } from '../../i18n/t';

export type OutboxState = 'queued' | 'sending' | 'delivered' | 'conflict' | 'failed-permanently';

const FIXES = new Set([
  'SYNC_AUTH_FAILED',
  'SYNC_FORBIDDEN',
  'SYNC_TLS_UNTRUSTED',
  'SYNC_UNREACHABLE',
  'SYNC_BASE_MISSING',
  'SYNC_SERVER_BUSY',
  'SYNC_CONFIG_INVALID',
  'SYNC_URL_INSECURE',
  'SYNC_LOCAL_FILE_CHANGED',
  'SYNC_SERVER_REJECTED',
]);

export const STATE_BADGE: Readonly<Record<OutboxState, string>> = {
  queued: 'info',
  sending: 'info',
  delivered: 'ok',
  conflict: 'warn',
  'failed-permanently': 'fail',
};

export function stateLabelKey(state: OutboxState): MessageKey {
  return `outbox.state.${state}`;
}

export function explanationKey(state: OutboxState): MessageKey {
  return `outbox.explain.${state}`;
}

/** The fix for an error code, when the catalogue has one (the error's own message says the rest). */
export function fixKey(code: string): MessageKey | undefined {
  return FIXES.has(code) ? (`outbox.fix.${code}` as MessageKey) : undefined;
}

/** Errors that point at head-office settings: the entry offers a way there. */
export function pointsToSettings(code: string): boolean {
  return ['SYNC_AUTH_FAILED', 'SYNC_TLS_UNTRUSTED', 'SYNC_BASE_MISSING', 'SYNC_CONFIG_INVALID', 'SYNC_URL_INSECURE'].includes(code);
}
