import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { syncFolderSync } from '../fs/atomicFile';

/**
 * Artifacts are stored once by their SHA-256 under `<dataDir>/artifacts/`, whatever plan carried
 * them. A file appears under its hash only after its bytes are on disk (temp file, fsync,
 * rename), so a crash never leaves a truncated artifact under a valid name.
 */
export class ArtifactStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'artifacts');
    mkdirSync(this.dir, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError('artifact hash must be 64 lowercase hex digits');
    return join(this.dir, sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /** Stores bytes already in memory (from an archive) whose hash the caller has checked. */
  putBytes(sha256: string, data: Buffer): void {
    if (this.has(sha256)) return;
    const temp = join(this.dir, `.incoming-${randomBytes(8).toString('hex')}`);
    const fd = openSync(temp, 'wx', 0o600);
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.commit(temp, sha256);
  }

  /**
   * Copies a file into the store while hashing it, so a large artifact is read once and never held
   * in memory. Returns the hash and size actually read; stores only when it equals `expected`.
   */
  async putFile(source: string, expected: string): Promise<{ sha256: string; size: number; stored: boolean }> {
    const temp = join(this.dir, `.incoming-${randomBytes(8).toString('hex')}`);
    const fd = openSync(temp, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of createReadStream(source, { highWaterMark: 1024 * 1024 })) {
        const buffer = chunk as Buffer;
        hash.update(buffer);
        size += buffer.length;
        let written = 0;
        while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== expected || this.has(sha256)) {
      rmSync(temp, { force: true });
      return { sha256, size, stored: sha256 === expected };
    }
    this.commit(temp, sha256);
    return { sha256, size, stored: true };
  }

  private commit(temp: string, sha256: string): void {
    renameSync(temp, this.pathOf(sha256));
    syncFolderSync(this.dir);
  }
}
