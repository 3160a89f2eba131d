import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { AppError, isAppError } from '../../../../shared/errors';
import { runScript, type RemoteShell } from '../exec/remoteShell';
import { shellQuote } from '../exec/shellQuote';
import { remoteSha256 } from './remoteSha256';

export interface UploadOptions {
  localPath: string;
  /** Absolute path on the host; its directory must exist and be writable by the login user. */
  remotePath: string;
  /** The artifact's SHA-256 from the plan (hex); the local file must match it too. */
  expectedSha256?: string;
  /** Permission bits set before the file is moved into place, e.g. 0o644. */
  mode?: number;
  /** 'user' or 'user:group', applied with chown before the file is moved into place. */
  owner?: string;
  onProgress?: (progress: { transferred: number; total: number }) => void;
  /** Parallel SFTP writes in flight. Default 64. */
  concurrency?: number;
  /** Bytes per SFTP write. Default 32 KiB (OpenSSH accepts up to 256 KiB). */
  chunkSize?: number;
}

export interface UploadResult {
  remotePath: string;
  bytes: number;
  sha256: string;
  elapsedMs: number;
}

function sftpCall(what: string, run: (done: (error: Error | null | undefined) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(Object.assign(error, { during: what })) : resolve())));
}

function failed(remotePath: string, error: unknown): AppError {
  if (isAppError(error)) return error;
  const cause = error instanceof Error ? error.message : String(error);
  const during = error instanceof Error && 'during' in error ? String(error.during) : 'transfer';
  return new AppError('SSH_UPLOAD_FAILED', `Uploading to ${remotePath} failed during ${during} (${cause}). Check that the directory exists, is writable by the login user, and has room.`, {
    remotePath,
    during,
    cause,
  });
}

async function localSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Uploads a file over SFTP to a temporary name beside the target, checks its SHA-256 computed on
 * the host against the local file (and the plan's hash), then sets mode and owner and renames it
 * into place. On any failure the temporary file is removed and the target is left as it was.
 */
export async function uploadFile(shell: RemoteShell, options: UploadOptions): Promise<UploadResult> {
  const started = Date.now();
  const { remotePath } = options;
  if (!posix.isAbsolute(remotePath) || remotePath.endsWith('/')) {
    throw new AppError('INPUT_INVALID', `Upload target '${remotePath}' must be an absolute file path on the host.`, { field: 'remotePath' });
  }
  const size = await stat(options.localPath).then(
    (s) => s.size,
    () => {
      throw new AppError('ARTIFACT_MISSING', `The file to upload (${options.localPath}) cannot be read. Import the plan's artifacts again.`, { localPath: options.localPath });
    },
  );
  const temporary = posix.join(posix.dirname(remotePath), `.${posix.basename(remotePath)}.fieldrun-${randomBytes(6).toString('hex')}.part`);
  const localHash = localSha256(options.localPath);
  const sftp = await shell.sftp();
  let placed = false;
  try {
    await sftpCall('transfer', (done) =>
      sftp.fastPut(options.localPath, temporary, {
        concurrency: options.concurrency ?? 64,
        chunkSize: options.chunkSize ?? 32 * 1024,
        mode: 0o600,
        step: (transferred, _chunk, total) => options.onProgress?.({ transferred, total }),
      }, done),
    );
    const [local, remote] = await Promise.all([localHash, remoteSha256(shell, temporary)]);
    if (options.expectedSha256 !== undefined && local !== options.expectedSha256.toLowerCase()) {
      throw new AppError('ARTIFACT_HASH_MISMATCH', `The local file ${options.localPath} does not have the plan's SHA-256 (expected ${options.expectedSha256}, found ${local}). Nothing was put in place; import the artifact again.`, {
        expected: options.expectedSha256,
        actual: local,
      });
    }
    if (remote !== local) {
      throw new AppError('SSH_UPLOAD_CHECKSUM_MISMATCH', `The file arrived damaged on the host (SHA-256 ${remote}, sent ${local}). Nothing was put in place; upload it again.`, {
        remotePath,
        expected: local,
        actual: remote,
      });
    }
    if (options.mode !== undefined) await sftpCall('chmod', (done) => sftp.chmod(temporary, options.mode!, done));
    if (options.owner !== undefined) await chown(shell, temporary, options.owner);
    await moveIntoPlace(shell, sftp, temporary, remotePath);
    placed = true;
    return { remotePath, bytes: size, sha256: local, elapsedMs: Date.now() - started };
  } catch (error) {
    throw failed(remotePath, error);
  } finally {
    if (!placed) await sftpCall('cleanup', (done) => sftp.unlink(temporary, done)).catch(() => undefined);
    sftp.end();
    await localHash.catch(() => undefined);
  }
}

async function chown(shell: RemoteShell, path: string, owner: string): Promise<void> {
  if (!/^[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)?$/.test(owner)) throw new AppError('INPUT_INVALID', `Owner '${owner}' is not 'user' or 'user:group'.`, { field: 'owner' });
  const output = await runScript(shell, `chown -- ${shellQuote(owner)} ${shellQuote(path)}\n`);
  if (output.code !== 0) throw Object.assign(new Error(output.stderr.trim().slice(0, 300) || `exit ${output.code}`), { during: 'chown' });
}

/** posix-rename replaces an existing target atomically; plain SFTP rename refuses to. */
async function moveIntoPlace(shell: RemoteShell, sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  try {
    await sftpCall('rename', (done) => sftp.ext_openssh_rename(from, to, done));
  } catch {
    const output = await runScript(shell, `mv -f -- ${shellQuote(from)} ${shellQuote(to)}\n`);
    if (output.code !== 0) throw Object.assign(new Error(output.stderr.trim().slice(0, 300) || `exit ${output.code}`), { during: 'rename' });
  }
}
