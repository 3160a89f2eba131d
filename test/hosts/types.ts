// The public shape of the SSH test lab: real OpenSSH sshd servers that tests and benchmarks
// connect to. See lab.ts for how a lab is built.

export type HostKeyType = 'ed25519' | 'rsa' | 'ecdsa';

export interface TestHostKey {
  type: 'ssh-ed25519' | 'ssh-rsa' | 'ecdsa-sha2-nistp256';
  /** 'SHA256:...' exactly as `ssh-keygen -l` prints it */
  fingerprint: string;
  /** the OpenSSH public key line: '<type> <base64>' */
  publicKey: string;
}

export interface TestHostSpec {
  name: string;
  /** name of the jump host through which ONLY this host is reachable */
  behind?: string;
  /** the login environment of the user on that host, e.g. 'de_DE.UTF-8' */
  lang?: string;
  /** extra sshd_config settings; they override the lab's defaults */
  sshd?: Record<string, string>;
  /** default all three */
  hostKeyTypes?: HostKeyType[];
}

export interface TestHost {
  name: string;
  address: string;
  port: number;
  hostname: string;
  hostKeys: TestHostKey[];
  behind?: string;
  directlyReachable: boolean;
  /** the local path of that host's private file, e.g. pathOnHost('/opt/shop/version') */
  pathOnHost(remotePath: string): string;
  /** this sshd's log so far (LogLevel VERBOSE) */
  sshdLog(): string;
}

export interface TestUser {
  name: string;
  password: string;
  sudoPassword: string;
  /** unencrypted OpenSSH ed25519 key, mode 0600 */
  privateKeyPath: string;
  /** the same kind of key, encrypted with `passphrase` */
  encryptedKeyPath: string;
  passphrase: string;
  /** public key line of privateKeyPath */
  publicKey: string;
}

export interface LatencyProxy {
  address: string;
  port: number;
  close(): Promise<void>;
}

export interface TestFaults {
  linkDown(host: string): Promise<void>;
  linkUp(host: string): Promise<void>;
  packetLoss(host: string, percent: number): Promise<void>;
  clearPacketLoss(host: string): Promise<void>;
  rateLimit(host: string, kbit: number): Promise<void>;
  clearRateLimit(host: string): Promise<void>;
  latencyProxy(host: string, delayMs: number): Promise<LatencyProxy>;
  killListener(host: string): Promise<void>;
  startListener(host: string): Promise<void>;
  killSessions(host: string): Promise<void>;
  reboot(host: string): Promise<void>;
  /** processes in the host whose command line (arguments joined by spaces) matches the RegExp `pattern` */
  countProcesses(host: string, pattern: string): Promise<number>;
}

export interface TestLab {
  mode: 'namespaces' | 'loopback';
  hosts: TestHost[];
  host(name: string): TestHost;
  user: TestUser;
  faults: TestFaults;
  /**
   * For the OpenSSH client: `ssh -F <sshConfigPath> web1 cmd` reaches any host by name as the lab
   * user, through its jump hosts, checking host keys against `knownHostsPath` (entries by name).
   */
  sshConfigPath: string;
  knownHostsPath: string;
  /** idempotent; kills every process, removes namespaces, bridges, mounts, temp folders */
  stop(): Promise<void>;
}

export interface StartTestLabOptions {
  hosts: Array<string | TestHostSpec>;
  /**
   * Give the directly reachable hosts the example plan's fixed addresses (198.18.0.0/24, jump1 =
   * 198.18.0.10). Only one such lab runs at a time on a machine: a second one waits (up to
   * `waitMs`) for the first to stop. Without it, a lab gets a private subnet 198.19.<k>.0/24 and
   * runs alongside others. Hosts behind a jump host have the fixed addresses either way.
   */
  exampleAddresses?: boolean;
  /** how long to wait for the example addresses; default 110 s (under vitest's hookTimeout) */
  waitMs?: number;
  /** keep the lab when this process exits (the CLI's `up`); `down` or a later `stop()` removes it */
  persistent?: boolean;
}
