import { join } from 'node:path';
import type { Plan, StepUpload } from '../../../shared/plan';
import type { StepOutcome } from '../../../shared/run';
import type { ConnectionPool, HostEndpoint } from '../ssh/connection';
import type { MaskedChunk } from '../ssh/exec';
import { uploadFile } from '../ssh/upload';
import type { OutputDigest, OutputWriter, Store } from '../store';
import { describe } from './runBaseline';
import { substitutePlain, type VariableValues } from './substituteVariables';

// What a step and a rollback action share: output kept in the store (and streamed live) while a
// command runs, and the checksum-verified upload of an artifact.

export type StreamDigests = { stdout: { length: number; sha256: string }; stderr: { length: number; sha256: string } };

export async function withStoredOutput(
  store: Store,
  runId: string,
  streams: { stdout: string; stderr: string },
  onOutput: (stream: string, offset: number, data: Buffer) => void,
  run: (sink: (chunk: MaskedChunk) => void) => Promise<StepOutcome>,
): Promise<{ outcome: StepOutcome; output: StreamDigests }> {
  const writers: Record<'stdout' | 'stderr', OutputWriter> = { stdout: writerFor(store, runId, streams.stdout), stderr: writerFor(store, runId, streams.stderr) };
  const sink = (chunk: MaskedChunk): void => {
    const writer = writers[chunk.stream];
    const offset = writer.length;
    writer.write(chunk.data);
    onOutput(streams[chunk.stream], offset, chunk.data);
  };
  let outcome: StepOutcome;
  try {
    outcome = await run(sink);
  } catch (error) {
    const { code, message } = describe(error);
    outcome = { kind: 'error', code, message };
  }
  const [stdout, stderr] = closeOrKeep(store, [writers.stdout, writers.stderr]);
  return { outcome, output: { stdout: { length: stdout.length, sha256: stdout.sha256 }, stderr: { length: stderr.length, sha256: stderr.sha256 } } };
}

// A writer whose last commit failed (the disk is full) still holds accepted bytes: it is kept and
// used again when the work is reattached, so those bytes are neither lost nor stored twice.
const unfinished = new WeakMap<Store, Map<string, OutputWriter>>();
const keyOf = (runId: string, stream: string): string => `${runId}\u0000${stream}`;

function writerFor(store: Store, runId: string, stream: string): OutputWriter {
  const kept = unfinished.get(store)?.get(keyOf(runId, stream));
  if (kept !== undefined) {
    unfinished.get(store)?.delete(keyOf(runId, stream));
    return kept;
  }
  return store.output.openWriter(runId, stream);
}

function closeOrKeep(store: Store, list: readonly [OutputWriter, OutputWriter]): [OutputDigest, OutputDigest] {
  const digests: OutputDigest[] = [];
  let failure: unknown;
  for (const writer of list) {
    try {
      digests.push(writer.close());
    } catch (error) {
      const kept = unfinished.get(store) ?? new Map<string, OutputWriter>();
      kept.set(keyOf(writer.runId, writer.stream), writer);
      unfinished.set(store, kept);
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return [digests[0]!, digests[1]!];
}

/** Bytes of a stream accepted so far (stored, or held by a writer waiting for room): where reattaching resumes. */
export function acceptedLength(store: Store, runId: string, stream: string): number {
  const kept = unfinished.get(store)?.get(keyOf(runId, stream));
  if (kept !== undefined) return kept.length;
  return store.output.streams(runId).find((s) => s.stream === stream)?.length ?? 0;
}

export async function uploadArtifact(
  store: Store,
  plan: Plan,
  pool: ConnectionPool,
  endpoint: HostEndpoint,
  upload: StepUpload,
  values: VariableValues,
): Promise<{ outcome: StepOutcome; upload?: { remotePath: string; bytes: number; sha256: string } }> {
  try {
    const artifact = plan.artifacts.find((a) => a.id === upload.artifact)!;
    const connection = await pool.get(endpoint);
    const owner = upload.owner === undefined && upload.group === undefined ? undefined : `${upload.owner ?? ''}${upload.group === undefined ? '' : `:${upload.group}`}`;
    const result = await uploadFile(connection, {
      localPath: join(store.dataDir, 'artifacts', artifact.sha256),
      remotePath: substitutePlain(upload.to, values).text,
      expectedSha256: artifact.sha256,
      ...(upload.mode === undefined ? {} : { mode: parseInt(upload.mode, 8) }),
      ...(owner === undefined ? {} : { owner }),
    });
    return { outcome: { kind: 'exited', code: 0 }, upload: { remotePath: result.remotePath, bytes: result.bytes, sha256: result.sha256 } };
  } catch (error) {
    const { code, message } = describe(error);
    return { outcome: { kind: 'error', code, message } };
  }
}

export function summaryOf(outcome: StepOutcome): string {
  switch (outcome.kind) {
    case 'exited':
      return `exited with code ${outcome.code}`;
    case 'signalled':
      return `killed by ${outcome.signal}`;
    case 'error':
      return outcome.message;
    case 'unknown':
      return `outcome unknown (${outcome.reason})`;
    default:
      return outcome.kind;
  }
}
