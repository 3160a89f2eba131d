import { AppError } from '../../../../shared/errors';
import { parseExitRecord, unknownReason, type CommandResult } from './commandResult';
import type { Followed } from './outputStream';

const LAUNCH_FAILURES: Record<string, string> = {
  'no-setsid': 'The host has no setsid command (util-linux or busybox), so a command could not be made to survive the connection. Nothing was run. Install util-linux on the host.',
  'no-sudo': 'The step needs sudo but the host has no sudo command. Nothing was run. Install sudo or run the step without it.',
  'cannot-create-dir': 'The wrapper could not create ~/.fieldrun/runs on the host (home directory missing or not writable). Nothing was run. Check the login user\'s home directory.',
  'stdin-incomplete': 'The command\'s input did not arrive completely. Nothing was run. Reconnect and start it again.',
};

/** Turns what the stream channel reported into the caller's result. */
export function resultOf(execId: string, followed: Followed, startedAt: number): CommandResult {
  const facts = { execId, offsets: followed.offsets, attached: followed.attached, elapsedMs: Date.now() - startedAt };
  const end = followed.end;
  switch (end.kind) {
    case 'finished': {
      const record = parseExitRecord(end.record);
      return {
        ...record.outcome,
        ...facts,
        ...(record.hostEndedAt === undefined ? {} : { hostEndedAt: record.hostEndedAt }),
        ...(record.stoppedBy === undefined ? {} : { stoppedBy: record.stoppedBy }),
      };
    }
    case 'unknown':
      return { kind: 'unknown', reason: unknownReason(end.reason), ...facts };
    case 'link-lost':
      return { kind: 'link-lost', reason: end.reason, ...facts };
    case 'failed':
      throw new AppError('SSH_REMOTE_FAILED', LAUNCH_FAILURES[end.reason] ?? `The wrapper could not start the command (${end.reason}). Nothing was run.`, {
        execId,
        reason: end.reason,
      });
  }
}
