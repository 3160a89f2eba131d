import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { AppError, isAppError } from '../../../../shared/errors';

/**
 * What the exec and upload code needs from a connection. The connection layer's SshConnection
 * satisfies it (exec queues beyond the server's session limit); tests may pass anything real.
 */
export interface RemoteShell {
  exec(command: string, options?: { pty?: boolean }): Promise<ClientChannel>;
  sftp(): Promise<SFTPWrapper>;
}

/**
 * The command every script channel runs. Scripts arrive on stdin, so nothing but these words is
 * ever on a command line, and any login shell (bash, dash, zsh, fish, tcsh) can start it.
 */
export const SCRIPT_COMMAND = '/bin/sh -s';

/** Opens a channel running /bin/sh that reads its script from stdin. Nothing has run yet if this throws. */
export async function openScriptChannel(shell: RemoteShell): Promise<ClientChannel> {
  try {
    return await shell.exec(SCRIPT_COMMAND);
  } catch (error) {
    if (isAppError(error)) throw error;
    const cause = error instanceof Error ? error.message : String(error);
    throw new AppError('SSH_CHANNEL_FAILED', `Could not open a command channel (${cause}). Nothing was started; reconnect and try again.`, { cause });
  }
}

export interface ScriptOutput {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * Runs a short control script and collects its output (bounded). A channel that closes with no
 * exit status means the link went away: SSH_DISCONNECTED.
 */
export async function runScript(shell: RemoteShell, script: string, limit = 1 << 20): Promise<ScriptOutput> {
  const channel = await openScriptChannel(shell);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outLength = 0;
  let errLength = 0;
  let code: number | null | undefined;
  channel.on('data', (chunk: Buffer) => {
    if (outLength < limit) out.push(chunk);
    outLength += chunk.length;
  });
  channel.stderr.on('data', (chunk: Buffer) => {
    if (errLength < limit) err.push(chunk);
    errLength += chunk.length;
  });
  channel.on('exit', (exitCode: number | null) => {
    code = exitCode;
  });
  const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()));
  channel.on('error', () => undefined);
  channel.end(script);
  await closed;
  if (code === undefined) {
    throw new AppError('SSH_DISCONNECTED', 'The connection went away while a control command ran on the host. Reconnect and try again.', { reason: 'no-exit-status' });
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code };
}
