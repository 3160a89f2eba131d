import { stat } from 'node:fs/promises';
import ssh2, { type ParsedKey } from 'ssh2';
import { AppError } from '../../../../shared/errors';
import { MAX_KEY_FILE_BYTES, readKeyFile } from '../../fs/keyFile';

export { MAX_KEY_FILE_BYTES, readKeyFile };
import { fingerprintOf } from './hostKeyFormat';
import type { ConnectOptions, Credential, CredentialProfile, HostEndpoint } from './types';

/** A credential ready to offer: keys parsed (and decrypted) before any byte goes to the network. */
export type UsableCredential =
  | { kind: 'privateKey'; key: ParsedKey; label: string }
  | { kind: 'agent'; socketPath: string; label: string }
  | { kind: 'password'; password: string; label: string }
  | { kind: 'keyboardInteractive'; answers: Extract<Credential, { kind: 'keyboardInteractive' }>['answers']; label: string };

export interface UnusableCredential {
  label: string;
  error: AppError;
}

function applies(profile: CredentialProfile, host: HostEndpoint): boolean {
  const scope = profile.appliesTo;
  if ('all' in scope) return scope.all;
  if ('hosts' in scope) return scope.hosts.includes(host.name);
  return scope.tags.some((tag) => host.tags.includes(tag));
}

function specificity(profile: CredentialProfile): number {
  const scope = profile.appliesTo;
  return 'hosts' in scope ? 0 : 'tags' in scope ? 1 : 2;
}

/**
 * The credentials to try for a host, in order. A host naming a profile uses that profile alone;
 * otherwise every profile that applies, the most specific first (named hosts, then tags, then all),
 * so forty hosts sharing a tag share one prompt.
 */
export function credentialsFor(host: HostEndpoint, source: ConnectOptions['credentials']): Credential[] {
  if (typeof source === 'function') return source(host);
  if (host.credential !== undefined) {
    const named = source.find((profile) => profile.name === host.credential);
    if (named === undefined) {
      throw new AppError(
        'SSH_AUTH_FAILED',
        `Host ${host.name} uses the credential profile "${host.credential}", which is not defined. Add that profile or change the host's credential.`,
        { host: host.name, profile: host.credential },
      );
    }
    return named.credentials;
  }
  return source
    .filter((profile) => applies(profile, host))
    .sort((a, b) => specificity(a) - specificity(b))
    .flatMap((profile) => profile.credentials);
}

/** Whether key text is passphrase-protected: an 'ENCRYPTED' PEM header or an OpenSSH key with a cipher. */
export function isEncryptedKeyText(text: string): boolean {
  if (/^Proc-Type:.*ENCRYPTED/m.test(text) || /BEGIN ENCRYPTED PRIVATE KEY/.test(text)) return true;
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text)?.[1];
  if (body === undefined) return false;
  const blob = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (blob.toString('latin1', 0, magic.length) !== magic || blob.length < magic.length + 4) return false;
  const length = blob.readUInt32BE(magic.length);
  return blob.toString('latin1', magic.length + 4, magic.length + 4 + length) !== 'none';
}

/** Refuses an agent socket path that is not a Unix socket: the core speaks the agent protocol only to an agent. */
export async function requireAgentSocket(socketPath: string): Promise<void> {
  // Windows' OpenSSH agent is a named pipe, which stat does not describe as a socket.
  if (process.platform === 'win32' && socketPath.startsWith('\\\\.\\pipe\\')) return;
  const info = await stat(socketPath).catch(() => undefined);
  if (info?.isSocket() !== true) {
    throw new AppError('SSH_AUTH_FAILED', `There is no SSH agent socket at ${socketPath}. Start the agent (or name its socket, as in SSH_AUTH_SOCK), or use a key file.`, { reason: 'agent-missing' });
  }
}

async function loadKey(credential: Extract<Credential, { kind: 'privateKey' }>): Promise<UsableCredential> {
  const where = 'keyPath' in credential ? `the key file ${credential.keyPath}` : 'the private key given';
  const source = 'keyPath' in credential ? { keyPath: credential.keyPath } : {};
  let text: Buffer;
  if ('keyPath' in credential) {
    text = await readKeyFile(credential.keyPath);
  } else {
    text = Buffer.isBuffer(credential.key) ? credential.key : Buffer.from(credential.key);
  }
  // ssh2 is CommonJS; Node's ESM loader exposes `utils` only on the default export.
  const parsed = ssh2.utils.parseKey(text, credential.passphrase);
  if (parsed instanceof Error) {
    if (isEncryptedKeyText(text.toString('latin1'))) {
      const wrong = credential.passphrase !== undefined;
      throw new AppError(
        'SSH_PASSPHRASE_REQUIRED',
        wrong
          ? `The passphrase for ${where} is wrong. Enter the key's passphrase again.`
          : `${where[0]!.toUpperCase()}${where.slice(1)} is protected by a passphrase. Enter the passphrase to use it.`,
        { ...source, reason: wrong ? 'wrong-passphrase' : 'passphrase-missing' },
      );
    }
    throw new AppError('SSH_KEY_INVALID', `Cannot use ${where}: it is not a private key in a supported format (OpenSSH or PEM).`, {
      ...source,
      reason: 'unsupported-format',
    });
  }
  if (!parsed.isPrivateKey()) {
    throw new AppError('SSH_KEY_INVALID', `Cannot use ${where}: it holds a public key, not a private key.`, { ...source, reason: 'public-key' });
  }
  const label = `publickey ${parsed.type} ${fingerprintOf(parsed.getPublicSSH())}${'keyPath' in credential ? ` (${credential.keyPath})` : ''}`;
  return { kind: 'privateKey', key: parsed, label };
}

/** Prepares credentials; unusable keys are set aside with the reason, so the others can still be tried. */
export async function prepareCredentials(credentials: Credential[]): Promise<{ usable: UsableCredential[]; unusable: UnusableCredential[] }> {
  const usable: UsableCredential[] = [];
  const unusable: UnusableCredential[] = [];
  for (const credential of credentials) {
    switch (credential.kind) {
      case 'privateKey':
        try {
          usable.push(await loadKey(credential));
        } catch (error) {
          const label = 'keyPath' in credential ? `publickey (${credential.keyPath})` : 'publickey';
          unusable.push({ label, error: error instanceof AppError ? error : new AppError('SSH_KEY_INVALID', 'Cannot use the private key.') });
        }
        break;
      case 'agent':
        usable.push({ kind: 'agent', socketPath: credential.socketPath, label: `agent (${credential.socketPath})` });
        break;
      case 'password':
        usable.push({ kind: 'password', password: credential.password, label: 'password' });
        break;
      case 'keyboardInteractive':
        usable.push({ kind: 'keyboardInteractive', answers: credential.answers, label: 'keyboard-interactive' });
        break;
    }
  }
  return { usable, unusable };
}
