import { parseVersionConstraint } from '../../../shared/plan';
import { protocolCheck } from './checkModule';
import type { CheckFacts } from './checkScript';
import type { CheckOf, CheckVerdict } from './types';
import { cannotCheck, fail, pass } from './verdicts';
import { meetsRequirements } from './versionCompare';

// `os`: the distribution and its version from os-release(5) (/etc/os-release, else
// /usr/lib/os-release). The distribution is compared with ID exactly (rocky is not rhel, even with
// ID_LIKE="rhel"; the found text names ID_LIKE so a person sees why); VERSION_ID is compared in
// dpkg ordering, which orders plain dotted numbers as people expect (22.04 < 24.04, 9.3 < 10).

type OsCheck = CheckOf<'os'>;

function script(): string {
  return [
    'f=/etc/os-release',
    '[ -r "$f" ] || f=/usr/lib/os-release',
    '[ -r "$f" ] || fr_cannot missing "/etc/os-release"',
    `sed 's/^/os./' "$f"`,
  ].join('\n');
}

function expected(check: OsCheck): string {
  return check.version === undefined ? check.distribution : `${check.distribution} ${check.version}`;
}

/** os-release(5) values: shell-like, optionally in double or single quotes with backslash escapes. */
export function unquoteOsRelease(value: string): string {
  const text = value.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1).replace(/\\([\\$"`])/g, '$1');
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1);
  return text;
}

function field(facts: CheckFacts, name: string): string | undefined {
  const value = facts.get(`os.${name}`);
  return value === undefined ? undefined : unquoteOsRelease(value);
}

function judge(check: OsCheck, facts: CheckFacts): CheckVerdict | undefined {
  const id = field(facts, 'ID');
  if (id === undefined) return undefined;
  const versionId = field(facts, 'VERSION_ID');
  const like = field(facts, 'ID_LIKE');
  const pretty = field(facts, 'PRETTY_NAME');
  const want = expected(check);
  const found = `${id}${versionId === undefined ? '' : ` ${versionId}`}${like === undefined ? '' : ` (like ${like})`}${pretty === undefined ? '' : `: ${pretty}`}`;
  const short = `${id}${versionId === undefined ? ' without VERSION_ID' : ` ${versionId}`}`;
  if (id !== check.distribution) return fail(want, found, `os: expected ${want}, found ${short}`);
  if (check.version !== undefined) {
    if (versionId === undefined) return fail(want, found, `os: expected ${want}, found ${short}`);
    const meets = meetsRequirements('dpkg', versionId, parseVersionConstraint(check.version));
    if (meets === undefined) return cannotCheck(want, `cannot compare VERSION_ID ${versionId} with ${check.version}`);
    if (!meets) return fail(want, found, `os: expected ${want}, found ${short}`);
  }
  return pass(want, found, `os: ${short}, expected ${want}`);
}

export const osCheck = protocolCheck<'os'>({ expected, script, judge });
