import { z } from 'zod';
import { BYTE_SIZE_EXPECTED, BYTE_SIZE_PATTERN, tryParseByteSize } from '../byteSize';
import { DURATION_EXPECTED, DURATION_PATTERN, tryParseDuration } from '../duration';
import { isIanaTimeZone, parseTimestamp, TIMESTAMP_EXPECTED, TIMESTAMP_PATTERN } from '../timestamps';
import { VARIABLE_NAME } from '../variables';
import { tryParseVersionConstraint, VERSION_CONSTRAINT_EXPECTED, VERSION_CONSTRAINT_PATTERN } from '../versionConstraint';
import { expecting } from './expectations';

// The small value types the plan is built from, each with the words a person reads when a value
// does not fit. A regex message doubles as the "expected" text of the problem.

const SLUG_TEXT = 'a name of lowercase letters, digits, and - _ . inside (at most 64), such as web-1';
export const Slug = expecting(z.string().regex(/^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/, SLUG_TEXT), SLUG_TEXT);

const LINE_TEXT = 'a single line of text';
export const Line = expecting(
  z.string().min(1, 'a non-empty single line of text').max(200, 'at most 200 characters').regex(/^[^\r\n]*$/, LINE_TEXT),
  'a non-empty single line of text (at most 200 characters)',
);

export const Prose = expecting(z.string().min(1, 'a non-empty text').max(20_000, 'at most 20,000 characters'), 'a text');

export const Flag = expecting(z.boolean(), 'true or false');

const VERSION_TEXT = "a version such as 1.4.0 or 2026.12-1 (quote numbers: '1.4')";
export const VersionText = expecting(z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+_~-]{0,63}$/, VERSION_TEXT), VERSION_TEXT);

const PHONE_TEXT = "a phone number such as '+33 1 23 45 67 89' (in quotes)";
export const Phone = expecting(z.string().regex(/^\+?[0-9][0-9 ()./-]{2,31}$/, PHONE_TEXT), PHONE_TEXT);

const EMAIL_TEXT = 'an e-mail address such as ops@example.com';
export const Email = expecting(z.string().max(254, EMAIL_TEXT).regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, EMAIL_TEXT), EMAIL_TEXT);

const ZONE_TEXT = 'an IANA time zone such as Europe/Paris or UTC';
export const TimeZone = expecting(z.string().refine(isIanaTimeZone, ZONE_TEXT), ZONE_TEXT);

// Values checked by code rather than by one regex still carry their grammar as a `pattern` in
// the JSON Schema, so that an editor flags "5 minutes" as it is typed.
export const Timestamp = expecting(
  z.string().refine((text) => parseTimestamp(text) !== undefined, TIMESTAMP_EXPECTED),
  TIMESTAMP_EXPECTED,
).meta({ pattern: TIMESTAMP_PATTERN.source });

export const Duration = expecting(
  z.string().refine((text) => (tryParseDuration(text) ?? 0) > 0, `${DURATION_EXPECTED} (more than zero)`),
  DURATION_EXPECTED,
).meta({ pattern: DURATION_PATTERN.source });

export const ByteSize = expecting(
  z.string().refine((text) => tryParseByteSize(text) !== undefined, BYTE_SIZE_EXPECTED),
  BYTE_SIZE_EXPECTED,
).meta({ pattern: BYTE_SIZE_PATTERN.source });

export const VersionConstraint = expecting(
  z.string().refine((text) => tryParseVersionConstraint(text) !== undefined, VERSION_CONSTRAINT_EXPECTED),
  VERSION_CONSTRAINT_EXPECTED,
).meta({ pattern: VERSION_CONSTRAINT_PATTERN.source });

const PORT_TEXT = 'a port number from 1 to 65535';
export const Port = expecting(z.number().int(PORT_TEXT).min(1, PORT_TEXT).max(65_535, PORT_TEXT), PORT_TEXT);

const ADDRESS_TEXT = 'a host name, IPv4 or IPv6 address, such as db1.example.net or 192.0.2.10';
export const HostAddress = expecting(z.string().refine(isHostAddress, ADDRESS_TEXT), ADDRESS_TEXT);

