import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ArtifactStore } from './artifactStore';
import type { PlanSource } from './planSource';

/** One artifact declared by the plan: its index in `artifacts`, id, path and expected hash. */
export interface DeclaredArtifact {
  readonly index: number;
  readonly id: string;
  readonly path: string;
  readonly sha256: string;
  readonly size?: number | undefined;
}

export interface ArtifactFinding {
  readonly artifact: DeclaredArtifact;
  readonly code: 'ARTIFACT_MISSING' | 'ARTIFACT_HASH_MISMATCH' | 'ARTIFACT_SIZE_MISMATCH';
  /** The field of the artifact entry the problem is about. */
  readonly field: 'path' | 'sha256' | 'size';
  readonly found: string;
  readonly expected: string;
  readonly message: string;
}

export interface VerifiedArtifact {
  readonly artifact: DeclaredArtifact;
  readonly size: number;
}

/**
 * Checks every artifact the plan declares against its SHA-256 (and size, where declared). With a
 * store, each artifact is copied into it in the same pass that hashes it, so a large artifact is
 * read once; without, it is only hashed (`plan validate`).
 */
export async function verifyArtifacts(
  declared: readonly DeclaredArtifact[],
  source: PlanSource,
  store?: ArtifactStore,
): Promise<{ findings: ArtifactFinding[]; verified: VerifiedArtifact[] }> {
  const findings: ArtifactFinding[] = [];
  const verified: VerifiedArtifact[] = [];
  for (const artifact of declared) {
    const bytes = source.artifact(artifact.path);
    if (bytes.kind === 'missing') {
      findings.push({ artifact, code: 'ARTIFACT_MISSING', field: 'path', found: 'no file', expected: `the file ${artifact.path}`, message: `Artifact ${artifact.id}: ${bytes.why}. Ask head office for the complete plan folder or archive.` });
      continue;
    }
    let actual: { sha256: string; size: number };
    if (bytes.kind === 'bytes') {
      actual = { sha256: createHash('sha256').update(bytes.data).digest('hex'), size: bytes.data.length };
      if (store !== undefined && actual.sha256 === artifact.sha256) store.putBytes(actual.sha256, bytes.data);
    } else {
      actual = store === undefined ? await hashFile(bytes.path) : await store.putFile(bytes.path, artifact.sha256);
    }
    if (actual.sha256 !== artifact.sha256) {
      findings.push({ artifact, code: 'ARTIFACT_HASH_MISMATCH', field: 'sha256', found: actual.sha256, expected: artifact.sha256, message: `Artifact ${artifact.id} (${artifact.path}) does not have the SHA-256 the plan declares: it was changed or damaged on the way. Do not use it; ask head office for a fresh copy.` });
    } else if (artifact.size !== undefined && artifact.size !== actual.size) {
      findings.push({ artifact, code: 'ARTIFACT_SIZE_MISMATCH', field: 'size', found: `${actual.size} bytes`, expected: `${artifact.size} bytes`, message: `Artifact ${artifact.id} (${artifact.path}) matches its SHA-256 but the plan declares another size: correct the plan's size.` });
    } else {
      verified.push({ artifact, size: actual.size });
    }
  }
  return { findings, verified };
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}
