import { createHmac, timingSafeEqual } from 'node:crypto';
import { fingerprintOf, keyTypeOfBlob } from './hostKeyFormat';
import type { KnownHostEntry } from './types';

/** The name OpenSSH records for a host: bare on port 22, '[host]:port' otherwise. */
export function knownHostsName(hostname: string, port: number): string {
  const name = hostname.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** OpenSSH's wildcard patterns: '*' any run of characters, '?' exactly one. */
function wildcardMatch(pattern: string, text: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(text);
}

/** A comma-separated pattern list: any negated match refuses, else any positive match accepts. */
export function matchPatternList(patterns: string, name: string): boolean {
  let matched = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (pattern === '') continue;
    if (wildcardMatch(pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function hashedMatcher(field: string): ((name: string) => boolean) | undefined {
  const parts = field.split('|');
  // '|1|salt|hash': parts = ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1') return undefined;
  const salt = Buffer.from(parts[2]!, 'base64');
  const hash = Buffer.from(parts[3]!, 'base64');
  if (salt.length === 0 || hash.length !== 20) return undefined;
  return (name) => {
    const computed = createHmac('sha1', salt).update(name).digest();
    return timingSafeEqual(computed, hash);
  };
}

/**
 * Parses an OpenSSH known_hosts file, hashed entries included. Lines it cannot read (comments,
 * unknown hash schemes, broken keys) are left out rather than guessed at.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@cert-authority' || fields[0] === '@revoked') marker = fields.shift() as KnownHostEntry['marker'];
    else if (fields[0]?.startsWith('@')) return;
    const [hosts, type, base64, ...comment] = fields;
    if (hosts === undefined || type === undefined || base64 === undefined) return;
    const blob = Buffer.from(base64, 'base64');
    if (blob.length === 0 || keyTypeOfBlob(blob) !== type) return;
    const hashed = hosts.startsWith('|');
    const matchName = hashed ? hashedMatcher(hosts) : (name: string) => matchPatternList(hosts, name);
    if (matchName === undefined) return;
    entries.push({
      ...(marker === undefined ? {} : { marker }),
      hosts,
      hashed,
      type,
      publicKey: `${type} ${base64}`,
      fingerprint: fingerprintOf(blob),
      ...(comment.length === 0 ? {} : { comment: comment.join(' ') }),
      line: index + 1,
      match: (hostname, port) => matchName(knownHostsName(hostname, port)),
    });
  });
  return entries;
}
