import { AppError } from '../../../../shared/errors';
import { runScript, type RemoteShell } from '../exec/remoteShell';
import { shellQuote } from '../exec/shellQuote';

/**
 * SHA-256 of a file, computed on the host with whichever tool it has: coreutils sha256sum,
 * perl's shasum, or openssl. The file is read on stdin, so no file name can disturb the output.
 */
export async function remoteSha256(shell: RemoteShell, remotePath: string): Promise<string> {
  const script = `{
f=${shellQuote(remotePath)}
if command -v sha256sum >/dev/null 2>&1; then sha256sum <"$f"
elif command -v shasum >/dev/null 2>&1; then shasum -a 256 <"$f"
elif command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 <"$f"
else echo 'fieldrun: no-sha256-tool' >&2; exit 3; fi
}
`;
  const output = await runScript(shell, script);
  const hex = /\b([0-9a-f]{64})\b/i.exec(output.stdout)?.[1];
  if (output.code === 0 && hex !== undefined) return hex.toLowerCase();
  if (output.stderr.includes('no-sha256-tool')) {
    throw new AppError('SSH_REMOTE_FAILED', 'The host has none of sha256sum, shasum or openssl, so the upload cannot be verified. Install coreutils on the host.', { reason: 'no-sha256-tool' });
  }
  throw new AppError('SSH_REMOTE_FAILED', `The host could not compute the uploaded file's SHA-256 (exit ${output.code ?? 'none'}: ${output.stderr.trim().slice(0, 300)}). Check the file and the disk on the host.`, {
    reason: 'hash-failed',
  });
}
