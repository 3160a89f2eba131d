import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';

/** A private key file is small: OpenSSH's largest (RSA 16384, encrypted) stays well under this. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * Reads a key file whose path came from the renderer: only a regular file of at most 64 KiB, read
 * with a bound (never a device, a FIFO or a huge file that hangs the core or fills its memory).
 * Missing, unreadable and not-a-key-file give one answer, so the call is no probe of the file system.
 */
export async function readKeyFile(path: string): Promise<Buffer> {
  const unreadable = (): AppError =>
    new AppError('SSH_KEY_INVALID', `Cannot read the key file at ${path}: Fieldrun reads only a readable regular file of at most ${MAX_KEY_FILE_BYTES / 1024} KiB. Check the path and its permissions.`, {
      keyPath: path,
      reason: 'unreadable',
    });
  const regularAndSmall = (info: { isFile(): boolean; size: number }): boolean => info.isFile() && info.size <= MAX_KEY_FILE_BYTES;
  try {
    if (!regularAndSmall(await stat(path))) throw unreadable();
    // Non-blocking, so a FIFO swapped in after the stat cannot hold the open; the handle is checked again.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!regularAndSmall(await handle.stat())) throw unreadable();
      const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
      let read = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
        if (bytesRead === 0) break;
        read += bytesRead;
        if (read > MAX_KEY_FILE_BYTES) throw unreadable();
      }
      return buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadable();
  }
}

