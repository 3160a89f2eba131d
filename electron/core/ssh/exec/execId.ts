import { AppError } from '../../../../shared/errors';

/**
 * An execution id names one launch of one command on one host, e.g. `<runId>.<step>.<attempt>`.
 * The client chooses it so that it can find the execution again after a reconnect; it becomes a
 * directory name under ~/.fieldrun/runs/ on the host, hence the narrow alphabet.
 */
const EXEC_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function assertExecId(execId: string): void {
  if (!EXEC_ID.test(execId) || execId === '.' || execId === '..') {
    throw new AppError('INPUT_INVALID', `Execution id '${execId.slice(0, 140)}' is not usable: use 1-128 characters from A-Z a-z 0-9 . _ - (not '.' or '..').`, {
      field: 'execId',
    });
  }
}

/** Where the wrapper keeps its records, relative to the login user's home on the host. */
export const RUNS_DIR = '.fieldrun/runs';
