import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonicalJson';
import { AppError } from '../../../shared/errors';
import type { Clock } from './clock';
import type { QueryTimer } from './queryTiming';
import { guarded } from './storeErrors';

export const PLAN_SIGNATURE_STATUSES = ['unsigned', 'valid-trusted', 'valid-untrusted', 'invalid'] as const;
export type PlanSignatureStatus = (typeof PLAN_SIGNATURE_STATUSES)[number];

export interface PlanArtifactRecord {
  readonly id: string;
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface NewPlan {
  /** The plan file exactly as imported: its SHA-256 is the plan's identity. */
  readonly bytes: Uint8Array;
  readonly planId: string;
  readonly version: string;
  readonly title: string;
  /** The validated plan as JSON. */
  readonly parsed: unknown;
  /** Where it came from (file, folder, archive, head office), as JSON. */
  readonly source: unknown;
  readonly signature: { readonly status: PlanSignatureStatus; readonly details: unknown };
  readonly artifacts: readonly PlanArtifactRecord[];
}

export interface PlanSummary {
  readonly hash: string;
  readonly planId: string;
  readonly version: string;
  readonly title: string;
  readonly size: number;
  readonly importedAt: string;
  readonly signatureStatus: PlanSignatureStatus;
  readonly acknowledged: boolean;
}

export interface StoredPlan extends PlanSummary {
  readonly bytes: Buffer;
  readonly parsed: unknown;
  readonly source: unknown;
  readonly signature: { readonly status: PlanSignatureStatus; readonly details: unknown };
  readonly acknowledgement: unknown;
  readonly artifacts: readonly PlanArtifactRecord[];
}

export interface PlansRepository {
  /** Stores a plan once; importing the same bytes again returns the stored plan untouched. */
  insert(plan: NewPlan): { readonly plan: StoredPlan; readonly inserted: boolean };
  get(hash: string): StoredPlan | undefined;
  /** Newest import first, without the plan bodies. */
  list(): PlanSummary[];
  /** Records, once, that the technician accepted a plan from an untrusted signer. */
  acknowledge(hash: string, acknowledgement: unknown): StoredPlan;
}

interface PlanRow {
  hash: string;
  plan_id: string;
  version: string;
  title: string;
  size: number;
  imported_at: string;
  signature_status: PlanSignatureStatus;
  acknowledged: number;
}

interface FullPlanRow extends PlanRow {
  bytes: Buffer;
  parsed_json: string;
  source_json: string;
  signature_json: string;
  acknowledgement_json: string | null;
}

const SUMMARY_COLUMNS = 'hash, plan_id, version, title, size, imported_at, signature_status, acknowledgement_json IS NOT NULL AS acknowledged';
const HEX64 = /^[0-9a-f]{64}$/;

export function createPlansRepository(db: Database.Database, clock: Clock, timer: QueryTimer): PlansRepository {
  const selectPlan = db.prepare<[string], FullPlanRow>(`SELECT ${SUMMARY_COLUMNS}, bytes, parsed_json, source_json, signature_json, acknowledgement_json FROM plans WHERE hash = ?`);
  const selectArtifacts = db.prepare<[string], { artifact_id: string; path: string; sha256: string; size: number }>(
    'SELECT artifact_id, path, sha256, size FROM plan_artifacts WHERE plan_hash = ? ORDER BY rowid',
  );
  const selectAll = db.prepare<[], PlanRow>(`SELECT ${SUMMARY_COLUMNS} FROM plans ORDER BY imported_at DESC, rowid DESC`);
  const insertPlan = db.prepare(
    `INSERT INTO plans (hash, plan_id, version, title, bytes, size, parsed_json, source_json, imported_at, signature_status, signature_json)
     VALUES (@hash, @planId, @version, @title, @bytes, @size, @parsed, @source, @importedAt, @signatureStatus, @signature)`,
  );
  const insertArtifact = db.prepare<[string, string, string, string, number]>('INSERT INTO plan_artifacts (plan_hash, artifact_id, path, sha256, size) VALUES (?, ?, ?, ?, ?)');
  const setAcknowledgement = db.prepare<[string, string]>('UPDATE plans SET acknowledgement_json = ? WHERE hash = ? AND acknowledgement_json IS NULL');

  const get = (hash: string): StoredPlan | undefined => {
    const row = selectPlan.get(hash);
    return row === undefined ? undefined : toStoredPlan(row, selectArtifacts.all(hash));
  };

  const insertTransaction = db.transaction((plan: NewPlan): { plan: StoredPlan; inserted: boolean } => {
    const hash = createHash('sha256').update(plan.bytes).digest('hex');
    const existing = get(hash);
    if (existing !== undefined) return { plan: existing, inserted: false };
    checkNewPlan(plan);
    insertPlan.run({
      hash,
      planId: plan.planId,
      version: plan.version,
      title: plan.title,
      bytes: Buffer.from(plan.bytes),
      size: plan.bytes.length,
      parsed: encode(plan.parsed, 'the parsed plan'),
      source: encode(plan.source, 'the plan source'),
      importedAt: clock.nowUtc().toISOString(),
      signatureStatus: plan.signature.status,
      signature: encode(plan.signature.details, 'the signature details'),
    });
    for (const artifact of plan.artifacts) insertArtifact.run(hash, artifact.id, artifact.path, artifact.sha256, artifact.size);
    return { plan: get(hash)!, inserted: true };
  });

  return {
    insert: (plan) => guarded('plans.insert', () => timer.measure('plans.insert', () => insertTransaction.immediate(plan))),
    get: (hash) => guarded('plans.get', () => timer.measure('plans.get', () => get(hash))),
    list: () => guarded('plans.list', () => timer.measure('plans.list', () => selectAll.all().map(toSummary))),
    acknowledge: (hash, acknowledgement) =>
      guarded('plans.acknowledge', () =>
        timer.measure('plans.acknowledge', () =>
          db
            .transaction(() => {
              const existing = get(hash);
              if (existing === undefined) throw notFound(hash);
              // The first acknowledgement stands; a second one changes nothing.
              if (!existing.acknowledged) setAcknowledgement.run(encode(acknowledgement, 'the acknowledgement'), hash);
              return get(hash)!;
            })
            .immediate(),
        ),
      ),
  };
}

function checkNewPlan(plan: NewPlan): void {
  if (!(PLAN_SIGNATURE_STATUSES as readonly string[]).includes(plan.signature.status)) {
    throw new AppError('INPUT_INVALID', `Plan signature status "${String(plan.signature.status)}" is not one of ${PLAN_SIGNATURE_STATUSES.join(', ')}.`);
  }
  const ids = new Set<string>();
  for (const artifact of plan.artifacts) {
    if (!HEX64.test(artifact.sha256) || !Number.isSafeInteger(artifact.size) || artifact.size < 0 || ids.has(artifact.id)) {
      throw new AppError('INPUT_INVALID', `Artifact "${artifact.id}" needs a unique id, a lowercase hex SHA-256 and a size in bytes.`);
    }
    ids.add(artifact.id);
  }
}

function encode(value: unknown, what: string): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    throw new AppError('INPUT_INVALID', `Cannot store ${what}: ${(error as Error).message}.`);
  }
}

const notFound = (hash: string): AppError =>
  new AppError('PLAN_NOT_FOUND', `No imported plan has the hash ${hash}. Import the plan again, or pick it from the list of plans.`, { hash });

function toSummary(row: PlanRow): PlanSummary {
  return {
    hash: row.hash,
    planId: row.plan_id,
    version: row.version,
    title: row.title,
    size: row.size,
    importedAt: row.imported_at,
    signatureStatus: row.signature_status,
    acknowledged: row.acknowledged === 1,
  };
}

function toStoredPlan(row: FullPlanRow, artifacts: readonly { artifact_id: string; path: string; sha256: string; size: number }[]): StoredPlan {
  return {
    ...toSummary(row),
    bytes: row.bytes,
    parsed: JSON.parse(row.parsed_json) as unknown,
    source: JSON.parse(row.source_json) as unknown,
    signature: { status: row.signature_status, details: JSON.parse(row.signature_json) as unknown },
    acknowledgement: row.acknowledgement_json === null ? null : (JSON.parse(row.acknowledgement_json) as unknown),
    artifacts: artifacts.map((a) => ({ id: a.artifact_id, path: a.path, sha256: a.sha256, size: a.size })),
  };
}
