import { AppError, isAppError } from '../../../shared/errors';
import type { Plan, PlanStep } from '../../../shared/plan';
import { parseDuration } from '../../../shared/plan';
import type { StepOutcome } from '../../../shared/run';
import type { ConnectionPool, HostEndpoint } from '../ssh/connection';
import { reattach, startCommand, type CommandResult, type MaskedChunk, type OutputSink } from '../ssh/exec';
import { substitutePlain, substituteVariables, type VariableValues } from './substituteVariables';

// One launch (or reattachment) of a `run` step on one host, through the wrapper that survives
// the link. A lost link is followed by reconnecting and reattaching a few times; if the host
// stays away the outcome is unknown, never a guess.

const REATTACH_ATTEMPTS = 5;
const REATTACH_DELAY_MS = 1000;

export interface StepCommandOptions {
  readonly pool: ConnectionPool;
  readonly endpoint: HostEndpoint;
  readonly execId: string;
  readonly values: VariableValues;
  readonly sudoPassword: string | undefined;
  /** The app is closing: stop trying to reattach (the command goes on; the next start reattaches). */
  readonly stopped?: () => boolean;
}

export function secretValues(values: VariableValues): string[] {
  return Object.values(values).filter((v) => v.secret && v.value !== '').map((v) => v.value);
}

export async function launchStep(step: PlanStep, run: string, options: StepCommandOptions, sink: OutputSink): Promise<StepOutcome> {
  const command = substituteVariables(run, options.values).text;
  const env = Object.fromEntries(Object.entries(step.env).map(([name, value]) => [name, substitutePlain(value, options.values).text]));
  if (step.sudo && options.sudoPassword === undefined) {
    throw new AppError('SECRET_MISSING', `Step ${step.id} runs with sudo and no sudo password was given for ${options.endpoint.name}. Provide it, then retry.`, {
      host: options.endpoint.name,
    });
  }
  const secrets = secretValues(options.values);
  const connection = await options.pool.get(options.endpoint);
  let result: CommandResult;
  try {
    result = await startCommand(
      connection,
      {
        execId: options.execId,
        command,
        env,
        ...(step.cwd === undefined ? {} : { cwd: step.cwd }),
        ...(step.sudo && options.sudoPassword !== undefined ? { sudo: { password: options.sudoPassword } } : {}),
        ...(step.timeout === undefined ? {} : { timeoutMs: parseDuration(step.timeout) }),
        secrets,
      },
      sink,
    );
  } catch (error) {
    // Rejected before anything started: a plain error. Otherwise the command may be running.
    if (isAppError(error) && error.code === 'SSH_REMOTE_FAILED' && error.details?.['reason'] === 'protocol') {
      return followAfterLoss(options, { stdout: 0, stderr: 0 }, secrets, sink, 'the output stream broke');
    }
    throw error;
  }
  if (result.kind !== 'link-lost') return outcomeOf(result);
  return followAfterLoss(options, result.offsets, secrets, sink, result.reason);
}

/** Reattaches to an execution started earlier (after a lost link or a restart of the app). */
export async function followAfterLoss(
  options: StepCommandOptions,
  offsets: { stdout: number; stderr: number },
  secrets: readonly string[],
  sink: OutputSink,
  why: string,
): Promise<StepOutcome> {
  let from = offsets;
  let reason = why;
  const allSecrets = options.sudoPassword === undefined ? secrets : [...secrets, options.sudoPassword];
  for (let attempt = 0; attempt < REATTACH_ATTEMPTS; attempt++) {
    if (options.stopped?.() === true) break;
    try {
      const connection = await options.pool.get(options.endpoint);
      const result = await reattach(connection, { execId: options.execId, fromOffsets: from, secrets: allSecrets }, sink);
      if (result.kind !== 'link-lost') return outcomeOf(result);
      from = result.offsets;
      reason = result.reason;
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, REATTACH_DELAY_MS * (attempt + 1)));
  }
  return { kind: 'unknown', reason: `lost: ${reason}` };
}

function outcomeOf(result: CommandResult): StepOutcome {
  switch (result.kind) {
    case 'exited':
      return { kind: 'exited', code: result.code };
    case 'signalled':
      return { kind: 'signalled', signal: result.signal };
    case 'unknown':
      return { kind: 'unknown', reason: result.reason };
    case 'link-lost':
      return { kind: 'unknown', reason: `lost: ${result.reason}` };
  }
}

/** `<runId>.<step>.<host>.<attempt>` in the wrapper's alphabet, at most 128 characters. */
export function execIdOf(runId: string, stepId: string, host: string, attempt: number): string {
  return `${runId}.${stepId}.${host}.${attempt}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(-128);
}

/**
 * Reattaches after a restart of the app. What is stored is masked output, whose length is not a
 * raw offset on the host when a secret was masked; so the output is read again from the start,
 * masked again the same way, and the bytes already stored are skipped.
 */
export function reattachAfterRestart(
  options: StepCommandOptions,
  stored: { stdout: number; stderr: number },
  sink: (chunk: MaskedChunk) => void,
): Promise<StepOutcome> {
  const toSkip = { ...stored };
  const skipping = (chunk: MaskedChunk): void => {
    const skip = Math.min(toSkip[chunk.stream], chunk.data.length);
    toSkip[chunk.stream] -= skip;
    if (skip < chunk.data.length) sink({ ...chunk, data: chunk.data.subarray(skip) });
  };
  return followAfterLoss(options, { stdout: 0, stderr: 0 }, secretValues(options.values), skipping, 'the app restarted');
}

/**
 * Output may be stored only once it can be masked: after a restart, reattaching waits until the
 * technician has given the secrets again (and the sudo password, which is masked too).
 */
export function canMaskOutput(plan: Plan, secrets: ReadonlyMap<string, string>, sudoHost?: string): boolean {
  const secretsMissing = Object.entries(plan.variables).some(([name, v]) => v.secret && v.value === undefined && !secrets.has(name));
  const sudoMissing = sudoHost !== undefined && secrets.get(`sudo@${sudoHost}`) === undefined && secrets.get('sudo') === undefined;
  return !secretsMissing && !sudoMissing;
}
