import type { ClientChannel } from 'ssh2';
import { isAppError } from '../../../shared/errors';
import { parseDuration } from '../../../shared/plan';
import { maskingPatterns, SecretMasker } from '../ssh/masking';
import type { VariableValues } from '../runner/substituteVariables';
import { BoundedOutput, headOf } from './boundedOutput';
import { compileCheck, evidenceOf, expectedOf, judgeCheck, previewCheck } from './checkTypes';
import { resolveCheck } from './resolveCheck';
import type { Check, CheckVerdict } from './types';
import { cannotCheck } from './verdicts';

// Runs one check on one host: the script goes to `/bin/sh -s` on stdin (values never appear on
// the host's process list), both streams are captured within bounds, a timeout sends TERM (the
// script takes its whole process group down) and then closes the channel, and the output is
// judged. Secret values are masked in everything returned; the judge alone sees them.

export interface CheckConnection {
  exec(command: string): Promise<ClientChannel>;
}

export interface RunCheckOptions {
  /** The runner's default limit; a check's own `timeout` wins. */
  timeoutMs: number;
  /** Bytes of each stream kept in the result (default 64 KiB). */
  keepBytes?: number;
  /** Bytes of each stream the judge reads at most (default 4 MiB); a check printing more is an error. */
  judgeBytes?: number;
}

export interface CheckRun {
  readonly verdict: CheckVerdict;
  /** The script as it ran, secret values shown as ***. */
  readonly command: string;
  readonly sudo: boolean;
  /** null when no exit status came (timeout, session lost, or killed by a signal). */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Evidence: at most keepBytes of stdout (for a process-pattern check, only matching lines), secrets masked. */
  readonly stdout: string;
  readonly stderr: string;
  /** Bytes the host sent on each stream. */
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  /** The stream was longer than what is kept here. */
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  readonly timedOut: boolean;
  /** From the channel's opening to its close (a wait for a free session slot is not counted). */
  readonly durationMs: number;
}

export const CHECK_SHELL = '/bin/sh -s';
/**
 * -n: never prompt. Until the runner's sudo path exists, hosts that want a password give a clean
 * error. `env LC_ALL=C` so that sudo's own messages are English too (and `env`, unlike a
 * `VAR=value` prefix, works whatever the login shell).
 */
export const SUDO_CHECK_SHELL = 'env LC_ALL=C sudo -n /bin/sh -s';

const KEEP_BYTES = 64 * 1024;
const JUDGE_BYTES = 4 * 1024 * 1024;
/** After TERM, how long the script gets to end before the channel is closed. */
const TERM_GRACE_MS = 1_000;
/** After closing, how long to wait for the channel's close before giving up on it. */
const CLOSE_WAIT_MS = 5_000;

function maskerFor(vars: VariableValues): (text: string) => string {
  const patterns = maskingPatterns(Object.values(vars).filter((v) => v.secret).map((v) => v.value));
  if (patterns.length === 0) return (text) => text;
  return (text) => {
    const masker = new SecretMasker(patterns);
    return Buffer.concat([masker.push(Buffer.from(text, 'utf8')), masker.end()]).toString('utf8');
  };
}

interface Session {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  failure: string | undefined;
}

function runScript(channel: ClientChannel, script: string, timeoutMs: number, stdout: BoundedOutput, stderr: BoundedOutput): Promise<Session> {
  const session: Session = { exitCode: null, signal: null, timedOut: false, failure: undefined };
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (): void => {
      for (const timer of timers) clearTimeout(timer);
      resolve(session);
    };
    channel.on('data', (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    channel.on('exit', (code: number | null, signal?: string) => {
      session.exitCode = code;
      session.signal = signal ?? null;
    });
    channel.on('error', (error: Error) => {
      session.failure ??= error.message;
    });
    channel.on('close', finish);
    timers.push(
      setTimeout(() => {
        session.timedOut = true;
        try {
          channel.signal('TERM');
        } catch {
          // The session may be gone already; closing below still ends our side.
        }
        timers.push(
          setTimeout(() => {
            channel.close();
            timers.push(setTimeout(finish, CLOSE_WAIT_MS));
          }, TERM_GRACE_MS),
        );
      }, timeoutMs),
    );
    // Not end(): ssh2 sends a signal request only while the channel is writable. The script ends
    // itself with `exit`, so the open stdin is never waited on.
    channel.write(script);
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export async function runCheck(connection: CheckConnection, check: Check, vars: VariableValues, options: RunCheckOptions): Promise<CheckRun> {
  const compiled = compileCheck(check, vars);
  const resolved = resolveCheck(check, vars).check;
  const mask = maskerFor(vars);
  const shownCommand = previewCheck(check, vars);
  const timeoutMs = check.timeout === undefined ? options.timeoutMs : parseDuration(check.timeout);
  const judgeBytes = options.judgeBytes ?? JUDGE_BYTES;
  const keepBytes = options.keepBytes ?? KEEP_BYTES;
  const stdout = new BoundedOutput(judgeBytes);
  const stderr = new BoundedOutput(judgeBytes);

  let session: Session;
  // From the channel's opening: waiting for a free session slot is not the check's time.
  let started = performance.now();
  try {
    const channel = await connection.exec(compiled.sudo ? SUDO_CHECK_SHELL : CHECK_SHELL);
    started = performance.now();
    session = await runScript(channel, compiled.command, timeoutMs, stdout, stderr);
  } catch (error) {
    const message = isAppError(error) || error instanceof Error ? error.message : String(error);
    session = { exitCode: null, signal: null, timedOut: false, failure: message };
  }

  const output = { exitCode: session.exitCode, stdout: stdout.text(), stderr: stderr.text() };
  const expected = expectedOf(resolved);
  let verdict: CheckVerdict;
  if (session.timedOut) verdict = cannotCheck(expected, `no result within ${seconds(timeoutMs)} (timed out; the check was stopped)`);
  else if (session.failure !== undefined && session.exitCode === null) verdict = cannotCheck(expected, session.failure);
  else if (session.signal !== null) verdict = cannotCheck(expected, `the check was killed by signal ${session.signal}`);
  else if (stdout.overflowed || stderr.overflowed) verdict = cannotCheck(expected, `the check printed more than ${judgeBytes} bytes; its cut output is not judged`);
  else verdict = judgeCheck(resolved, output);

  const keptOut = headOf(mask(evidenceOf(resolved, output.stdout)), keepBytes);
  const keptErr = headOf(mask(output.stderr), keepBytes);
  return {
    verdict: { status: verdict.status, expected: mask(verdict.expected), found: mask(verdict.found), summary: mask(verdict.summary) },
    command: shownCommand,
    sudo: compiled.sudo,
    exitCode: session.exitCode,
    signal: session.signal,
    stdout: keptOut.text,
    stderr: keptErr.text,
    stdoutBytes: stdout.bytes,
    stderrBytes: stderr.bytes,
    stdoutTruncated: keptOut.truncated || stdout.overflowed,
    stderrTruncated: keptErr.truncated || stderr.overflowed,
    timedOut: session.timedOut,
    durationMs: Math.round(performance.now() - started),
  };
}
