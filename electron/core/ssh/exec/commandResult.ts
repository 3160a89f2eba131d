import type { OutputStreamName } from '../masking/outputMasker';

/**
 * Why no outcome can be known:
 * - missing: no record of the execution on the host (never started there, or wiped by a reboot)
 * - rebooted: the host booted since the launch and the command had not finished before
 * - wrapper-died: the runner was killed before it could record the outcome
 * - not-launched: a launch was cut off after claiming the id and before starting anything
 * - lost: the command's session ended with no status the runner could read
 */
export type UnknownReason = 'missing' | 'rebooted' | 'wrapper-died' | 'not-launched' | 'lost';

export type CommandOutcome =
  | { kind: 'exited'; code: number }
  /** Killed by a signal ('SIGTERM', 'SIGKILL', ...). */
  | { kind: 'signalled'; signal: string }
  /** Outcome unknown: neither success nor failure may be assumed (DESIGN.md). */
  | { kind: 'unknown'; reason: UnknownReason }
  /**
   * Not an outcome of the command: the SSH link went away while streaming. The command may
   * still be running. Reconnect and call reattach() with `offsets`.
   */
  | { kind: 'link-lost'; reason: string };

export interface CommandFacts {
  execId: string;
  /**
   * Raw byte offsets of the command's output released to the sink so far, per stream: the
   * totals when the command finished, the place to reattach from when the link was lost.
   */
  offsets: Record<OutputStreamName, number>;
  /** True when this call found the execution already started (a second start, or a reattach). */
  attached: boolean;
  /** Host clock, ms since the epoch (second resolution), when the wrapper recorded the end. */
  hostEndedAt?: number;
  /** Set when the command was stopped on request: by cancelCommand() or by its timeout. */
  stoppedBy?: 'cancel' | 'timeout';
  /** Wall time of this call on the client. */
  elapsedMs: number;
}

export type CommandResult = CommandOutcome & CommandFacts;

/** True for outcomes that end the execution (everything but a lost link). */
export function isFinal(result: CommandResult): boolean {
  return result.kind !== 'link-lost';
}

function epochMs(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) * 1000 : undefined;
}

/** Reads the wrapper's exit record: '<record> <ended> <stop>'. */
export function parseExitRecord(line: string): {
  outcome: CommandOutcome;
  hostEndedAt: number | undefined;
  stoppedBy: 'cancel' | 'timeout' | undefined;
} {
  const [record = '', ended, stop] = line.trim().split(' ');
  let outcome: CommandOutcome;
  if (/^\d+$/.test(record)) outcome = { kind: 'exited', code: Number(record) };
  else if (record.startsWith('signal:')) {
    const name = record.slice('signal:'.length);
    outcome = { kind: 'signalled', signal: /^\d+$/.test(name) ? name : `SIG${name.replace(/^SIG/, '')}` };
  } else outcome = { kind: 'unknown', reason: 'lost' };
  return {
    outcome,
    hostEndedAt: epochMs(ended),
    stoppedBy: stop === 'cancel' || stop === 'timeout' ? stop : undefined,
  };
}

export function unknownReason(text: string): UnknownReason {
  const known: UnknownReason[] = ['missing', 'rebooted', 'wrapper-died', 'not-launched', 'lost'];
  return known.find((r) => r === text.trim()) ?? 'lost';
}
