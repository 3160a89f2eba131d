import { AppError } from '../../../../shared/errors';
import { cancelScript } from './controlScripts';
import { assertExecId } from './execId';
import { runScript, type RemoteShell } from './remoteShell';

/**
 * - stopped: the runner stopped the command (TERM to its process group, KILL after the grace)
 *   and recorded the outcome; the stream following it ends with `stoppedBy: 'cancel'`
 * - already-finished: it had ended before the request
 * - not-found: the host has no record of this execution
 * - pending: asked, but no outcome was recorded within `waitMs` (the KILL may still be due)
 * - orphan-stopped: the runner was gone (killed on the host); its process group was stopped
 *   directly and no outcome will be recorded (reattach reports `unknown`)
 */
export type CancelState = 'stopped' | 'already-finished' | 'not-found' | 'pending' | 'orphan-stopped';

const STATES: Record<string, CancelState> = {
  stopped: 'stopped',
  finished: 'already-finished',
  missing: 'not-found',
  pending: 'pending',
  orphan: 'orphan-stopped',
};

/** Stops a command started by startCommand, wherever its stream is (even from another connection). */
export async function cancelCommand(shell: RemoteShell, execId: string, options: { waitMs?: number } = {}): Promise<CancelState> {
  assertExecId(execId);
  const waitSeconds = Math.max(1, Math.ceil((options.waitMs ?? 15_000) / 1000));
  const output = await runScript(shell, cancelScript(execId, waitSeconds));
  // the last line: a chatty login shell may print before the script
  const state = STATES[output.stdout.trim().split('\n').at(-1)?.trim() ?? ''];
  if (state === undefined) {
    throw new AppError('SSH_REMOTE_FAILED', `Cancelling ${execId} gave no answer the client understands (exit ${output.code ?? 'none'}). Check the host; the command may still run.`, {
      execId,
      stderr: output.stderr.slice(0, 400),
    });
  }
  return state;
}
