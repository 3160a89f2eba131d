import { AppError } from '../../../../shared/errors';
import type { CommandResult } from './commandResult';
import { launchScript } from './controlScripts';
import { assertExecId } from './execId';
import { buildJobScript } from './jobScript';
import { followStream, streamMarker, type OutputSink } from './outputStream';
import { openScriptChannel, type RemoteShell } from './remoteShell';
import { resultOf } from './resultOf';

export interface StartCommandOptions {
  /** Chosen by the caller, e.g. `<runId>.<stepInstance>.<attempt>`; starting the same id twice runs the command once. */
  execId: string;
  /** Shell text, run by the host's /bin/sh. */
  command: string;
  env?: Readonly<Record<string, string>>;
  cwd?: string;
  /** Run as root through sudo; the password reaches sudo on stdin and is masked in the output. */
  sudo?: { password: string };
  /** Enforced on the host (so it holds while the link is down); rounded up to whole seconds. */
  timeoutMs?: number;
  /** Between TERM and KILL when cancelled or timed out. Default 5 s. */
  killGraceMs?: number;
  /** The command's standard input, stored on the host before the command starts. */
  stdin?: Buffer | string;
  /** Values to mask in the output (plan secrets); the sudo password is always masked. */
  secrets?: readonly string[];
}

const DEFAULT_GRACE_MS = 5000;

function wholeSeconds(ms: number, field: string): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new AppError('INPUT_INVALID', `${field} must be a positive number of milliseconds.`, { field });
  return Math.ceil(ms / 1000);
}

/**
 * Starts a command on the host inside the wrapper and streams its output, masked, until it ends.
 * Resolves with its outcome, or with `link-lost` (then reconnect and reattach from `offsets`).
 * Rejects when nothing was started (INPUT_INVALID, SSH_CHANNEL_FAILED, SSH_REMOTE_FAILED with
 * `details.reason` no-setsid, no-sudo, cannot-create-dir, stdin-incomplete), and when the sink
 * threw or the stream broke the protocol (SSH_REMOTE_FAILED, reason 'protocol'): then the command
 * may be running, and reattach() tells.
 */
export async function startCommand(shell: RemoteShell, options: StartCommandOptions, sink: OutputSink): Promise<CommandResult> {
  const startedAt = Date.now();
  assertExecId(options.execId);
  const job = buildJobScript({
    command: options.command,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const password = options.sudo?.password;
  if (password !== undefined && /[\n\r\0]/.test(password)) {
    throw new AppError('INPUT_INVALID', 'The sudo password contains a line break or NUL, which sudo cannot read. Check the password.', { field: 'sudo.password' });
  }
  const stdin = options.stdin === undefined ? undefined : Buffer.isBuffer(options.stdin) ? options.stdin : Buffer.from(options.stdin, 'utf8');
  const marker = streamMarker();
  const script = launchScript({
    execId: options.execId,
    marker,
    job,
    sudoPassword: password,
    timeoutSeconds: options.timeoutMs === undefined ? undefined : wholeSeconds(options.timeoutMs, 'timeoutMs'),
    graceSeconds: wholeSeconds(options.killGraceMs ?? DEFAULT_GRACE_MS, 'killGraceMs'),
    stdinLength: stdin?.length,
  });

  const channel = await openScriptChannel(shell);
  const secrets = password === undefined ? [...(options.secrets ?? [])] : [...(options.secrets ?? []), password];
  const followed = followStream(channel, {
    from: { stdout: 0, stderr: 0 },
    marker,
    secrets,
    sink,
    onReady: () => channel.end(stdin),
  });
  channel.write(script);
  if (stdin === undefined) channel.end();
  return resultOf(options.execId, await followed, startedAt);
}
