import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { hashFile } from './bundleFiles';
import type { ManifestOutput } from './bundleManifest';
import type { OutputReference } from './outputReferences';

/**
 * Checks each output file against its manifest entry and against every digest the journal's
 * events carry for its stream (a prefix, when the stream went on after the event). Returns how
 * many digests were checked.
 */
export async function checkOutputFiles(dir: string, outputs: readonly ManifestOutput[], references: readonly OutputReference[]): Promise<number> {
  const byStream = referencesByStream(outputs.map((output) => output.stream), references);
  for (const output of outputs) {
    const refs = byStream.get(output.stream) ?? [];
    const actual = await hashFile(join(dir, ...output.path.split('/')), refs.map((ref) => ref.length));
    if (actual.size !== output.length || actual.sha256 !== output.sha256) throw fileHashMismatch(output.path);
    checkRecordedDigests(output, refs, actual);
  }
  return references.length;
}

/** Groups the journal's output references by stream; a reference to a stream not carried is an error. */
export function referencesByStream(carried: readonly string[], references: readonly OutputReference[]): Map<string, OutputReference[]> {
  const carriedSet = new Set(carried);
  const byStream = new Map<string, OutputReference[]>();
  for (const reference of references) {
    if (!carriedSet.has(reference.stream)) {
      throw new AppError('REPORT_OUTPUT_MISMATCH', `Event ${reference.seq} records output "${reference.stream}" (${reference.length} bytes), but the bundle does not carry that output.`, { seq: reference.seq, stream: reference.stream });
    }
    const list = byStream.get(reference.stream);
    if (list === undefined) byStream.set(reference.stream, [reference]);
    else list.push(reference);
  }
  return byStream;
}

/** Checks an output's bytes (their size and prefix hashes) against every digest its events recorded. */
export function checkRecordedDigests(output: Pick<ManifestOutput, 'stream' | 'path'>, refs: readonly OutputReference[], actual: { readonly size: number; readonly prefixes: ReadonlyMap<number, string> }): void {
  for (const ref of refs) {
    if (ref.length > actual.size || actual.prefixes.get(ref.length) !== ref.sha256) {
      throw new AppError(
        'REPORT_OUTPUT_MISMATCH',
        `Event ${ref.seq} records ${ref.length} bytes of output "${output.stream}" with SHA-256 ${ref.sha256.slice(0, 16)}…, but ${output.path} (${actual.size} bytes) does not hold them: the output is not what was recorded.`,
        { seq: ref.seq, stream: output.stream, path: output.path },
      );
    }
  }
}

export function fileHashMismatch(path: string): AppError {
  return new AppError('REPORT_FILE_HASH_MISMATCH', `${path} does not match the SHA-256 the signed manifest records for it: it was changed after signing.`, { path });
}
