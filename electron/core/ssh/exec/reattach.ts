import { AppError } from '../../../../shared/errors';
import type { CommandResult } from './commandResult';
import { reattachScript } from './controlScripts';
import { assertExecId } from './execId';
import { followStream, streamMarker, type OutputSink } from './outputStream';
import { openScriptChannel, type RemoteShell } from './remoteShell';
import { resultOf } from './resultOf';

export interface ReattachOptions {
  execId: string;
  /** Raw offsets to continue from: the `end` of the last piece the caller kept, per stream. */
  fromOffsets: { stdout: number; stderr: number };
  /** The same secrets as at the start, sudo password included: masking starts afresh here. */
  secrets?: readonly string[];
}

function offset(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new AppError('INPUT_INVALID', `${field} must be a whole number of bytes, 0 or more.`, { field });
  return value;
}

/**
 * Finds an execution again after a reconnect (or a restart of the app). A finished one yields
 * its real outcome and the output after `fromOffsets`; a running one streams on until it ends;
 * one the host has no record of (or that a reboot interrupted) is `unknown`.
 */
export async function reattach(shell: RemoteShell, options: ReattachOptions, sink: OutputSink): Promise<CommandResult> {
  const startedAt = Date.now();
  assertExecId(options.execId);
  const from = { stdout: offset(options.fromOffsets.stdout, 'fromOffsets.stdout'), stderr: offset(options.fromOffsets.stderr, 'fromOffsets.stderr') };
  const marker = streamMarker();
  const channel = await openScriptChannel(shell);
  const followed = followStream(channel, { from, marker, secrets: options.secrets ?? [], sink });
  channel.end(reattachScript(options.execId, marker, from.stdout, from.stderr));
  const result = resultOf(options.execId, await followed, startedAt);
  return { ...result, attached: true };
}
