import type { OutputStore } from '../store';
import type { ByteSource } from './atomicFile';

/** The run's command output, stream by stream, as the bundle writer reads it. */
export interface BundleOutputSource {
  /** Every stream to carry, in a stable order (its place gives the file's number). */
  readonly streams: readonly string[];
  /** The stream's bytes in order, in bounded pieces: a 200 MB output is never held whole. */
  read(stream: string): ByteSource;
  /** The stream's length when known before reading: its bytes then go to the folder and the archive in one pass. */
  lengthOf?(stream: string): number | undefined;
}

// Rows are ≤ 64 KiB; one query per 4 MiB keeps the per-query cost small and memory bounded.
const READ_BYTES = 4 * 1024 * 1024;

/** The output a store holds for one run, read range by range. */
export function storeOutputSource(output: OutputStore, runId: string): BundleOutputSource {
  const infos = output.streams(runId);
  const lengths = new Map(infos.map((info) => [info.stream, info.length]));
  return {
    streams: infos.map((info) => info.stream),
    lengthOf: (stream) => lengths.get(stream),
    *read(stream: string) {
      const length = lengths.get(stream) ?? 0;
      for (let offset = 0; offset < length; offset += READ_BYTES) {
        yield output.read(runId, stream, { offset, length: Math.min(READ_BYTES, length - offset) });
      }
    },
  };
}