const USER_TEXT = 'a user name such as fieldrun';
export const UserName = expecting(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/, USER_TEXT), USER_TEXT);

const OWNER_TEXT = 'a user or group name, or a numeric id';
export const OwnerName = expecting(z.string().regex(/^(?:[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?|\d{1,10})$/, OWNER_TEXT), OWNER_TEXT);

const MODE_TEXT = "an octal file mode in quotes, such as '0644' or '0755'";
export const FileMode = expecting(z.string().regex(/^[0-7]{3,4}$/, MODE_TEXT), MODE_TEXT);

const REMOTE_PATH_TEXT = 'an absolute path on the host, such as /opt/shop';
export const RemotePath = expecting(
  z.string().max(4096, REMOTE_PATH_TEXT).regex(/^\/[^\0]*$/, REMOTE_PATH_TEXT),
  REMOTE_PATH_TEXT,
);

const SHA256_TEXT = 'a SHA-256 digest: 64 lowercase hexadecimal digits, as sha256sum prints it';
export const Sha256 = expecting(z.string().regex(/^[0-9a-f]{64}$/, SHA256_TEXT), SHA256_TEXT);

const RELATIVE_PATH_TEXT = 'a relative path inside the plan folder with / separators, such as artifacts/shop.tar.gz (no .., no absolute path, no backslash)';
export const PlanRelativePath = expecting(z.string().refine(isSafeRelativePath, RELATIVE_PATH_TEXT), RELATIVE_PATH_TEXT);

const FINGERPRINT_TEXT = 'a fingerprint as ssh-keygen -l prints it: SHA256: and 43 base64 characters, no = padding';
// 43 base64 characters carry 258 bits; a 256-bit digest leaves the last character's low two bits
// zero, so only 16 characters can end a real fingerprint.
export const Fingerprint = expecting(z.string().regex(/^SHA256:[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/, FINGERPRINT_TEXT), FINGERPRINT_TEXT);

const VARIABLE_NAME_TEXT = 'a variable name of letters, digits and _ (not starting with a digit), other than raw';
export const VariableName = expecting(
  z.string().regex(VARIABLE_NAME, VARIABLE_NAME_TEXT).refine((name) => name !== 'raw', VARIABLE_NAME_TEXT),
  VARIABLE_NAME_TEXT,
);

const ENV_NAME_TEXT = 'an environment variable name of letters, digits and _ (not starting with a digit)';
export const EnvName = expecting(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, ENV_NAME_TEXT), ENV_NAME_TEXT);

const REGEX_TEXT = 'a valid JavaScript regular expression';
export const RegexText = expecting(z.string().refine(isValidRegex, REGEX_TEXT), REGEX_TEXT);

const URL_TEXT = 'an http:// or https:// URL';
export const HttpUrl = expecting(z.string().refine(isHttpUrl, URL_TEXT), URL_TEXT);

const SELECTOR_TEXT = 'a host name or tag from the hosts section';
export const HostSelector = expecting(
  z.array(expecting(Slug.describe('A host name or a tag.'), SELECTOR_TEXT)).min(1, 'at least one host name or tag'),
  'a list of host names or tags, such as [web1, db]',
);

const IPV6 = z.ipv6();

export function isHostAddress(text: string): boolean {
  if (isIPv4(text)) return true;
  if (text.includes(':')) return IPV6.safeParse(text).success;
  if (text.length > 253) return false;
  const labels = text.replace(/\.$/, '').split('.');
  // All-numeric last labels are mistyped IPv4 addresses (198.18.1.300), not names.
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return false;
  return labels.every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

function isIPv4(text: string): boolean {
  return /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(text);
}

export function isSafeRelativePath(text: string): boolean {
  if (text === '' || text.length > 1024 || text.startsWith('/') || text.includes('\\')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F]/.test(text)) return false;
  const segments = text.split('/');
  if (/^[A-Za-z]:/.test(segments[0] ?? '')) return false; // a Windows drive (C:)
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function isValidRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

function isHttpUrl(text: string): boolean {
  try {
    // A variable may stand for the host or port (http://{{ host }}:{{ port }}/health).
    const url = new URL(text.replace(/\{\{[^}]*\}\}/g, '1'));
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
