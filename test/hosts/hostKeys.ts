// Host keys of the test hosts: the fixed test-only keys for the names the example plans pin,
// fresh ones for any other name.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FIXED_KEY_HOSTS } from './exampleLab';
import type { HostKeyType, TestHostKey } from './types';

const run = promisify(execFile);

export const KEYS_DIR = fileURLToPath(new URL('./keys/', import.meta.url));
export const SSH_KEYGEN = '/usr/bin/ssh-keygen';

/** 'SHA256:' + unpadded base64 of the key blob's SHA-256, as `ssh-keygen -l` prints it. */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (blob === undefined) throw new Error(`not an OpenSSH public key: ${publicKeyLine.slice(0, 40)}`);
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

export function parseHostKey(publicKeyLine: string): TestHostKey {
  const [type, blob] = publicKeyLine.trim().split(/\s+/);
  if (type !== 'ssh-ed25519' && type !== 'ssh-rsa' && type !== 'ecdsa-sha2-nistp256') {
    throw new Error(`unexpected host key type '${type ?? ''}'`);
  }
  return { type, fingerprint: fingerprintOf(publicKeyLine), publicKey: `${type} ${blob ?? ''}` };
}

/**
 * Puts the host's keys at `<dir>/ssh_host_<type>_key` (mode 0600: sshd refuses readable host
 * keys; a git checkout does not keep the mode) and returns their public halves.
 */
export async function provideHostKeys(hostName: string, types: HostKeyType[], dir: string): Promise<{ paths: string[]; keys: TestHostKey[] }> {
  const fixed = FIXED_KEY_HOSTS.includes(hostName);
  const made = await Promise.all(
    types.map(async (type) => {
      const path = join(dir, `ssh_host_${type}_key`);
      if (fixed) {
        await copyFile(join(KEYS_DIR, `${hostName}_${type}`), path);
        await copyFile(join(KEYS_DIR, `${hostName}_${type}.pub`), `${path}.pub`);
        await chmod(path, 0o600);
      } else {
        // RSA at 2048 bits: 3072 (ssh-keygen's default) takes ~0.4 s a key and labs start often.
        const bits = type === 'rsa' ? ['-b', '2048'] : [];
        await run(SSH_KEYGEN, ['-q', '-t', type, ...bits, '-N', '', '-C', `${hostName}-test-host`, '-f', path]);
      }
      return { path, key: parseHostKey(await readFile(`${path}.pub`, 'utf8')) };
    }),
  );
  return { paths: made.map((m) => m.path), keys: made.map((m) => m.key) };
}
