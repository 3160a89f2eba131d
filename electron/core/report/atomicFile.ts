import { AppError } from '../../../shared/errors';
import { writeStreamAtomic, type ByteSource, type WrittenFile } from '../fs/atomicFile';

export type { ByteSource, WrittenFile };

/**
 * A bundle file written through a temporary name and renamed into place once complete and on disk
 * (see fs/atomicFile); bundle files are readable by others (0644), and a failure says what to do.
 */
export async function writeFileAtomically(path: string, source: ByteSource, onChunk?: (chunk: Uint8Array) => void): Promise<WrittenFile> {
  try {
    return await writeStreamAtomic(path, source, onChunk === undefined ? { mode: 0o644 } : { mode: 0o644, onChunk });
  } catch (error) {
    throw ioFailure(error, path);
  }
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
