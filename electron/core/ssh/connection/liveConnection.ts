import type { Duplex } from 'node:stream';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { AppError } from '../../../../shared/errors';
import type { AppErrorData } from '../../../../shared/errors';
import { ChannelSlots, SLOT_REUSE_DELAY_MS } from './channelSlots';
import { disconnected, ssh2ErrorFacts } from './ssh2Errors';
import type { ExecOptions, HostEndpoint, HostKeyVerdict, PresentedHostKey, SshConnection } from './types';

export interface LiveConnectionInit {
  host: HostEndpoint;
  client: Client;
  presentedKey: PresentedHostKey;
  hostKeyVerdict: HostKeyVerdict;
  authenticatedWith: string;
  maxChannels: number;
  connectTimeoutMs: number;
  /** Translates an error ssh2 emits after login. */
  translate: (error: unknown) => AppError;
  log: (line: string) => void;
}

/** A channel open refused by the server (ssh2 marks it with the SSH reason code). */
function isOpenRefusal(error: unknown): boolean {
  return error instanceof Error && 'reason' in error && /open failure/i.test(error.message);
}

function channelFailed(host: HostEndpoint, what: string, error: unknown): AppError {
  const cause = ssh2ErrorFacts(error).message;
  return new AppError('SSH_CHANNEL_FAILED', `${host.name} refused to open ${what} (${cause}). The server may limit sessions or forbid this; check its sshd settings.`, {
    host: host.name,
    cause,
  });
}

/** An authenticated ssh2 client behind the SshConnection contract. */
export class LiveConnection implements SshConnection {
  readonly host: HostEndpoint;
  readonly presentedKey: PresentedHostKey;
  readonly hostKeyVerdict: HostKeyVerdict;
  readonly authenticatedWith: string;
  readonly closed: Promise<{ error?: AppErrorData }>;
  /** Why it ended, set synchronously when it ends (hops behind it read this). */
  endedWith: { error?: AppErrorData } | undefined;

  private readonly client: Client;
  private readonly slots: ChannelSlots;
  private readonly init: LiveConnectionInit;
  private lastError: AppError | undefined;
  private closing = false;
  private readonly onEnded: Array<() => void> = [];
  private resolveClosed!: (value: { error?: AppErrorData }) => void;

  constructor(init: LiveConnectionInit) {
    this.init = init;
    this.host = init.host;
    this.client = init.client;
    this.presentedKey = init.presentedKey;
    this.hostKeyVerdict = init.hostKeyVerdict;
    this.authenticatedWith = init.authenticatedWith;
    this.slots = new ChannelSlots(init.maxChannels);
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    this.client.on('error', (error: unknown) => {
      this.lastError ??= init.translate(error);
    });
    this.client.on('close', () => this.end());
  }

  get isOpen(): boolean {
    return this.endedWith === undefined;
  }

  /** Runs when the connection ends, after endedWith is set. */
  whenEnded(listener: () => void): void {
    if (this.endedWith !== undefined) listener();
    else this.onEnded.push(listener);
  }

  /** Ends this connection because the hop it runs through ended (keeps that hop's reason). */
  endBecause(error: AppErrorData | undefined): void {
    if (error !== undefined && this.lastError === undefined) {
      const origin = error.details?.['origin'] ?? error.details?.['host'];
      this.lastError = new AppError(error.code, error.message, { ...(error.details ?? {}), host: this.host.name, via: this.host.jump?.name, origin });
    }
    this.client.destroy();
    this.end();
  }

  channelStats(): { open: number; queued: number; limit: number } {
    return this.slots.stats();
  }

  exec(command: string, options: ExecOptions = {}): Promise<ClientChannel> {
    return this.openSession('a command channel', (done) =>
      this.client.exec(command, { pty: options.pty === true }, (error, channel) => {
        if (!error) latchExit(channel);
        done(error, channel);
      }),
    );
  }

  sftp(): Promise<SFTPWrapper> {
    return this.openSession('an SFTP session', (done) => this.client.sftp(done));
  }

