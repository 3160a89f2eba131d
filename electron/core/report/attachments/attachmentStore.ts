import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_ATTACHMENT_BYTES } from '../../../../shared/contract/attachments';
import { AppError } from '../../../../shared/errors';
import { pathExists, syncFolder } from '../../fs/atomicFile';
import { readRange } from '../../fs/readRange';
import { MediaTypeSniffer, type AttachmentMediaType } from './mediaType';

export { MAX_ATTACHMENT_BYTES };

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Names of copies not yet complete; never a valid hash. */
const INCOMING = '.incoming-';

export interface StoredAttachment {
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: AttachmentMediaType;
}

/**
 * Attachment bytes, stored once by SHA-256 under `<dataDir>/attachments/`, whatever run or target
 * they belong to; the journal says which. A file appears under its hash only once all of it is on
 * disk (temporary name, fsync, rename, fsync of the folder), so a crash never leaves a truncated
 * file under a valid name.
 */
export class AttachmentStore {
  readonly dir: string;
  /** Hashes whose stored file was read whole and matched this session: ranges of it are read without hashing again. */
  private readonly verified = new Set<string>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'attachments');
  }

  /**
   * Removes copies cut short by a crash. Only at start, by the one process that owns the data
   * folder (its lock): a copy in flight in this process must never be swept.
   */
  sweepIncoming(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) if (name.startsWith(INCOMING)) rmSync(join(this.dir, name), { force: true });
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new TypeError('an attachment hash is 64 lowercase hex digits');
    return join(this.dir, sha256);
  }

  /**
   * Copies `source` into the store, hashing it and judging its media type on the way. The size
   * is checked before a byte is copied and again on what is read; the hash is of the bytes stored.
   */
  async put(source: string, displayName: string): Promise<StoredAttachment> {
    const info = await stat(source);
    if (info.size > MAX_ATTACHMENT_BYTES) throw tooLarge(displayName, info.size);
    if (info.size === 0) throw new AppError('INPUT_INVALID', `${displayName} is empty. Attach the photo or file again.`, { size: 0 });
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = join(this.dir, `${INCOMING}${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    const sniffer = new MediaTypeSniffer();
    let size = 0;
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        for await (const chunk of createReadStream(source, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
          size += chunk.length;
          // The file may have grown since stat(): the bound holds on what is read.
          if (size > MAX_ATTACHMENT_BYTES) throw tooLarge(displayName, size);
          hash.update(chunk);
          sniffer.push(chunk);
          let written = 0;
          while (written < chunk.length) written += (await handle.write(chunk, written, chunk.length - written)).bytesWritten;
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      if (await pathExists(target)) await rm(temp, { force: true });
      else {
        await rename(temp, target);
        await syncFolder(this.dir);
      }
      return { sha256, size, mediaType: sniffer.result() };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** The stored bytes of an attachment, checked against their hash: a damaged file is never shown as the photo. */
  async read(sha256: string, displayName: string): Promise<Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(sha256));
    } catch {
      throw missing(sha256, displayName);
    }
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw missing(sha256, displayName);
    this.verified.add(sha256);
    return bytes;
  }

  /**
   * A byte range of a stored attachment. The whole file is hashed the first time this session
   * (streamed, never held whole); later ranges are read straight from disk, the size checked each time.
   */
  async readRange(attachment: { readonly sha256: string; readonly size: number; readonly name: string }, offset: number, length: number): Promise<Buffer> {
    const { sha256, size, name } = attachment;
    if (!this.verified.has(sha256)) {
      const hash = createHash('sha256');
      try {
        for await (const chunk of createReadStream(this.pathOf(sha256), { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) hash.update(chunk);
      } catch {
        throw missing(sha256, name);
      }
      if (hash.digest('hex') !== sha256) throw missing(sha256, name);
      this.verified.add(sha256);
    }
    let handle;
    try {
      handle = await open(this.pathOf(sha256), 'r');
    } catch {
      this.verified.delete(sha256);
      throw missing(sha256, name);
    }
    try {
      if ((await handle.stat()).size !== size) {
        this.verified.delete(sha256);
        throw missing(sha256, name);
      }
      return await readRange(handle, offset, Math.max(0, Math.min(length, size - offset)));
    } finally {
      await handle.close();
    }
  }

  /** The path of a stored attachment, after checking it is there (export copies from it). */
  async existingPathOf(sha256: string, displayName: string): Promise<string> {
    const path = this.pathOf(sha256);
    if (!(await pathExists(path))) throw missing(sha256, displayName);
    return path;
  }
}

function tooLarge(name: string, size: number): AppError {
  const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
  return new AppError(
    'ATTACHMENT_TOO_LARGE',
    `${name} is ${mib(size)} MiB; an attachment may be at most ${mib(MAX_ATTACHMENT_BYTES)} MiB. Attach a smaller photo (or a shorter document), or hand the file over separately.`,
    { size, limit: MAX_ATTACHMENT_BYTES },
  );
}

function missing(sha256: string, name: string): AppError {
  return new AppError(
    'ATTACHMENT_NOT_FOUND',
    `The stored file of attachment ${name} (SHA-256 ${sha256}) is missing or damaged in this data folder. Restore the data folder from a backup, or attach the file again.`,
    { sha256 },
  );
}
