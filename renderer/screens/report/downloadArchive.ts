// Browser mode's "Download": the signed archive read from the core in ranges
// (reports.archive.read), put together as a Blob and saved through an <a download> click.
import { call } from '../../api/api';
import { base64ToBytes } from '../../components/base64';

export const DOWNLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

export type ReadRange = (offset: number, length: number) => Promise<{ readonly data: string; readonly size: number }>;

/**
 * Reads a whole file by ranges; advances by what each answer really held (the core may answer
 * less than asked) and stops at the size the core reports, or when an answer holds nothing.
 */
export async function readAllRanges(read: ReadRange, onProgress?: (received: number, size: number) => void, chunk = DOWNLOAD_CHUNK_BYTES): Promise<Uint8Array<ArrayBuffer>[]> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  let size = Number.POSITIVE_INFINITY;
  while (offset < size) {
    const answer = await read(offset, chunk);
    size = answer.size;
    const bytes = base64ToBytes(answer.data);
    if (bytes.length === 0) break;
    parts.push(bytes);
    offset += bytes.length;
    onProgress?.(offset, size);
  }
  if (offset !== size) throw new Error(`The download stopped at byte ${offset} of ${size}. Try again.`);
  return parts;
}

export function archiveFileName(runId: string, exportSeq: number): string {
  return `fieldrun-report-${runId.replace(/[^A-Za-z0-9._-]/g, '_')}-${exportSeq}.tar`;
}

/** Downloads an export's archive into the browser's downloads folder. */
export async function downloadArchive(runId: string, exportSeq: number, onProgress: (received: number, size: number) => void): Promise<void> {
  const parts = await readAllRanges((offset, length) => call('reports.archive.read', { runId, exportSeq, offset, length }), onProgress);
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/x-tar' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = archiveFileName(runId, exportSeq);
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the Blob to the download; the URL can go once the browser took it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
