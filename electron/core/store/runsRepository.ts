import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { Clock } from './clock';
import type { JournalEvent } from './journalChain';
import type { QueryTimer } from './queryTiming';
import type { RunJournal } from './runJournal';
import { guarded } from './storeErrors';

export interface Run {
  readonly id: string;
  readonly planHash: string;
  readonly createdAt: string;
  readonly label: string | null;
}

export interface NewRun {
  readonly planHash: string;
  readonly label?: string;
}

export interface RunsRepository {
  /** Creates a run and its first journal event (`run.created`) in one transaction. */
  create(input: NewRun): { readonly runId: string; readonly event: JournalEvent };
  get(runId: string): Run | undefined;
  /** Newest first. */
  list(options?: { readonly planHash?: string }): Run[];
}

interface RunRow {
  id: string;
  plan_hash: string;
  created_at: string;
  label: string | null;
}

export function createRunsRepository(db: Database.Database, clock: Clock, timer: QueryTimer, journal: RunJournal): RunsRepository {
  const planIdentity = db.prepare<[string], { plan_id: string; version: string }>('SELECT plan_id, version FROM plans WHERE hash = ?');
  const insertRun = db.prepare<[string, string, string, string | null]>('INSERT INTO runs (id, plan_hash, created_at, label) VALUES (?, ?, ?, ?)');
  const selectRun = db.prepare<[string], RunRow>('SELECT id, plan_hash, created_at, label FROM runs WHERE id = ?');
  const selectAll = db.prepare<[], RunRow>('SELECT id, plan_hash, created_at, label FROM runs ORDER BY created_at DESC, rowid DESC');
  const selectByPlan = db.prepare<[string], RunRow>('SELECT id, plan_hash, created_at, label FROM runs WHERE plan_hash = ? ORDER BY created_at DESC, rowid DESC');

  const createTransaction = db.transaction((input: NewRun) => {
    const plan = planIdentity.get(input.planHash);
    if (plan === undefined) {
      throw new AppError('PLAN_NOT_FOUND', `No imported plan has the hash ${input.planHash}. Import the plan first, then start the run.`, { hash: input.planHash });
    }
    const runId = randomUUID();
    const label = input.label ?? null;
    insertRun.run(runId, input.planHash, clock.nowUtc().toISOString(), label);
    const event = journal.append(runId, { type: 'run.created', payload: { planHash: input.planHash, planId: plan.plan_id, planVersion: plan.version, label } });
    return { runId, event };
  });

  return {
    create: (input) => guarded('runs.create', () => timer.measure('runs.create', () => createTransaction.immediate(input))),
    get: (runId) => guarded('runs.get', () => timer.measure('runs.get', () => optionalRun(selectRun.get(runId)))),
    list: (options = {}) =>
      guarded('runs.list', () =>
        timer.measure('runs.list', () => (options.planHash === undefined ? selectAll.all() : selectByPlan.all(options.planHash)).map(toRun)),
      ),
  };
}

const optionalRun = (row: RunRow | undefined): Run | undefined => (row === undefined ? undefined : toRun(row));

const toRun = (row: RunRow): Run => ({ id: row.id, planHash: row.plan_hash, createdAt: row.created_at, label: row.label });
