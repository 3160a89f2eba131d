import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every entry under `dir` as a '/'-separated relative path; anything but a plain file or folder is reported as it is. */
export async function listBundleEntries(dir: string): Promise<{ files: string[]; others: string[] }> {
  const files: string[] = [];
  const others: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const names = (await readdir(relative === '' ? dir : join(dir, relative))).sort();
    for (const name of names) {
      const path = relative === '' ? name : `${relative}/${name}`;
      const info = await lstat(join(dir, path));
      if (info.isDirectory()) await walk(path);
      else if (info.isFile()) files.push(path);
      else others.push(path);
    }
  };
  await walk('');
  return { files, others };
}

/**
 * SHA-256 of a byte stream fed in pieces, with the hash of the prefix at each byte count in `at`
 * (an event's digest of the output as it was then), so one pass gives the whole and every prefix.
 */
export class PrefixHasher {
  private readonly hash = createHash('sha256');
  private readonly marks: number[];
  private readonly prefixes = new Map<number, string>();
  private next = 0;
  private size = 0;

  constructor(at: readonly number[] = []) {
    this.marks = [...new Set(at)].sort((a, b) => a - b);
    this.mark();
  }

  push(chunk: Uint8Array): void {
    let from = 0;
    while (from < chunk.length) {
      const target = this.next < this.marks.length ? this.marks[this.next]! : Number.POSITIVE_INFINITY;
      const take = Math.min(chunk.length - from, target - this.size);
      this.hash.update(from === 0 && take === chunk.length ? chunk : chunk.subarray(from, from + take));
      from += take;
      this.size += take;
      this.mark();
    }
  }

  finish(): { size: number; sha256: string; prefixes: Map<number, string> } {
    return { size: this.size, sha256: this.hash.digest('hex'), prefixes: this.prefixes };
  }

  private mark(): void {
    while (this.next < this.marks.length && this.marks[this.next] === this.size) {
      this.prefixes.set(this.size, copyDigest(this.hash));
      this.next += 1;
    }
  }
}

/** Hashes a file in 1 MiB pieces, with the prefix hashes PrefixHasher gives. */
export async function hashFile(path: string, at: readonly number[] = []): Promise<{ size: number; sha256: string; prefixes: Map<number, string> }> {
  const hasher = new PrefixHasher(at);
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) hasher.push(chunk);
  return hasher.finish();
}

function copyDigest(hash: Hash): string {
  return hash.copy().digest('hex');
}
