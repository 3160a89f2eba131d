// Follows one stream channel: frames to masked pieces for the sink, with back-pressure (the
// channel is not read while the sink's promise is pending; ssh2 then stops granting window, so
// the host's dd blocks), until a final frame or the end of the channel.
import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { AppError, isAppError } from '../../../../shared/errors';
import { OutputMasker, type MaskedChunk, type OutputStreamName } from '../masking/outputMasker';
import { maskingPatterns } from '../masking/secretForms';
import { SecretMasker } from '../masking/secretMasker';
import { FrameReader } from './frameReader';

/** Receives masked output in order; returning a promise pauses the stream until it settles. */
export type OutputSink = (chunk: MaskedChunk) => void | Promise<void>;

export type StreamEnd =
  | { kind: 'finished'; record: string }
  | { kind: 'unknown'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'link-lost'; reason: string };

export interface FollowOptions {
  from: Record<OutputStreamName, number>;
  /** The line the script prints first (see streamMarker). */
  marker: string;
  secrets: readonly string[];
  sink: OutputSink;
  /** The launch asked for the command's stdin ('r' frame). */
  onReady?: () => void;
}

export interface Followed {
  end: StreamEnd;
  attached: boolean;
  offsets: Record<OutputStreamName, number>;
}

const DIAGNOSTICS_LIMIT = 8192;

/**
 * A fresh line for a stream script to print before its frames. Login shells that echo something
 * from .bashrc even for non-interactive sessions are common; their text comes first and is skipped.
 */
export function streamMarker(): string {
  return `fieldrun-frames-${randomBytes(8).toString('hex')}`;
}

export async function followStream(channel: ClientChannel, options: FollowOptions): Promise<Followed> {
  const reader = new FrameReader(options.from, options.marker);
  const masker = new OutputMasker(options.secrets, options.from);
  let attached = false;
  let exitStatus: number | null | undefined;
  let diagnostics = '';
  channel.on('exit', (code: number | null) => {
    exitStatus = code;
  });
  channel.stderr.on('data', (chunk: Buffer) => {
    if (diagnostics.length < DIAGNOSTICS_LIMIT) diagnostics += chunk.toString('utf8');
  });
  channel.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()));

  let end: StreamEnd | undefined;
  let inSink = false;
  try {
    for await (const chunk of channel.iterator({ destroyOnReturn: false })) {
      for (const event of reader.feed(chunk as Buffer)) {
        if (event.type === 'data') {
          const piece = masker.push(event.stream, event.offset, event.data);
          if (piece !== undefined) {
            inSink = true;
            await options.sink(piece);
            inSink = false;
          }
        } else if (event.type === 'started') attached = event.attached;
        else if (event.type === 'ready') options.onReady?.();
        else if (event.type === 'finished') end = { kind: 'finished', record: event.record };
        else end = { kind: event.type, reason: event.reason };
      }
    }
  } catch (error) {
    channel.close();
    // The sink's own failure and a broken protocol are not a lost link.
    if (inSink || isAppError(error)) throw error;
    return { end: { kind: 'link-lost', reason: error instanceof Error ? error.message : String(error) }, attached, offsets: masker.resumeOffsets };
  }

  if (end?.kind === 'finished') {
    for (const piece of masker.end()) await options.sink(piece);
    return { end, attached, offsets: masker.resumeOffsets };
  }
  if (end !== undefined) return { end, attached, offsets: masker.resumeOffsets };

  await closed;
  if (typeof exitStatus === 'number') {
    // A shell's error message may quote a line of the script, and the script holds the secrets.
    const diagnosticsMasker = new SecretMasker(maskingPatterns(options.secrets));
    const said = Buffer.concat([diagnosticsMasker.push(Buffer.from(diagnostics)), diagnosticsMasker.end()]).toString('utf8').trim().slice(0, 400);
    throw new AppError('SSH_REMOTE_FAILED', `The output wrapper on the host stopped without a result (exit ${exitStatus}${said === '' ? '' : `: ${said}`}). Check that the host has a POSIX /bin/sh, dd and ls.`, {
      reason: 'wrapper-failed',
      exitStatus,
    });
  }
  return { end: { kind: 'link-lost', reason: 'the channel closed without an exit status' }, attached, offsets: masker.resumeOffsets };
}
