// Writing files so that a crash leaves either the old file or the whole new one, never a torn one:
// the one place keys/, sync/app/, report/ and the content-addressed stores take this from.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface WrittenFile {
  readonly size: number;
  readonly sha256: string;
}

export type ByteSource = Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Replaces `path` with `data`: a temp file beside it, fsync, rename over, fsync the folder. The
 * folder is made (0700) when missing. For small files read and replaced whole (settings, records).
 */
export async function writeFileAtomic(path: string, data: Buffer | string, mode = 0o600): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temp = join(folder, `${tempPrefix(path)}${randomBytes(6).toString('hex')}.tmp`);
  await replaceThroughTemp(temp, path, mode, (handle) => handle.writeFile(data));
  await syncFolder(folder);
}

/**
 * Writes `source` to `path` through a temporary name in the same folder, hashing as it goes, and
 * renames it into place only once it is complete and on disk: a crash never leaves a half file
 * under its final name. `onChunk` sees each chunk before it is written (a leak scan, a prefix check).
 */
export async function writeStreamAtomic(path: string, source: ByteSource, options: { readonly mode?: number; readonly onChunk?: (chunk: Uint8Array) => void } = {}): Promise<WrittenFile> {
  const temp = `${path}.partial-${randomBytes(6).toString('hex')}`;
  const hash = createHash('sha256');
  let size = 0;
  await replaceThroughTemp(temp, path, options.mode ?? 0o600, async (handle) => {
    for await (const chunk of source) {
      if (chunk.length === 0) continue;
      options.onChunk?.(chunk);
      hash.update(chunk);
      size += chunk.length;
      let written = 0;
      while (written < chunk.length) written += (await handle.write(chunk, written, chunk.length - written)).bytesWritten;
    }
  });
  return { size, sha256: hash.digest('hex') };
}

/** The shared body: a new `temp` (never an existing file), written, fsynced, closed, renamed over `path`; removed on any failure. */
async function replaceThroughTemp(temp: string, path: string, mode: number, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Makes a rename or a removal in `folder` durable. */
export async function syncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** syncFolder for the synchronous stores (artifact import runs inside synchronous code). */
export function syncFolderSync(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Whether anything is at `path` (a missing parent or an unreadable folder count as nothing). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/**
 * Removes temp files a killed writeFileAtomic left beside `path`. They hold only what was being
 * written (ciphertext, for the secrets file), but they would pile up. Only the data folder's owner calls it.
 */
export async function removeStaleTempFiles(path: string): Promise<void> {
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await Promise.all(names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp')).map((name) => rm(join(dirname(path), name), { force: true })));
}
