import { AppError } from '../../../shared/errors';
import { readPublicKeyLine, type ParsedPublicKeyLine } from './publicKeys';
import { parseSignerTimestamp } from './signerTime';
import { WireFormatError } from './sshWire';

// The allowed_signers format of ssh-keygen(1) "ALLOWED SIGNERS", read as sshsig.c reads it:
//   principals [options] keytype base64 [comment]
// principals is a pattern list (optionally in double quotes); options are cert-authority,
// namespaces="…", valid-after="…", valid-before="…" (keywords case-insensitive, values quoted).
// Unlike ssh-keygen, which logs and skips a bad line, a bad line here is an error naming the line:
// a trust file that silently lost an entry is worse than one that refuses to load.

export interface AllowedSigner {
  /** 1-based line in the file. */
  readonly line: number;
  /** The principals pattern list as written, e.g. 'tech@example.com,*@head-office.example'. */
  readonly principals: string;
  /** The namespaces pattern list, when the line restricts them. */
  readonly namespaces?: string;
  /** Seconds since the epoch. */
  readonly validAfter?: number;
  readonly validBefore?: number;
  /** A CA line trusts certificates signed by the key; Fieldrun does not verify certificates, so such a line never matches. */
  readonly certAuthority: boolean;
  readonly key: ParsedPublicKeyLine;
}

const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

function isKeyType(token: string): boolean {
  return KEY_TYPES.has(token) || KEY_TYPES.has(token.replace(/-cert-v01@openssh\.com$/, ''));
}

class LineError extends Error {}

export function parseAllowedSigners(text: string): AllowedSigner[] {
  const entries: AllowedSigner[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    try {
      const entry = parseLine(raw, index + 1);
      if (entry !== undefined) entries.push(entry);
    } catch (error) {
      if (!(error instanceof LineError || error instanceof WireFormatError)) throw error;
      throw new AppError('ALLOWED_SIGNERS_INVALID', `allowed_signers line ${index + 1}: ${error.message}. Fix that line (see "ALLOWED SIGNERS" in ssh-keygen(1)).`, {
        line: index + 1,
        problem: error.message,
      });
    }
  });
  return entries;
}

const WHITESPACE = /[ \t\r\n]/;

function skipSpace(text: string, at: number): number {
  while (at < text.length && WHITESPACE.test(text[at]!)) at++;
  return at;
}

function parseLine(raw: string, line: number): AllowedSigner | undefined {
  let at = skipSpace(raw, 0);
  if (at === raw.length || raw[at] === '#') return undefined;

  let principals: string;
  if (raw[at] === '"') {
    const close = raw.indexOf('"', at + 1);
    if (close < 0) throw new LineError('the quoted principals have no closing quote');
    principals = raw.slice(at + 1, close);
    at = close + 1;
    if (at < raw.length && !WHITESPACE.test(raw[at]!)) throw new LineError('the quoted principals must be followed by a space');
  } else {
    const end = tokenEnd(raw, at);
    principals = raw.slice(at, end);
    if (principals.includes('"')) throw new LineError('a quote inside the principals; quote the whole principals field instead');
    at = end;
  }
  if (principals === '') throw new LineError('the principals are empty');
  if (isKeyType(principals)) throw new LineError('the line starts with a key; the principals (e.g. tech@example.com) come first');
  at = skipSpace(raw, at);
  if (at === raw.length) throw new LineError('there is no key after the principals');

  let options: ParsedOptions = { certAuthority: false };
  if (!isKeyType(raw.slice(at, tokenEnd(raw, at)))) {
    const end = optionsEnd(raw, at);
    options = parseOptions(raw.slice(at, end));
    at = skipSpace(raw, end);
    if (at === raw.length) throw new LineError('there is no key after the options');
    const keyType = raw.slice(at, tokenEnd(raw, at));
    if (!isKeyType(keyType)) throw new LineError(`"${keyType}" is not an SSH key type`);
  }
  const key = readPublicKeyLine(raw.slice(at));
  return { line, principals, ...options, key };
}

function tokenEnd(text: string, at: number): number {
  while (at < text.length && !WHITESPACE.test(text[at]!)) at++;
  return at;
}

/** Options run to the first space outside double quotes (sshkey_advance_past_options). */
function optionsEnd(text: string, at: number): number {
  let quoted = false;
  for (; at < text.length && (quoted || (text[at] !== ' ' && text[at] !== '\t')); at++) {
    if (text[at] === '\\' && text[at + 1] === '"') at++;
    else if (text[at] === '"') quoted = !quoted;
  }
  if (quoted) throw new LineError('an option value has no closing quote');
  return at;
}

interface ParsedOptions {
  certAuthority: boolean;
  namespaces?: string;
  validAfter?: number;
  validBefore?: number;
}

/** sshsig.c sshsigopt_parse, option by option. */
function parseOptions(text: string): ParsedOptions {
  const options: ParsedOptions = { certAuthority: false };
  let at = 0;
  while (at < text.length) {
    const rest = text.slice(at);
    const lower = rest.toLowerCase();
    if (lower.startsWith('cert-authority')) {
      options.certAuthority = true;
      at += 'cert-authority'.length;
    } else {
      const keyword = ['namespaces', 'valid-after', 'valid-before'].find((name) => lower.startsWith(`${name}=`));
      if (keyword === undefined) throw new LineError(`unknown option "${rest.split(',')[0]}"; allowed are cert-authority, namespaces="…", valid-after="…", valid-before="…"`);
      const { value, next } = dequote(text, at + keyword.length + 1, keyword);
      at = next;
      if (keyword === 'namespaces') {
        if (options.namespaces !== undefined) throw new LineError('more than one namespaces= option');
        options.namespaces = value;
      } else {
        const field = keyword === 'valid-after' ? 'validAfter' : 'validBefore';
        if (options[field] !== undefined) throw new LineError(`more than one ${keyword}= option`);
        const seconds = parseSignerTimestamp(value);
        if (seconds === undefined) throw new LineError(`${keyword}="${value}" is not a time (YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, with Z for UTC)`);
        options[field] = seconds;
      }
    }
    if (at === text.length) break;
    if (text[at] !== ',') throw new LineError(`unknown option text "${text.slice(at)}"`);
    at++;
    if (at === text.length) throw new LineError('the options end with a comma');
  }
  if (options.validAfter !== undefined && options.validBefore !== undefined && options.validBefore <= options.validAfter) {
    throw new LineError('valid-before is not after valid-after');
  }
  return options;
}

/** misc.c opt_dequote: the value must be in double quotes; \" stands for a quote inside. */
function dequote(text: string, at: number, keyword: string): { value: string; next: number } {
  if (text[at] !== '"') throw new LineError(`the value of ${keyword}= must be in double quotes, e.g. ${keyword}="…"`);
  let value = '';
  let i = at + 1;
  for (; i < text.length && text[i] !== '"'; i++) {
    if (text[i] === '\\' && text[i + 1] === '"') i++;
    value += text[i];
  }
  if (i >= text.length) throw new LineError(`the value of ${keyword}= has no closing quote`);
  return { value, next: i + 1 };
}
