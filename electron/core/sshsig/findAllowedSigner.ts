import type { AllowedSigner } from './allowedSigners';
import { matchPatternList } from './patterns';
import { fingerprintOfBlob, parseOpenSshPublicKey } from './publicKeys';
import { formatSignerTime } from './signerTime';

export interface FindAllowedSignerQuery {
  /** The principal to check (ssh-keygen -I). Without it, every principal listed with the key counts (ssh-keygen -Y find-principals). */
  readonly identity?: string;
  /** The signer's key: its wire blob, or an OpenSSH public key line. */
  readonly publicKey: Buffer | string;
  /** The namespace of the signature; lines with namespaces="…" must allow it. */
  readonly namespace: string;
  /** When the key must be valid (valid-after/valid-before); now by default, as ssh-keygen does. */
  readonly at?: Date;
}

export type AllowedSignerMatch =
  | { readonly found: true; readonly entries: readonly AllowedSigner[]; readonly principals: readonly string[] }
  | { readonly found: false; readonly reason: string };

/**
 * The lines that let this key sign in this namespace at this time (for this identity), checked in
 * sshsig.c's order: principal, key, namespace, validity. When none does, the reason names the
 * nearest miss ("listed, but only for namespaces …") so that a person can fix the right thing.
 */
export function findAllowedSigner(entries: readonly AllowedSigner[], query: FindAllowedSignerQuery): AllowedSignerMatch {
  const blob = typeof query.publicKey === 'string' ? parseOpenSshPublicKey(query.publicKey).blob : query.publicKey;
  const atSeconds = Math.floor((query.at ?? new Date()).getTime() / 1000);
  const matched: AllowedSigner[] = [];
  const misses: string[] = [];
  let keyListed = false;
  for (const entry of entries) {
    if (query.identity !== undefined && matchPatternList(query.identity, entry.principals) !== 'match') continue;
    if (!entry.key.blob.equals(blob)) continue;
    keyListed = true;
    if (entry.certAuthority) {
      misses.push(`line ${entry.line} lists the key as a certificate authority, and Fieldrun does not verify certificate signatures`);
      continue;
    }
    if (entry.namespaces !== undefined && matchPatternList(query.namespace, entry.namespaces) !== 'match') {
      misses.push(`line ${entry.line} allows the key only for namespaces "${entry.namespaces}", not "${query.namespace}"`);
      continue;
    }
    if (entry.validAfter !== undefined && atSeconds < entry.validAfter) {
      misses.push(`line ${entry.line} makes the key valid only from ${formatSignerTime(entry.validAfter)}`);
      continue;
    }
    if (entry.validBefore !== undefined && atSeconds > entry.validBefore) {
      misses.push(`line ${entry.line} made the key valid only until ${formatSignerTime(entry.validBefore)}`);
      continue;
    }
    matched.push(entry);
  }
  if (matched.length > 0) {
    const principals = query.identity !== undefined ? [query.identity] : unique(matched.flatMap((entry) => entry.principals.split(',').filter((p) => p !== '' && !p.startsWith('!'))));
    return { found: true, entries: matched, principals };
  }
  const who = query.identity === undefined ? '' : ` for ${query.identity}`;
  const fingerprint = fingerprintOfBlob(blob);
  if (!keyListed) return { found: false, reason: `The key ${fingerprint} is not among the allowed signers${who}.` };
  return { found: false, reason: `The key ${fingerprint} is listed${who}, but ${misses.join('; ')}.` };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
