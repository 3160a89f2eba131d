import { createReadStream } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { writeFileAtomically, type WrittenFile } from './atomicFile';
import { BLOCK, MAX_TAR_SIZE, paddingOf, renderTarHeader } from './ustar';

export interface TarInput {
  /** The one folder the archive holds, e.g. the bundle's folder name. */
  readonly root: string;
  /** Files in the order they are written; paths relative to `root`, '/'-separated. */
  readonly files: readonly { readonly path: string; readonly localPath: string; readonly size: number }[];
  /** One mtime for every entry (seconds), so that the archive is a function of the bundle. */
  readonly mtime: number;
}

/**
 * Writes a deterministic ustar archive of files already on disk, streaming each (nothing is held
 * whole in memory). The export builds its archive in the same pass as the folder (BundleSink); this
 * is the same format from the folder, for tools and tests that archive a bundle after the fact.
 */
export function writeTar(archivePath: string, input: TarInput): Promise<WrittenFile> {
  return writeFileAtomically(archivePath, tarBytes(input));
}

async function* tarBytes({ root, files, mtime }: TarInput): AsyncGenerator<Uint8Array> {
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  yield renderTarHeader({ path: `${root}/`, type: 'directory', size: 0, mtime });
  for (const folder of [...folders].sort()) yield renderTarHeader({ path: `${root}/${folder}/`, type: 'directory', size: 0, mtime });
  for (const file of files) {
    if (file.size > MAX_TAR_SIZE) throw new AppError('REPORT_EXPORT_FAILED', `${file.path} is larger than a tar archive can hold (8 GiB).`, { path: file.path });
    yield renderTarHeader({ path: `${root}/${file.path}`, type: 'file', size: file.size, mtime });
    let seen = 0;
    for await (const chunk of createReadStream(file.localPath, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > file.size) break;
      yield chunk;
    }
    if (seen !== file.size) {
      throw new AppError('REPORT_EXPORT_FAILED', `${file.path} changed while the archive was written. Export again.`, { path: file.path, expected: file.size, seen });
    }
    const padding = paddingOf(file.size);
    if (padding > 0) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(BLOCK * 2);
}
