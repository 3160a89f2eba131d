import { shellQuote } from '../runner/substituteVariables';
import { protocolCheck } from './checkModule';
import type { CheckFacts } from './checkScript';
import { parseLsLong, parseStatLine, type FileFacts } from './fileFacts';
import type { CheckOf, CheckVerdict } from './types';
import { fail, pass, quoted } from './verdicts';

// `file`: existence, kind, mode, owner, group, SHA-256 and content of a path. Metadata comes from
// `stat -c` (GNU coreutils, busybox) and, where stat lacks -c, from `ls -ldn`/`ls -ld`; errors
// are told apart by stat's C-locale message. Links are followed unless the check asks for a
// symlink, because "/etc/localtime is a file" means its target.

type FileCheck = CheckOf<'file'>;

const KIND_WORDS: Record<FileFacts['kind'], string> = {
  file: 'a file',
  directory: 'a directory',
  symlink: 'a symbolic link',
  fifo: 'a FIFO',
  socket: 'a socket',
  'char-device': 'a character device',
  'block-device': 'a block device',
  unknown: 'something of unknown type',
};

const modeText = (mode: number): string => `mode ${mode.toString(8).padStart(4, '0')}`;
const sha = (hex: string): string => `sha256 ${hex.slice(0, 12)}…`;

function script(check: FileCheck): string {
  const follow = check.kind === 'symlink' ? '' : '-L';
  const lines = [
    `p=${shellQuote(check.path)}`,
    'unset err',
    'if fr_has stat && stat -c %f / >/dev/null 2>&1; then',
    `  if out=$(stat ${follow} -c '%f %u %g %U %G %s' -- "$p" 2>&1); then fr_say stat "$out"; else err=$out; fi`,
    'else',
    `  if out=$(ls -ldn ${follow} -- "$p" 2>&1); then fr_say lsn "$out"; fr_say ls "$(ls -ld ${follow} -- "$p" 2>/dev/null)"; else err=$out; fi`,
    'fi',
    'if [ -n "${err+x}" ]; then',
    '  case $err in',
    `    *'No such file'* | *'Not a directory'*)`,
    '      if [ -L "$p" ]; then fr_say dangling yes; fi',
    '      fr_say exists no; exit 0 ;;',
    `    *'Permission denied'*) fr_cannot denied "$p" ;;`,
    '    *) fr_cannot failed "$err" ;;',
    '  esac',
    'fi',
    'fr_say exists yes',
  ];
  if (check.sha256 !== undefined || check.contains !== undefined) {
    lines.push('if [ -f "$p" ]; then', '  [ -r "$p" ] || fr_cannot denied "cannot read $p"');
    if (check.sha256 !== undefined) {
      lines.push(
        '  if fr_has sha256sum; then s=$(sha256sum < "$p")',
        '  elif fr_has shasum; then s=$(shasum -a 256 < "$p")',
        '  elif fr_has openssl; then s=$(openssl dgst -sha256 -r < "$p")',
        '  else fr_cannot missing "sha256sum (or shasum, openssl)"; fi || fr_cannot failed "cannot hash $p"',
        '  fr_say sha256 "${s%% *}"',
      );
    }
    if (check.contains !== undefined) {
      lines.push(
        `  fr_contains "$p" ${shellQuote(check.contains)}`,
        '  case $? in 0) fr_say contains yes ;; 1) fr_say contains no ;; *) fr_cannot failed "cannot search $p" ;; esac',
      );
    }
    lines.push('fi');
  }
  return lines.join('\n');
}

function expected(check: FileCheck): string {
  if (!check.exists) return `${check.path} absent`;
  const parts = [check.kind === undefined ? `${check.path} present` : `${check.path} present as ${KIND_WORDS[check.kind]}`];
  if (check.mode !== undefined) parts.push(modeText(parseInt(check.mode, 8)));
  if (check.owner !== undefined) parts.push(`owner ${check.owner}`);
  if (check.group !== undefined) parts.push(`group ${check.group}`);
  if (check.sha256 !== undefined) parts.push(sha(check.sha256));
  if (check.contains !== undefined) parts.push(`containing ${quoted(check.contains)}`);
  return parts.join(', ');
}

function readFacts(facts: CheckFacts): FileFacts | undefined {
  const stat = facts.get('stat');
  if (stat !== undefined) return parseStatLine(stat);
  const lsn = facts.get('lsn');
  if (lsn !== undefined) return parseLsLong(lsn, facts.get('ls'));
  return undefined;
}

const ownerMatches = (wanted: string, id: number, name: string): boolean => (/^\d+$/.test(wanted) ? Number(wanted) === id : wanted === name);

function judge(check: FileCheck, facts: CheckFacts): CheckVerdict | undefined {
  const want = expected(check);
  const exists = facts.get('exists');
  if (exists === 'no') {
    const found = facts.get('dangling') === 'yes' ? 'a symbolic link to nothing' : 'nothing there';
    if (!check.exists) return pass(want, found, `${check.path} absent as expected`);
    return fail(want, found, `${check.path}: expected to exist, found ${found}`);
  }
  const file = readFacts(facts);
  if (exists !== 'yes' || file === undefined) return undefined;
  if (!check.exists) return fail(want, KIND_WORDS[file.kind], `${check.path}: expected absent, found ${KIND_WORDS[file.kind]}`);

  const mismatches: Array<[string, string]> = [];
  const found: string[] = [KIND_WORDS[file.kind]];
  if (check.kind !== undefined && check.kind !== file.kind) mismatches.push([KIND_WORDS[check.kind], KIND_WORDS[file.kind]]);
  if (check.mode !== undefined) {
    found.push(modeText(file.mode));
    if (parseInt(check.mode, 8) !== file.mode) mismatches.push([modeText(parseInt(check.mode, 8)), modeText(file.mode)]);
  }
  if (check.owner !== undefined) {
    const owner = `owner ${file.user ?? file.uid}`;
    found.push(owner);
    if (!ownerMatches(check.owner, file.uid, file.user ?? '')) mismatches.push([`owner ${check.owner}`, owner]);
  }
  if (check.group !== undefined) {
    const group = `group ${file.group ?? file.gid}`;
    found.push(group);
    if (!ownerMatches(check.group, file.gid, file.group ?? '')) mismatches.push([`group ${check.group}`, group]);
  }
  const needsContent = check.sha256 !== undefined || check.contains !== undefined;
  if (needsContent && file.kind !== 'file') {
    if (check.kind === undefined) mismatches.push(['a file', KIND_WORDS[file.kind]]);
  } else {
    if (check.sha256 !== undefined) {
      const digest = facts.get('sha256');
      if (digest === undefined || !/^[0-9a-f]{64}$/.test(digest)) return undefined;
      found.push(sha(digest));
      if (digest !== check.sha256) mismatches.push([sha(check.sha256), sha(digest)]);
    }
    if (check.contains !== undefined) {
      const contains = facts.get('contains');
      if (contains !== 'yes' && contains !== 'no') return undefined;
      found.push(contains === 'yes' ? `containing ${quoted(check.contains)}` : `not containing ${quoted(check.contains)}`);
      if (contains === 'no') mismatches.push([`containing ${quoted(check.contains)}`, 'the text not in it']);
    }
  }
  const foundText = found.join(', ');
  if (mismatches.length === 0) return pass(want, foundText, `${check.path}: ${foundText}`);
  return fail(want, foundText, `${check.path}: expected ${mismatches.map((m) => m[0]).join(', ')}, found ${mismatches.map((m) => m[1]).join(', ')}`);
}

export const fileCheck = protocolCheck<'file'>({ expected, script, judge });
