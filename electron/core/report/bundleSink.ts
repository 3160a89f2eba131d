import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { syncFolder } from '../fs/atomicFile';
import type { ByteSource } from './atomicFile';
import { ioFailure } from './atomicFile';
import { BLOCK, MAX_TAR_SIZE, paddingOf, renderTarHeader } from './ustar';

/** What a bundle file gives the writer: a hash of its bytes as they pass (and a leak scan). */
export interface EntryWatch {
  push(chunk: Uint8Array): void;
}

/** Bytes handed to the disk and not yet written: bounds memory while reads, hashing and writes overlap. */
const MAX_IN_FLIGHT = 16 * 1024 * 1024;
const ZEROS = Buffer.alloc(BLOCK * 2);

/**
 * Writes a bundle's files into its folder and, from the same buffers, into its deterministic
 * ustar archive, in one pass: the archive is the folder's files in path order (folders first),
 * then manifest.json and its signature. A file whose size is known before it is read goes to both
 * at once; one whose size is not (the journal) is written to the folder, then copied from it.
 * Each folder file is fsynced as soon as its last write is done, in the background while the next
 * ones are written; `syncFiles` waits for all of them before the manifest, and the signature,
 * written last, stays the commit marker.
 */
export class BundleSink {
  private position = 0;
  private readonly archiveHash = createHash('sha256');
  private closed = false;
  /** Writes handed to the disk and not yet settled, oldest first. */
  private readonly inFlight: { readonly settled: Promise<void>; readonly bytes: number }[] = [];
  private inFlightBytes = 0;
  /** The first write that failed; thrown at the next wait. */
  private failure: unknown;
  private lastDone: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly root: string,
    private readonly mtime: number,
    private readonly archivePath: string,
    private readonly archiveTemp: string,
    private readonly archive: FileHandle,
  ) {}

  static async open(dir: string, root: string, mtime: number, archivePath: string): Promise<BundleSink> {
    const temp = `${archivePath}.partial-${randomBytes(6).toString('hex')}`;
    try {
      return new BundleSink(dir, root, mtime, archivePath, temp, await open(temp, 'wx', 0o644));
    } catch (error) {
      throw ioFailure(error, archivePath);
    }
  }

  /** The archive's folder entries: the root and every folder of `paths`, sorted. */
  async folders(paths: readonly string[]): Promise<void> {
    const folders = new Set<string>();
    for (const path of paths) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    }
    await this.append(renderTarHeader({ path: `${this.root}/`, type: 'directory', size: 0, mtime: this.mtime }));
    for (const folder of [...folders].sort()) await this.append(renderTarHeader({ path: `${this.root}/${folder}/`, type: 'directory', size: 0, mtime: this.mtime }));
  }

  /** Writes one bundle file (to the folder and the archive); `size`, when known, is what it must hold. */
  async file(path: string, source: ByteSource, watch: EntryWatch, size?: number): Promise<number> {
    const local = join(this.dir, ...path.split('/'));
    if (size !== undefined) this.header(path, size);
    const { seen, done } = await this.pump(local, source, watch, size === undefined ? undefined : path, size);
    if (size === undefined) {
      await done;
      this.throwFailure();
      this.header(path, seen);
      let copied = 0;
      for await (const chunk of createReadStream(local, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
        copied += chunk.length;
        if (copied > seen) break;
        this.append(chunk);
        await this.backpressure();
      }
      if (copied !== seen) throw changed(path, seen, copied);
    }
    this.pad(seen);
    return seen;
  }

  /** Waits for every folder file's fsync (each started once the file was written), fsyncs the archive so far and the folders that hold them. */
  async syncFiles(folders: readonly string[]): Promise<void> {
    await this.drain();
    try {
      await this.archive.sync();
      await Promise.all(folders.map((folder) => syncFolder(join(this.dir, ...folder.split('/').filter((part) => part !== '')))));
    } catch (error) {
      throw ioFailure(error, this.dir);
    }
  }

  /** Adds the manifest and signature entries, ends the archive and puts it in place; returns its SHA-256. */
  async finish(tail: readonly { readonly path: string; readonly bytes: Buffer }[]): Promise<string> {
    for (const { path, bytes } of tail) {
      this.header(path, bytes.length);
      this.append(bytes);
      this.pad(bytes.length);
    }
    this.append(ZEROS);
    await this.drain();
    try {
      await this.archive.sync();
      await this.close();
      await rename(this.archiveTemp, this.archivePath);
      await syncFolder(dirname(this.archivePath));
    } catch (error) {
      throw ioFailure(error, this.archivePath);
    }
    return this.archiveHash.digest('hex');
  }

  /** Drops the unfinished archive (the bundle failed); no write is still under way when it returns. */
  async abandon(): Promise<void> {
    await this.drain().catch(() => undefined);
    await this.close().catch(() => undefined);
    await rm(this.archiveTemp, { force: true });
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.archive.close();
  }

  /**
   * Streams `source` into the folder file and (when `tarPath` is given) the archive. Writes are
   * not awaited one by one: reading, hashing and the next file go on while they complete, up to
   * MAX_IN_FLIGHT bytes; `done` settles when the file is written and closed.
   */
  private async pump(local: string, source: ByteSource, watch: EntryWatch, tarPath: string | undefined, size: number | undefined): Promise<{ seen: number; done: Promise<void> }> {
    let file: Promise<FileHandle> = open(local, 'wx', 0o644);
    let seen = 0;
    let complete = false;
    try {
      for await (const chunk of source) {
        if (chunk.length === 0) continue;
        seen += chunk.length;
        if (size !== undefined && seen > size) throw changed(tarPath ?? local, size, seen);
        watch.push(chunk);
        const at = seen - chunk.length;
        file = file.then(async (handle) => {
          await writeAll(handle, chunk, at);
          return handle;
        });
        this.track(file, chunk.length, local);
        if (tarPath !== undefined) this.append(chunk);
        await this.backpressure();
      }
      if (size !== undefined && seen !== size) throw changed(tarPath ?? local, size, seen);
      complete = true;
    } finally {
      // A complete file is fsynced right after its last write, while the next files are read and
      // written: the disk works through the bundle as it is made rather than all of it at the end.
      // Closed whether or not the file was complete: the folder is removed on failure.
      const done = file.then(async (handle) => {
        try {
          if (complete) await handle.sync();
        } finally {
          await handle.close();
        }
      });
      this.track(done, 0, local);
      this.lastDone = done.catch(() => undefined);
    }
    return { seen, done: this.lastDone };
  }

  private header(path: string, size: number): void {
    if (size > MAX_TAR_SIZE) throw new AppError('REPORT_EXPORT_FAILED', `${path} is larger than a tar archive can hold (8 GiB).`, { path });
    this.append(renderTarHeader({ path: `${this.root}/${path}`, type: 'file', size, mtime: this.mtime }));
  }

  private pad(size: number): void {
    const padding = paddingOf(size);
    if (padding > 0) this.append(ZEROS.subarray(0, padding));
  }

  /** Places `bytes` at the archive's end: the place (and the hash) is taken now, the write completes later. */
  private append(bytes: Uint8Array): void {
    const at = this.position;
    this.position += bytes.length;
    this.archiveHash.update(bytes);
    this.track(writeAll(this.archive, bytes, at), bytes.length, this.archivePath);
  }

  /** Keeps a write's promise; its failure is kept (never left unhandled) and thrown at the next wait. */
  private track(write: Promise<unknown>, bytes: number, path: string): void {
    const settled = write.then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= ioFailure(error, path);
      },
    );
    this.inFlight.push({ settled, bytes });
    this.inFlightBytes += bytes;
  }

  private async backpressure(): Promise<void> {
    while (this.inFlightBytes > MAX_IN_FLIGHT) await this.settleOldest();
    this.throwFailure();
  }

  /** Waits for every write under way; throws the first that failed. */
  private async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.settleOldest();
    this.throwFailure();
  }

  private async settleOldest(): Promise<void> {
    const oldest = this.inFlight.shift();
    if (oldest === undefined) return;
    await oldest.settled;
    this.inFlightBytes -= oldest.bytes;
  }

  private throwFailure(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
}

function changed(path: string, expected: number, seen: number): AppError {
  return new AppError('REPORT_EXPORT_FAILED', `${path} changed while the report was written. Export again.`, { path, expected, seen });
}
