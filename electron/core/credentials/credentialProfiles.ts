// The SSH credential profiles of this session: how the technician proves the plan's login users
// (key file, agent, password), applied to all hosts, to tags or to named hosts. Secrets live in
// this process's memory only — never in the store, never answered back (list shows kinds and
// where a key file or agent socket is, nothing more). Runs read the profiles when they connect,
// so a profile added after a failed login is used on the next attempt.
import { AppError } from '../../../shared/errors';
import type { z } from 'zod';
import type { CredentialInputSchema, CredentialScopeSchema, CredentialSummarySchema } from '../../../shared/contract/settings';
import { credentialsFor, prepareCredentials, requireAgentSocket, type Credential, type CredentialProfile, type HostEndpoint } from '../ssh/connection';

type CredentialInput = z.output<typeof CredentialInputSchema>;
type CredentialScope = z.output<typeof CredentialScopeSchema>;
type CredentialSummary = z.output<typeof CredentialSummarySchema>;

export interface CredentialProfiles {
  list(): CredentialSummary[];
  /** Checks the credential first (a key file is read and decrypted): a wrong passphrase is said now, not at 2 a.m. mid-run. */
  set(name: string, input: CredentialInput, appliesTo: CredentialScope): Promise<CredentialSummary>;
  remove(name: string): boolean;
  /** Passwords and key passphrases held, for leak checks (a report must contain none of them). */
  secretValues(): string[];
  /** What the connection layer tries for a host, from the profiles as they are now. */
  forHost(host: HostEndpoint): Credential[];
}

export function createCredentialProfiles(initial: readonly CredentialProfile[] = [], agentSocket = process.env['SSH_AUTH_SOCK']): CredentialProfiles {
  const profiles = new Map<string, CredentialProfile>(initial.map((p) => [p.name, p]));

  const toCredential = (input: CredentialInput): Credential => {
    switch (input.kind) {
      case 'keyFile':
        return input.passphrase === undefined ? { kind: 'privateKey', keyPath: input.path } : { kind: 'privateKey', keyPath: input.path, passphrase: input.passphrase };
      case 'agent': {
        const socketPath = input.socketPath ?? agentSocket;
        if (socketPath === undefined || socketPath === '') {
          throw new AppError('SSH_AUTH_FAILED', 'No SSH agent is running for this app (SSH_AUTH_SOCK is not set). Name the agent socket, or use a key file.', { reason: 'agent-missing' });
        }
        return { kind: 'agent', socketPath };
      }
      case 'password':
        return { kind: 'password', password: input.password };
    }
  };

  const summary = (profile: CredentialProfile): CredentialSummary => {
    const first = profile.credentials[0];
    const appliesTo = profile.appliesTo;
    if (first?.kind === 'privateKey') return { name: profile.name, kind: 'keyFile', where: 'keyPath' in first ? first.keyPath : null, appliesTo };
    if (first?.kind === 'agent') return { name: profile.name, kind: 'agent', where: first.socketPath, appliesTo };
    if (first?.kind === 'password') return { name: profile.name, kind: 'password', where: null, appliesTo };
    return { name: profile.name, kind: 'other', where: null, appliesTo };
  };

  return {
    list: () => [...profiles.values()].map(summary).sort((a, b) => a.name.localeCompare(b.name)),
    async set(name, input, appliesTo) {
      const credential = toCredential(input);
      if (credential.kind === 'privateKey') {
        const { unusable } = await prepareCredentials([credential]);
        if (unusable[0] !== undefined) throw unusable[0].error;
      }
      if (credential.kind === 'agent') await requireAgentSocket(credential.socketPath);
      const scope: CredentialProfile['appliesTo'] = 'all' in appliesTo ? { all: true } : 'tags' in appliesTo ? { tags: [...appliesTo.tags] } : { hosts: [...appliesTo.hosts] };
      const profile: CredentialProfile = { name, appliesTo: scope, credentials: [credential] };
      profiles.set(name, profile);
      return summary(profile);
    },
    remove: (name) => profiles.delete(name),
    secretValues: () =>
      [...profiles.values()].flatMap((p) =>
        p.credentials.flatMap((c) => (c.kind === 'password' ? [c.password] : c.kind === 'privateKey' && c.passphrase !== undefined ? [c.passphrase] : [])),
      ),
    forHost: (host) => credentialsFor(host, [...profiles.values()]),
  };
}
