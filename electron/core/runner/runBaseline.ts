import { AppError, isAppError } from '../../../shared/errors';
import type { BaselineCheck, Plan } from '../../../shared/plan';
import type { RunState } from '../../../shared/run';
import { runCheck } from '../checks';
import type { ConnectionPool, HostEndpoint, SshConnection } from '../ssh/connection';
import { runScript } from '../ssh/exec/remoteShell';
import { hostsOfCheck } from './runPlan';
import type { RunRecorder } from './runJournalWriter';
import type { VariableValues } from './substituteVariables';

// The baseline: every check on every host it selects, hosts in parallel, a bound per host (one
// connection per host; channels beyond the server's limit queue in the connection layer).

export const CLOCK_SKEW_LIMIT_S = 60;
const EXCERPT_CHARS = 2000;

export interface BaselineSelection {
  readonly checkId?: string;
  readonly host?: string;
  /** Only the cells whose last result was fail or error. */
  readonly failed?: boolean;
}

export interface BaselineCellRef {
  readonly check: BaselineCheck;
  readonly host: string;
}

export function selectBaselineCells(plan: Plan, state: RunState, only: BaselineSelection): BaselineCellRef[] {
  const cells: BaselineCellRef[] = [];
  for (const check of plan.baseline) {
    if (only.checkId !== undefined && check.id !== only.checkId) continue;
    for (const host of hostsOfCheck(plan, check.hosts)) {
      if (only.host !== undefined && host !== only.host) continue;
      const status = state.baseline[`${check.id}@${host}`]?.status;
      if (only.failed === true && status !== 'fail' && status !== 'error') continue;
      cells.push({ check, host });
    }
  }
  return cells;
}

export interface BaselineRunOptions {
  readonly recorder: RunRecorder;
  readonly pool: ConnectionPool;
  readonly endpoints: ReadonlyMap<string, HostEndpoint>;
  readonly values: VariableValues;
  readonly checksPerHost: number;
  readonly checkTimeoutMs: number;
  readonly now?: () => number;
}

/** Runs cells already journaled as started; every cell ends with a journaled result. */
export async function runBaselineCells(cells: readonly BaselineCellRef[], options: BaselineRunOptions): Promise<void> {
  const byHost = new Map<string, BaselineCheck[]>();
  for (const cell of cells) byHost.set(cell.host, [...(byHost.get(cell.host) ?? []), cell.check]);
  await Promise.all([...byHost].map(([host, checks]) => baselineOnHost(host, checks, options)));
}

async function baselineOnHost(host: string, checks: readonly BaselineCheck[], options: BaselineRunOptions): Promise<void> {
  const { recorder } = options;
  const endpoint = options.endpoints.get(host);
  let connection: SshConnection;
  try {
    if (endpoint === undefined) throw new AppError('PLAN_INVALID', `The plan has no host ${host}.`, { host });
    connection = await options.pool.get(endpoint);
  } catch (error) {
    const { code, message } = describe(error);
    recorder.record([
      { type: 'host.connectFailed', payload: { host, code, message } },
      ...checks.map((check) => errorResult(check.id, host, `could not connect to ${host}: ${message}`)),
    ]);
    return;
  }
  recorder.record([
    {
      type: 'host.connected',
      payload: {
        host,
        keyType: connection.presentedKey.type,
        fingerprint: connection.presentedKey.fingerprint,
        hostKeyVerdict: connection.hostKeyVerdict.kind,
        authenticatedWith: connection.authenticatedWith,
      },
    },
  ]);
  await recordClock(host, connection, options);
  const queue = [...checks];
  const worker = async (): Promise<void> => {
    for (let check = queue.shift(); check !== undefined; check = queue.shift()) await runOne(check, host, connection, options);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.checksPerHost, checks.length)) }, worker));
}

async function recordClock(host: string, connection: SshConnection, options: BaselineRunOptions): Promise<void> {
  try {
    const before = options.now?.() ?? Date.now();
    const output = await runScript(connection, 'LC_ALL=C date -u +%s\n');
    const after = options.now?.() ?? Date.now();
    const hostEpochS = Number(output.stdout.trim());
    if (output.code !== 0 || !Number.isSafeInteger(hostEpochS)) return;
    // The host read its clock somewhere between our two readings: compare with the middle.
    const laptopEpochS = Math.round((before + after) / 2000);
    const skewS = hostEpochS - laptopEpochS;
    options.recorder.record([{ type: 'host.clock', payload: { host, hostEpochS, laptopEpochS, skewS, flagged: Math.abs(skewS) > CLOCK_SKEW_LIMIT_S } }]);
  } catch {
    // The clock is evidence, not a gate: a host whose date cannot be read still gets its checks.
  }
}

async function runOne(check: BaselineCheck, host: string, connection: SshConnection, options: BaselineRunOptions): Promise<void> {
  try {
    const run = await runCheck(connection, check, options.values, { timeoutMs: options.checkTimeoutMs });
    options.recorder.record([
      {
        type: 'baseline.result',
        payload: {
          checkId: check.id,
          host,
          status: run.verdict.status,
          expected: run.verdict.expected,
          found: run.verdict.found,
          summary: run.verdict.summary,
          command: run.command,
          exitCode: run.exitCode,
          stdoutExcerpt: run.stdout.slice(0, EXCERPT_CHARS),
          stderrExcerpt: run.stderr.slice(0, EXCERPT_CHARS),
          durationMs: run.durationMs,
        },
      },
    ]);
  } catch (error) {
    options.recorder.record([errorResult(check.id, host, describe(error).message)]);
  }
}

function errorResult(checkId: string, host: string, why: string) {
  return {
    type: 'baseline.result' as const,
    payload: { checkId, host, status: 'error' as const, expected: '', found: why, summary: `could not check: ${why}`, command: '', exitCode: null, stdoutExcerpt: '', stderrExcerpt: '', durationMs: 0 },
  };
}

export function describe(error: unknown): { code: string; message: string } {
  if (isAppError(error)) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
