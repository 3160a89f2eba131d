// Helpers for the connection tests against the real sshd lab (not a test file itself).
import type { ConnectOptions, HostEndpoint, HostKeyDecision, PresentedHostKey } from '../../../../electron/core/ssh/connection';
import { createHostKeyPolicy } from '../../../../electron/core/ssh/connection';
import type { TestLab } from '../../../hosts';

/** A lab host as a plan would describe it, its jump chain following `behind`; pins all its keys unless told otherwise. */
export function endpointOf(lab: TestLab, name: string, options: { pins?: 'all' | 'none' | Array<'ssh-ed25519' | 'ssh-rsa' | 'ecdsa-sha2-nistp256'>; tags?: string[]; credential?: string } = {}): HostEndpoint {
  const host = lab.host(name);
  const pins = options.pins ?? 'all';
  const keys = pins === 'none' ? [] : host.hostKeys.filter((key) => pins === 'all' || pins.includes(key.type));
  const endpoint: HostEndpoint = {
    name,
    address: host.address,
    port: host.port,
    user: lab.user.name,
    pinnedKeys: keys.map((key) => ({ type: key.type, fingerprint: key.fingerprint })),
    tags: options.tags ?? [],
    ...(options.credential === undefined ? {} : { credential: options.credential }),
  };
  if (host.behind !== undefined) endpoint.jump = endpointOf(lab, host.behind);
  return endpoint;
}

/** A host-key policy that answers every unknown key with `decision` and records what it was asked. */
export function askingPolicy(decision: HostKeyDecision) {
  const asked: Array<{ host: string; key: PresentedHostKey }> = [];
  const policy = createHostKeyPolicy({
    decideUnknown: async (host, key) => {
      asked.push({ host: host.name, key });
      return decision;
    },
  });
  return { policy, asked };
}

/** Options that log into every lab host with the lab's plain key; log lines are collected. */
export function keyOptions(lab: TestLab, extra: Partial<ConnectOptions> = {}): ConnectOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    credentials: [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: lab.user.privateKeyPath }] }],
    hostKeys: askingPolicy('reject').policy,
    log: (line) => lines.push(line),
    ...extra,
    lines,
  };
}

/** Runs a command and collects its stdout and exit code. */
export async function run(connection: { exec(command: string): Promise<import('ssh2').ClientChannel> }, command: string): Promise<{ stdout: string; code: number | null }> {
  const channel = await connection.exec(command);
  let stdout = '';
  let code: number | null = null;
  channel.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  channel.stderr.resume();
  channel.on('exit', (exitCode: number | null) => (code = exitCode));
  await new Promise((resolve) => channel.on('close', resolve));
  return { stdout, code };
}

/** What an sshd log gained since `before` (a previous snapshot's length). */
export function logSince(log: string, before: number): string {
  return log.slice(before);
}

/** Lines in an sshd log that show an authentication attempt. */
export const AUTH_ATTEMPT = /Accepted|Failed|userauth|Postponed|authenticat|Invalid user|PAM/i;
