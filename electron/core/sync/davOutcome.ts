// What a failed WebDAV exchange means for the technician: try again later (with the server's
// Retry-After) or stop and fix something (credentials, permissions, the base folder).
import type { AppErrorData } from '../../../shared/errors';
import type { DavAnswer } from './davHttp';

export type TransferFailure =
  | { kind: 'retryable'; error: AppErrorData; retryAfter?: string }
  | { kind: 'permanent'; error: AppErrorData };

const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504, 507]);

export function failureOfStatus(answer: Extract<DavAnswer, { ok: true }>, what: string): TransferFailure {
  const status = answer.status;
  if (status === 401) {
    return permanent('SYNC_AUTH_FAILED', `Head office refused the credentials (401) while trying to ${what}. Check the user name and password or token in the sync settings.`, status);
  }
  if (status === 403) {
    return permanent('SYNC_FORBIDDEN', `Head office does not allow this account to ${what} (403). Ask head office to grant write access to the reports folder.`, status);
  }
  if (RETRYABLE_STATUSES.has(status)) {
    const failure: TransferFailure = {
      kind: 'retryable',
      error: { code: 'SYNC_SERVER_BUSY', message: `Head office answered ${status} while trying to ${what}. Fieldrun will try again later.`, details: { status } },
    };
    const retryAfter = answer.headers['retry-after'];
    if (typeof retryAfter === 'string') failure.retryAfter = retryAfter;
    return failure;
  }
  if (status === 413) {
    return permanent('SYNC_SERVER_REJECTED', `Head office refused a file as too large (413) while trying to ${what}. Ask head office to raise its upload size limit.`, status);
  }
  return permanent('SYNC_SERVER_REJECTED', `Head office answered ${status} while trying to ${what}. Check the head-office address; if it is right, tell head office.`, status);
}

export function failureOfNetwork(answer: Extract<DavAnswer, { ok: false }>, what: string): TransferFailure {
  if (answer.failure === 'local-file') {
    return permanent('SYNC_LOCAL_FILE_CHANGED', `A local file could not be read while trying to ${what} (${answer.detail}). Export the report again.`);
  }
  if (answer.failure === 'tls') {
    return permanent('SYNC_TLS_UNTRUSTED', `Head office's certificate is not trusted (${answer.detail}) while trying to ${what}. Check the address, or add the company CA certificate in the sync settings.`);
  }
  if (answer.failure === 'too-large') {
    return permanent('SYNC_RESPONSE_TOO_LARGE', `Head office sent more than expected while trying to ${what} (${answer.detail}). Check the head-office address.`);
  }
  return {
    kind: 'retryable',
    error: {
      code: 'SYNC_UNREACHABLE',
      message: `Head office could not be reached while trying to ${what} (${answer.failure}: ${answer.detail}). Fieldrun will try again when the network is back.`,
    },
  };
}

export function failureOf(answer: DavAnswer, what: string): TransferFailure {
  return answer.ok ? failureOfStatus(answer, what) : failureOfNetwork(answer, what);
}

export function isSuccess(answer: DavAnswer): answer is Extract<DavAnswer, { ok: true }> {
  return answer.ok && answer.status >= 200 && answer.status < 300;
}

function permanent(code: AppErrorData['code'], message: string, status?: number): TransferFailure {
  return { kind: 'permanent', error: status === undefined ? { code, message } : { code, message, details: { status } } };
}
