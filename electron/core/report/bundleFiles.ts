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
 * Hashes a file in 1 MiB pieces. `at` lists byte counts at which the hash of the prefix is also
 * wanted (an event's digest of the output as it was then); the result maps each to its hex hash.
 */
export async function hashFile(path: string, at: readonly number[] = []): Promise<{ size: number; sha256: string; prefixes: Map<number, string> }> {
  const hash = createHash('sha256');
  const marks = [...new Set(at)].sort((a, b) => a - b);
  const prefixes = new Map<number, string>();
  let size = 0;
  let next = 0;
  const mark = (h: Hash): void => {
    while (next < marks.length && marks[next] === size) {
      prefixes.set(size, h.copy().digest('hex'));
      next += 1;
    }
  };
  mark(hash);
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let from = 0;
    while (from < chunk.length) {
      const target = next < marks.length ? marks[next]! : Number.POSITIVE_INFINITY;
      const take = Math.min(chunk.length - from, target - size);
      hash.update(chunk.subarray(from, from + take));
      from += take;
      size += take;
      mark(hash);
    }
  }
  return { size, sha256: hash.digest('hex'), prefixes };
}
