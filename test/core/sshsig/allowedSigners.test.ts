import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPORT_NAMESPACE,
  findAllowedSigner,
  formatOpenSshPublicKey,
  parseAllowedSigners,
  signSshsig,
  verifyWithAllowedSigners,
} from '../../../electron/core/sshsig';
import { isAppError } from '../../../shared/errors';
import { matchPatternList } from '../../../electron/core/sshsig/patterns';
import { scratchDir, sshKeygenVerify } from './sshKeygen';

const tech = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const A = formatOpenSshPublicKey(tech.publicKey, 'laptop key');
const B = formatOpenSshPublicKey(other.publicKey);
const message = Buffer.from('manifest bytes');
const armored = signSshsig({ message, namespace: REPORT_NAMESPACE, privateKey: tech.privateKey });
const verifyAt = new Date('2025-06-15T12:00:00Z');

let scratch: ReturnType<typeof scratchDir>;
beforeAll(() => {
  scratch = scratchDir('allowed-signers');
});
afterAll(() => scratch.cleanup());

// Each file is judged by ssh-keygen -Y verify and by us for tech@example.com, fieldrun-report, at verifyAt.
const differential: { label: string; file: string; trusted: boolean }[] = [
  { label: 'exact principal', file: `tech@example.com ${A}`, trusted: true },
  { label: 'wildcard principal', file: `*@example.com ${A}`, trusted: true },
  { label: '? wildcard', file: `tech@example.co? ${A}`, trusted: true },
  { label: 'comma list', file: `alice@example.com,tech@example.com ${A}`, trusted: true },
  { label: 'negated principal vetoes', file: `*@example.com,!tech@example.com ${A}`, trusted: false },
  { label: 'principals are case-sensitive', file: `TECH@example.com ${A}`, trusted: false },
  { label: 'quoted principals', file: `"tech@example.com" ${A}`, trusted: true },
  { label: 'comments and blank lines', file: `# head office signers\n\n   # indented comment\ntech@example.com ${A}`, trusted: true },
  { label: 'CRLF line endings', file: `# comment\r\ntech@example.com ${A}\r\n`, trusted: true },
  { label: 'other key only', file: `tech@example.com ${B}`, trusted: false },
  { label: 'right key for another principal', file: `alice@example.com ${A}\ntech@example.com ${B}`, trusted: false },
  { label: 'second line matches', file: `tech@example.com ${B}\ntech@example.com ${A}`, trusted: true },
  { label: 'namespace allowed', file: `tech@example.com namespaces="fieldrun-report" ${A}`, trusted: true },
  { label: 'namespace pattern', file: `tech@example.com namespaces="fieldrun-*" ${A}`, trusted: true },
  { label: 'namespace list', file: `tech@example.com namespaces="file,fieldrun-report" ${A}`, trusted: true },
  { label: 'namespace not allowed', file: `tech@example.com namespaces="fieldrun-plan" ${A}`, trusted: false },
  { label: 'namespace negated', file: `tech@example.com namespaces="fieldrun-*,!fieldrun-report" ${A}`, trusted: false },
  { label: 'options are case-insensitive', file: `tech@example.com NAMESPACES="fieldrun-report",Valid-After="20200101Z" ${A}`, trusted: true },
  { label: 'not yet valid', file: `tech@example.com valid-after="20300101Z" ${A}`, trusted: false },
  { label: 'expired', file: `tech@example.com valid-before="20250615115959Z" ${A}`, trusted: false },
  { label: 'valid on the second', file: `tech@example.com valid-before="20250615120000Z" ${A}`, trusted: true },
  { label: 'within a window', file: `tech@example.com valid-after="202401010000Z",valid-before="20260101Z" ${A}`, trusted: true },
  { label: 'local-time window', file: `tech@example.com valid-after="20240101",valid-before="20260101" ${A}`, trusted: true },
  { label: 'cert-authority never matches a plain key', file: `tech@example.com cert-authority ${A}`, trusted: false },
];

describe('allowed_signers decisions agree with ssh-keygen -Y verify', () => {
  for (const { label, file, trusted } of differential) {
    it(`${label}: ${trusted ? 'trusted' : 'not trusted'}`, () => {
      const ours = verifyWithAllowedSigners({ message, armored, namespace: REPORT_NAMESPACE, allowedSigners: file, identity: 'tech@example.com', at: verifyAt });
      const openssh = sshKeygenVerify(scratch.dir, {
        allowedSigners: `${file}\n`,
        identity: 'tech@example.com',
        namespace: REPORT_NAMESPACE,
        armored,
        message,
        verifyTime: '20250615120000Z',
      });
      expect(openssh.status === 0, `ssh-keygen: ${openssh.stderr}`).toBe(trusted);
      expect(ours.ok, JSON.stringify(ours)).toBe(trusted);
      if (!ours.ok) expect(ours.code).toBe('SIGNER_UNTRUSTED');
    });
  }
});

