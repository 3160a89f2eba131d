import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';

export interface WrittenFile {
  readonly size: number;
  readonly sha256: string;
}

export type ByteSource = Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Writes `source` to `path` through a temporary name in the same folder, hashing as it goes, and
 * renames it into place only once it is complete and on disk: a crash never leaves a half file
 * under a bundle name. `onChunk` sees each chunk before it is written (a leak scan, a prefix check).
 */
export async function writeFileAtomically(path: string, source: ByteSource, onChunk?: (chunk: Uint8Array) => void): Promise<WrittenFile> {
  const temp = `${path}.partial-${randomBytes(6).toString('hex')}`;
  const hash = createHash('sha256');
  let size = 0;
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      for await (const chunk of source) {
        if (chunk.length === 0) continue;
        onChunk?.(chunk);
        hash.update(chunk);
        size += chunk.length;
        let written = 0;
        while (written < chunk.length) written += (await handle.write(chunk, written, chunk.length - written)).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw ioFailure(error, path);
  }
  return { size, sha256: hash.digest('hex') };
}

export function ioFailure(error: unknown, path: string): unknown {
  if (error instanceof AppError) return error;
  const errno = (error as NodeJS.ErrnoException).code;
  if (errno === undefined) return error;
  const full = errno === 'ENOSPC' || errno === 'EDQUOT';
  return new AppError(
    'REPORT_EXPORT_FAILED',
    full
      ? `The disk is full: ${path} could not be written. Free some space or export to another folder, then export again.`
      : `Fieldrun could not write ${path} (${errno}). Check that the folder is writable, or export to another folder.`,
    { path, errno },
  );
}
