import { mkdir, open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BUNDLE_PATH } from './bundleManifest';
import { BLOCK, invalidArchive, paddingOf, parseTarHeader } from './ustar';

const COPY_BYTES = 1024 * 1024;
const MAX_ENTRIES = 100_000;

/**
 * Unpacks a report archive (as writeTar makes it: one folder of plain files) into `into`,
 * streaming. Refuses links, devices, absolute paths, '..', duplicates, a second top folder,
 * non-zero padding and anything after the end: every byte of the archive is accounted for.
 */
export async function extractTar(archivePath: string, into: string): Promise<void> {
  const where = basename(archivePath);
  const handle = await open(archivePath, 'r');
  try {
    const { size: total } = await handle.stat();
    const header = Buffer.alloc(BLOCK);
    const buffer = Buffer.alloc(COPY_BYTES);
    const seen = new Set<string>();
    let root: string | undefined;
    let offset = 0;
    for (let entries = 0; ; entries++) {
      if (entries > MAX_ENTRIES) throw invalidArchive(where, `it holds more than ${MAX_ENTRIES} entries`);
      if (offset + BLOCK > total) throw invalidArchive(where, 'it is cut short');
      await readExactly(handle, header, offset, where);
      offset += BLOCK;
      const fields = parseTarHeader(header, where);
      if (fields === undefined) {
        // The end: exactly one more zero block, then nothing.
        if (offset + BLOCK !== total) throw invalidArchive(where, 'there are bytes after its end, or its end is cut short');
        await readExactly(handle, header, offset, where);
        if (!header.every((byte) => byte === 0)) throw invalidArchive(where, 'its end marker is damaged');
        return;
      }
      if (root === undefined) {
        if (fields.type !== 'directory' || !/^[A-Za-z0-9._-]+\/$/.test(fields.path) || fields.path.startsWith('.')) {
          throw invalidArchive(where, 'it does not start with the report folder');
        }
        root = fields.path;
        continue;
      }
      if (!fields.path.startsWith(root)) throw invalidArchive(where, `${fields.path} lies outside the report folder ${root}`);
      const inner = fields.path.slice(root.length).replace(/\/$/, '');
      if (!BUNDLE_PATH.test(inner) || seen.has(inner)) throw invalidArchive(where, `the entry ${fields.path} is not a plain path, or appears twice`);
      seen.add(inner);
      if (fields.type === 'directory') {
        await unpackable(where, inner, () => mkdir(join(into, inner), { recursive: true }));
        continue;
      }
      if (offset + fields.size + paddingOf(fields.size) > total) throw invalidArchive(where, `${inner} is cut short`);
      await unpackable(where, inner, () => mkdir(join(into, inner, '..'), { recursive: true }));
      const out = await unpackable(where, inner, () => open(join(into, inner), 'wx', 0o600));
      try {
        for (let left = fields.size; left > 0; ) {
          const piece = Math.min(left, COPY_BYTES);
          await readExactly(handle, buffer.subarray(0, piece), offset, where);
          await out.write(buffer, 0, piece);
          offset += piece;
          left -= piece;
        }
      } finally {
        await out.close();
      }
      const padding = paddingOf(fields.size);
      if (padding > 0) {
        const pad = buffer.subarray(0, padding);
        await readExactly(handle, pad, offset, where);
        if (!pad.every((byte) => byte === 0)) throw invalidArchive(where, `the padding after ${inner} is not zero`);
        offset += padding;
      }
    }
  } finally {
    await handle.close();
  }
}

async function readExactly(handle: Awaited<ReturnType<typeof open>>, into: Buffer, position: number, where: string): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw invalidArchive(where, 'it is cut short');
    done += bytesRead;
  }
}

/** A file and a folder of the same name, and the like: the archive's fault, reported as such. */
async function unpackable<T>(where: string, inner: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'EEXIST' || errno === 'ENOTDIR' || errno === 'EISDIR') throw invalidArchive(where, `${inner} clashes with another entry (${errno})`);
    throw error;
  }
}