describe('findAllowedSigner', () => {
  it('without an identity lists every principal the key is allowed for (find-principals)', () => {
    const entries = parseAllowedSigners(`tech@example.com,!mallory@example.com ${A}\n*@field.example namespaces="fieldrun-report" ${A}\nalice@example.com namespaces="fieldrun-plan" ${A}\nbob@example.com ${B}\n`);
    const match = findAllowedSigner(entries, { publicKey: A, namespace: REPORT_NAMESPACE, at: verifyAt });
    expect(match).toMatchObject({ found: true, principals: ['tech@example.com', '*@field.example'] });
    expect(match.found && match.entries.map((entry) => entry.line)).toEqual([1, 2]);
  });

  it('explains the nearest miss: listed, but not for this namespace or time', () => {
    const entries = parseAllowedSigners(`tech@example.com namespaces="fieldrun-plan" ${A}\ntech@example.com valid-before="20200101Z" ${A}\n`);
    const match = findAllowedSigner(entries, { identity: 'tech@example.com', publicKey: A, namespace: REPORT_NAMESPACE, at: verifyAt });
    expect(match.found).toBe(false);
    const reason = match.found ? '' : match.reason;
    expect(reason).toContain('line 1 allows the key only for namespaces "fieldrun-plan", not "fieldrun-report"');
    expect(reason).toContain('line 2 made the key valid only until 2020-01-01T00:00:00Z');
  });

  it('says plainly when the key is not listed', () => {
    const match = findAllowedSigner(parseAllowedSigners(`tech@example.com ${B}`), { identity: 'tech@example.com', publicKey: A, namespace: REPORT_NAMESPACE });
    expect(match).toMatchObject({ found: false, reason: expect.stringMatching(/^The key SHA256:\S+ is not among the allowed signers for tech@example.com\.$/) });
  });
});

describe('parseAllowedSigners', () => {
  it('reads principals, options, key and comment', () => {
    const [entry] = parseAllowedSigners(`  "tech@example.com,ops@example.com" namespaces="fieldrun-report,file",valid-after="20240102Z",cert-authority ${A}`);
    expect(entry).toMatchObject({
      line: 1,
      principals: 'tech@example.com,ops@example.com',
      namespaces: 'fieldrun-report,file',
      validAfter: Date.UTC(2024, 0, 2) / 1000,
      certAuthority: true,
      key: { type: 'ssh-ed25519', comment: 'laptop key' },
    });
  });

  it('keeps an escaped quote inside an option value', () => {
    expect(parseAllowedSigners(`tech@example.com namespaces="a\\"b" ${A}`)[0]?.namespaces).toBe('a"b');
  });

  it('refuses a bad line, naming its number and the problem', () => {
    const bad: { line: string; problem: RegExp }[] = [
      { line: `tech@example.com`, problem: /no key after the principals/ },
      { line: `tech@example.com namespaces=fieldrun-report ${A}`, problem: /must be in double quotes/ },
      { line: `tech@example.com namespaces="fieldrun-report ${A}`, problem: /no closing quote/ },
      { line: `tech@example.com no-touch-required ${A}`, problem: /unknown option "no-touch-required"/ },
      { line: `tech@example.com namespaces="a",namespaces="b" ${A}`, problem: /more than one namespaces/ },
      { line: `tech@example.com valid-after="20240231" ${A}`, problem: /is not a time/ },
      { line: `tech@example.com valid-after="2024-01-01" ${A}`, problem: /is not a time/ },
      { line: `tech@example.com valid-after="20250101Z",valid-before="20240101Z" ${A}`, problem: /valid-before is not after valid-after/ },
      { line: `tech@example.com namespaces="x", ${A}`, problem: /end with a comma/ },
      { line: `tech@example.com ssh-ed25519 AAAA!!!!`, problem: /not valid base64/ },
      { line: `tech@example.com ssh-rsa ${A.split(' ')[1]}`, problem: /says it is ssh-rsa but its data is ssh-ed25519/ },
      { line: `tech@example.com namespaces="x" ssh-foo AAAA`, problem: /"ssh-foo" is not an SSH key type/ },
      { line: `"tech@example.com ${A}`, problem: /no closing quote/ },
      { line: A, problem: /starts with a key; the principals/ },
    ];
    for (const { line, problem } of bad) {
      let caught: unknown;
      try {
        parseAllowedSigners(`# trusted signers\n${line}\n`);
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught) && caught.code, line).toBe('ALLOWED_SIGNERS_INVALID');
      expect(isAppError(caught) && caught.message, line).toMatch(/^allowed_signers line 2: /);
      expect(isAppError(caught) && caught.message, line).toMatch(problem);
    }
  });
});

describe('matchPatternList (OpenSSH PATTERNS)', () => {
  it('matches globs, lists and negations as match.c does', () => {
    expect(matchPatternList('tech@example.com', '*')).toBe('match');
    expect(matchPatternList('tech@example.com', 't?ch@*.com')).toBe('match');
    expect(matchPatternList('tech@example.com', '*@other.com')).toBe('no-match');
    expect(matchPatternList('tech@example.com', '*,!tech@*')).toBe('negated');
    expect(matchPatternList('tech@example.com', '!bob@*')).toBe('no-match');
    expect(matchPatternList('tech@example.com', 'tech@example.com,')).toBe('match');
    expect(matchPatternList('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', '*a*a*a*a*a*a*a*a*a*a*a*a*c')).toBe('no-match');
  });
});