  forwardOut(address: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(this.endedError());
      const timer = setTimeout(() => reject(new AppError('SSH_CONNECT_TIMEOUT', `${this.host.name} did not open a tunnel to ${address}:${port} within ${Math.round(this.init.connectTimeoutMs / 1000)} s. Check that the next host is up.`, { host: this.host.name, address, port, phase: 'tunnel' })), this.init.connectTimeoutMs);
      try {
        this.client.forwardOut('127.0.0.1', 0, address, port, (error, stream) => {
          clearTimeout(timer);
          if (error) {
            reject(new AppError('SSH_CONNECT_FAILED', `${this.host.name} could not reach ${address}:${port} (${ssh2ErrorFacts(error).message}). Check that the next host is up and that ${this.host.name} may connect to it.`, { host: this.host.name, address, port, reason: 'tunnel-refused', cause: ssh2ErrorFacts(error).message }));
          } else {
            resolve(stream);
          }
        });
      } catch (error) {
        clearTimeout(timer);
        reject(this.isOpen ? channelFailed(this.host, 'a tunnel', error) : this.endedError());
      }
    });
  }

  close(): void {
    if (this.endedWith !== undefined) return;
    this.closing = true;
    this.slots.fail(this.endedError());
    this.client.end();
    // A peer that never answers the disconnect must not keep the connection (or a test) alive.
    setTimeout(() => {
      this.client.destroy();
      this.end();
    }, 2_000).unref();
  }

  private endedError(): AppError {
    if (this.lastError !== undefined) return this.lastError;
    return this.closing ? new AppError('SSH_DISCONNECTED', `The connection to ${this.host.name} was closed by Fieldrun.`, { host: this.host.name }) : disconnected(this.host);
  }

  private end(): void {
    if (this.endedWith !== undefined) return;
    const error = this.closing && this.lastError === undefined ? undefined : this.endedError().toData();
    this.endedWith = error === undefined ? {} : { error };
    this.slots.fail(this.endedError());
    this.init.log(`${this.host.name}: connection ${error === undefined ? 'closed' : `lost (${error.code})`}`);
    this.resolveClosed(this.endedWith);
    for (const listener of this.onEnded.splice(0)) listener();
  }

  private async openSession<T extends { once(event: 'close', listener: () => void): unknown }>(
    what: string,
    open: (done: (error: Error | undefined, channel: T) => void) => void,
  ): Promise<T> {
    // A refusal with nothing else open is usually sshd still freeing a session we just closed (the
    // reuse pause is not always enough on a loaded machine): try again after a growing wait.
    let lonelyRefusals = 0;
    for (;;) {
      const release = await this.slots.acquire();
      let channel: T;
      try {
        channel = await new Promise<T>((resolve, reject) => {
          if (!this.isOpen) return reject(this.endedError());
          try {
            open((error, opened) => (error ? reject(error) : resolve(opened)));
          } catch (error) {
            reject(error);
          }
        });
      } catch (error) {
        const limited = this.isOpen && !(error instanceof AppError) && isOpenRefusal(error) && this.slots.refused();
        release();
        if (limited) {
          this.init.log(`${this.host.name}: server refused a session; at most ${this.slots.stats().limit} in parallel from now on`);
          continue;
        }
        if (this.isOpen && !(error instanceof AppError) && isOpenRefusal(error) && lonelyRefusals < LONELY_REFUSAL_WAITS_MS.length) {
          await new Promise((resolve) => setTimeout(resolve, LONELY_REFUSAL_WAITS_MS[lonelyRefusals]));
          lonelyRefusals += 1;
          continue;
        }
        if (error instanceof AppError) throw error;
        if (!this.isOpen) throw this.endedError();
        throw channelFailed(this.host, what, error);
      }
      this.slots.opened();
      channel.once('close', () => release(SLOT_REUSE_DELAY_MS));
      return channel;
    }
  }
}

/** Waits before re-opening after a refusal while no other channel was open (~0.5 s in all). */
const LONELY_REFUSAL_WAITS_MS = [20, 80, 400] as const;

/**
 * ssh2 parses a whole TCP read at once: a short command's "channel open", output and
 * `exit-status` can arrive together, so 'exit' is emitted before the promise returned by exec()
 * settles and a caller's listener would miss it (the exit code read as null: "unknown"). Keep the
 * exit and hand it to listeners that subscribe later, through EventEmitter's own 'newListener'.
 */
function latchExit(channel: ClientChannel): void {
  let exit: unknown[] | undefined;
  channel.once('exit', (...args: unknown[]) => {
    exit = args;
  });
  channel.on('newListener', (event: string | symbol, listener: (...args: unknown[]) => void) => {
    if (event === 'exit' && exit !== undefined) {
      const args = exit;
      process.nextTick(() => listener(...args));
    }
  });
}
