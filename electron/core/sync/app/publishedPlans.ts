// Plans head office published under <base>/plans/: listed with whether each was imported, and
// imported through the same importer as a plan opened from disk (signature judged against the
// trusted plan signers, artifacts checked by hash). The download goes to a temporary folder in the
// data folder and is removed afterwards, imported or not.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { writeFileAtomic } from '../../fs/atomicFile';
import { importPlanAt } from '../../plan/importPlan';
import type { PlanAcknowledgement } from '../../plan/planTrust';
import { readTrustedPlanSigners } from '../../plan/trustedPlanSigners';
import type { Store, StoredPlan } from '../../store';
import type { HeadOffice } from '../headOffice';
import type { RemotePlan } from '../headOfficePlans';

const RECORDS_FILE = 'head-office-plans.json';
const DOWNLOADS_FOLDER = 'head-office-downloads';
// What the importer opens: a plan file, or an archive of a plan folder.
const PLAN_FILE = /\.(ya?ml|tar|tar\.gz|tgz)$/i;
const SINGLE_FILE = /\.ya?ml$/i;

const RecordSchema = z.object({
  name: z.string(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  modifiedAt: z.string().nullable(),
  planHash: z.string(),
  importedAt: z.string(),
});
type ImportRecord = z.infer<typeof RecordSchema>;
const RecordsSchema = z.object({ version: z.literal(1), imported: z.array(RecordSchema) });

export interface PublishedPlan {
  readonly name: string;
  readonly size: number | null;
  readonly modifiedAt: string | null;
  /** this very file (same name, size and time) was imported and its plan is still here */
  readonly imported: boolean;
}

export async function listPublishedPlans(office: HeadOffice, store: Store): Promise<PublishedPlan[]> {
  const records = readRecords(store.dataDir);
  return (await office.listPlans())
    .filter((remote) => PLAN_FILE.test(remote.name))
    .map((remote) => ({
      name: remote.name,
      size: remote.length ?? null,
      modifiedAt: remote.lastModified ?? null,
      imported: records.some((r) => sameFile(r, remote) && store.plans.get(r.planHash) !== undefined),
    }));
}

export interface PublishedPlanImport {
  readonly plan: StoredPlan;
  readonly inserted: boolean;
}

export async function importPublishedPlan(
  office: HeadOffice,
  store: Store,
  input: { readonly name: string; readonly acknowledgement?: PlanAcknowledgement; readonly now: () => Date },
): Promise<PublishedPlanImport> {
  const listed = await office.listPlans();
  const remote = listed.find((p) => p.name === input.name);
  if (remote === undefined || !PLAN_FILE.test(remote.name)) {
    throw new AppError('PLAN_NOT_FOUND', `Head office publishes no plan named ${input.name}. Refresh the list of plans.`, { name: input.name });
  }
  const downloads = join(store.dataDir, DOWNLOADS_FOLDER);
  // Imports run one at a time (the caller queues them), so anything here was left by a crash.
  await rm(downloads, { recursive: true, force: true });
  await mkdir(downloads, { recursive: true, mode: 0o700 });
  const folder = await mkdtemp(join(downloads, 'plan-'));
  try {
    const plan = await office.downloadPlan(remote.name);
    const path = join(folder, remote.name);
    await writeFile(path, plan.bytes, { mode: 0o600 });
    // A single plan file travels with its signature beside it, as in a plan folder.
    const signatureName = `${remote.name}.sig`;
    if (SINGLE_FILE.test(remote.name) && listed.some((p) => p.name === signatureName)) {
      await writeFile(join(folder, signatureName), (await office.downloadPlan(signatureName, 64 * 1024)).bytes, { mode: 0o600 });
    }
    const trust = { trustedPlanSigners: readTrustedPlanSigners(store.dataDir), ...(input.acknowledgement === undefined ? {} : { acknowledgement: input.acknowledgement }) };
    const imported = await importPlanAt(store, path, trust);
    await writeRecord(store.dataDir, {
      name: remote.name,
      sha256: plan.sha256,
      size: plan.bytes.length,
      modifiedAt: remote.lastModified ?? null,
      planHash: imported.plan.hash,
      importedAt: input.now().toISOString(),
    });
    return imported;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function sameFile(record: ImportRecord, remote: RemotePlan): boolean {
  return (
    record.name === remote.name &&
    (remote.length === undefined || remote.length === record.size) &&
    (remote.lastModified === undefined || record.modifiedAt === null || remote.lastModified === record.modifiedAt)
  );
}

function readRecords(dataDir: string): ImportRecord[] {
  let text: string;
  try {
    text = readFileSync(join(dataDir, RECORDS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AppError('STORE_IO_FAILED', `The record of plans imported from head office (${RECORDS_FILE}) cannot be read. Check the data folder's permissions.`);
  }
  try {
    return RecordsSchema.parse(JSON.parse(text)).imported;
  } catch {
    // Only the "imported" marks depend on it: a damaged record shows every plan as new.
    return [];
  }
}

async function writeRecord(dataDir: string, record: ImportRecord): Promise<void> {
  const kept = readRecords(dataDir).filter((r) => !(r.name === record.name && r.sha256 === record.sha256));
  await writeFileAtomic(join(dataDir, RECORDS_FILE), `${JSON.stringify({ version: 1, imported: [...kept, record] }, null, 2)}\n`, 0o600);
}
