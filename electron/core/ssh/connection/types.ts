import type { Duplex } from 'node:stream';
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import type { AppErrorData } from '../../../../shared/errors';

/** A server as the plan (or an imported ~/.ssh/config) names it. */
export interface HostEndpoint {
  name: string;
  address: string;
  port: number;
  user: string;
  /** Fingerprints ('SHA256:…' as `ssh-keygen -l` prints them) with their key types ('ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256'; 'ED25519'/'RSA'/'ECDSA' accepted too). */
  pinnedKeys: Array<{ type: string; fingerprint: string }>;
  /** The hop this host is reached through; chains of any length. */
  jump?: HostEndpoint;
  /** Name of the credential profile to use; without it every profile that applies is tried. */
  credential?: string;
  tags: string[];
}

export type Credential =
  | { kind: 'privateKey'; keyPath: string; passphrase?: string }
  | { kind: 'privateKey'; key: Buffer | string; passphrase?: string }
  | { kind: 'agent'; socketPath: string }
  /** Also answers keyboard-interactive prompts when the server offers no 'password' method. */
  | { kind: 'password'; password: string }
  | { kind: 'keyboardInteractive'; answers: (prompts: Array<{ prompt: string; echo: boolean }>) => Promise<string[]> | string[] };

export type CredentialKind = Credential['kind'];

export interface CredentialProfile {
  name: string;
  appliesTo: { all: true } | { tags: string[] } | { hosts: string[] };
  /** Tried in order. */
  credentials: Credential[];
}

export interface PresentedHostKey {
  /** Key blob type: 'ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', … */
  type: string;
  /** 'SHA256:…' without padding, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  /** OpenSSH public key line: '<type> <base64>'. */
  publicKey: string;
}

export type HostKeyDecision = 'accept-once' | 'accept-and-remember' | 'reject';

/**
 * The port through which the runner/UI decides host keys. Pinned hosts never ask: a match connects,
 * a mismatch fails before any credential is sent.
 */
export interface HostKeyPolicy {
  /**
   * Asked for a key that is neither pinned nor known. May take as long as the technician needs
   * (the handshake timer is paused meanwhile). Rejecting with an AppError (e.g. SSH_HOST_KEY_UNKNOWN
   * after recording a pending question) fails the connection with that error.
   */
  decideUnknown(host: HostEndpoint, presented: PresentedHostKey): Promise<HostKeyDecision>;
  /** Keys confirmed earlier (the recorded store). A presented key of a known type that matches none of them is a mismatch. */
  known(host: HostEndpoint): Array<{ type: string; fingerprint: string }>;
  /** Called after decideUnknown answered 'accept-and-remember'; the policy records the key. */
  remember?(host: HostEndpoint, presented: PresentedHostKey): void | Promise<void>;
  /**
   * A technician's override for a changed key: the new fingerprint typed in from the client and a
   * reason. It takes effect only if it equals the presented fingerprint.
   */
  override?(host: HostEndpoint): HostKeyOverride | undefined;
}

export interface HostKeyOverride {
  newFingerprint: string;
  reason: string;
}

/** How the presented host key came to be trusted, for the journal and the report. */
export type HostKeyVerdict =
  | { kind: 'pinned' }
  | { kind: 'known' }
  | { kind: 'accepted-once' }
  | { kind: 'accepted-and-remembered' }
  | { kind: 'overridden'; reason: string; expected: string[] };

export interface ExecOptions {
  pty?: boolean;
}

export interface SshConnection {
  readonly host: HostEndpoint;
  readonly presentedKey: PresentedHostKey;
  readonly hostKeyVerdict: HostKeyVerdict;
  /** Which credential logged in, e.g. 'publickey', 'agent', 'password', 'keyboard-interactive'. */
  readonly authenticatedWith: string;
  /** Opens a session channel; beyond the server's session limit the open waits for a free slot. */
  exec(command: string, options?: ExecOptions): Promise<ClientChannel>;
  sftp(): Promise<SFTPWrapper>;
  /** A TCP stream to address:port opened from this host (used for jump chains). */
  forwardOut(address: string, port: number): Promise<Duplex>;
  /** Channels open now and the current limit (lowered when the server refuses opens). */
  channelStats(): { open: number; queued: number; limit: number };
  /** Resolves once, when the connection ends: no error after close(), else why it ended. */
  readonly closed: Promise<{ error?: AppErrorData }>;
  readonly isOpen: boolean;
  close(): void;
}

export type ConnectionState = 'connecting' | 'connected' | 'lost' | 'closed';

export interface ConnectionPool {
  /** One connection per host name, reused; a lost one is re-established (with backoff) on demand. */
  get(host: HostEndpoint): Promise<SshConnection>;
  drop(hostName: string): void;
  closeAll(): Promise<void>;
  on(event: 'state', listener: (hostName: string, state: ConnectionState, error?: AppErrorData) => void): () => void;
}

export interface ReconnectOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ConnectOptions {
  credentials: CredentialProfile[] | ((host: HostEndpoint) => Credential[]);
  hostKeys: HostKeyPolicy;
  /** Default 5000 ms × 2 unanswered: a dead link is detected within 15 s. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** TCP connect (or tunnel open through a jump host). Default 10 s. */
  connectTimeoutMs?: number;
  /** SSH handshake and authentication, excluding time spent in HostKeyPolicy.decideUnknown. Default 20 s. */
  handshakeTimeoutMs?: number;
  /** Parallel session channels per connection before opens queue. Default 10 (OpenSSH MaxSessions). */
  maxChannelsPerConnection?: number;
  /** Pool only. Default 4 attempts, 500 ms base, 8 s max (full jitter). */
  reconnect?: ReconnectOptions;
  /** Progress lines for the technician's log; never receives secrets. */
  log?: (line: string) => void;
}

export interface KnownHostEntry {
  marker?: '@cert-authority' | '@revoked';
  /** The host field as written: patterns, or '|1|salt|hash' when hashed. */
  hosts: string;
  hashed: boolean;
  type: string;
  /** OpenSSH public key line: '<type> <base64>'. */
  publicKey: string;
  fingerprint: string;
  comment?: string;
  /** 1-based line in the source text. */
  line: number;
  /** True when this entry names hostname (and port; 22 means the bare name). */
  match(hostname: string, port: number): boolean;
}

export interface SshConfigHost {
  hostName?: string;
  user?: string;
  port?: number;
  identityFile?: string[];
  proxyJump?: string[];
}
