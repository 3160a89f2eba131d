import { parseVersionConstraint } from '../../../shared/plan';
import { shellQuote } from '../runner/substituteVariables';
import { protocolCheck } from './checkModule';
import type { CheckFacts } from './checkScript';
import type { CheckOf, CheckVerdict } from './types';
import { cannotCheck, fail, pass } from './verdicts';
import { meetsRequirements, type VersionOrdering } from './versionCompare';

// `package`: whether a package is installed, and at which version, from the host's own package
// database. dpkg-query and rpm print fields in a format we give them (tab-separated), so neither
// the locale nor column widths matter; versions are compared the way that manager orders them.

type PackageCheck = CheckOf<'package'>;

function script(check: PackageCheck): string {
  const name = shellQuote(check.name);
  const auto = check.manager === 'auto';
  return [
    `manager=${check.manager}`,
    ...(auto
      ? [
          'if fr_has dpkg-query && [ -d /var/lib/dpkg ]; then manager=dpkg',
          'elif fr_has rpm; then manager=rpm',
          'else fr_cannot missing "dpkg-query or rpm"; fi',
        ]
      : []),
    'fr_say manager "$manager"',
    'if [ "$manager" = dpkg ]; then',
    '  fr_has dpkg-query || fr_cannot missing dpkg-query',
    `  out=$(dpkg-query -W --showformat='\${Package}\\t\${Status}\\t\${Version}\\t\${Architecture}\\n' -- ${name} 2>&1) && rc=0 || rc=$?`,
    `  case $rc:$out in 0:*) ;; 1:*'no packages found'*) out= ;; *) fr_cannot failed "$out" ;; esac`,
    `  [ -n "$out" ] && printf '%s\\n' "$out" | sed 's/^/dpkg=/'`,
    'else',
    '  fr_has rpm || fr_cannot missing rpm',
    `  out=$(rpm -q --qf '%{NAME}\\t%|EPOCH?{%{EPOCH}}:{}|\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n' ${name} 2>&1) && rc=0 || rc=$?`,
    `  case $rc:$out in 0:*) ;; 1:*'is not installed'*) out= ;; *) fr_cannot failed "$out" ;; esac`,
    `  [ -n "$out" ] && printf '%s\\n' "$out" | sed 's/^/rpm=/'`,
    'fi',
    'fr_say done yes',
  ].join('\n');
}

const subject = (check: PackageCheck): string => `package ${check.name}`;

function expected(check: PackageCheck): string {
  if (!check.installed) return 'not installed';
  return check.version === undefined ? 'installed' : `installed, version ${check.version}`;
}

interface Installed {
  version: string;
  arch: string;
  /** dpkg's status word when it is not plainly installed ('half-configured', …). */
  state: 'installed' | string;
}

/** dpkg status words that count as installed (triggers pending still leaves it configured). */
const DPKG_INSTALLED = new Set(['installed', 'triggers-pending', 'triggers-awaited']);

function readInstances(check: PackageCheck, facts: CheckFacts, manager: VersionOrdering): Installed[] {
  if (manager === 'dpkg') {
    return facts.all('dpkg').flatMap((line): Installed[] => {
      const [pkg, status = '', version = '', arch = ''] = line.split('\t');
      if (pkg !== check.name && !pkg?.startsWith(`${check.name}:`)) return [];
      const word = status.trim().split(/\s+/).at(-1) ?? '';
      if (word === 'not-installed' || word === 'config-files') return [];
      return [{ version, arch, state: DPKG_INSTALLED.has(word) ? 'installed' : word }];
    });
  }
  return facts.all('rpm').flatMap((line): Installed[] => {
    const [pkg, epoch = '', version = '', release = '', arch = ''] = line.split('\t');
    if (pkg !== check.name) return [];
    return [{ version: `${epoch === '' ? '' : `${epoch}:`}${version}-${release}`, arch, state: 'installed' }];
  });
}

function judge(check: PackageCheck, facts: CheckFacts): CheckVerdict | undefined {
  const manager = facts.get('manager');
  if ((manager !== 'dpkg' && manager !== 'rpm') || facts.get('done') !== 'yes') return undefined;
  const want = expected(check);
  const instances = readInstances(check, facts, manager);
  const installed = instances.filter((i) => i.state === 'installed');
  const broken = instances.filter((i) => i.state !== 'installed');
  const list = (items: Installed[]): string => items.map((i) => `${i.version}${i.arch === '' ? '' : ` (${i.arch})`}${i.state === 'installed' ? '' : ` ${i.state}`}`).join(', ');
  const found = installed.length > 0 ? `installed: ${list(installed)}` : broken.length > 0 ? `not fully installed: ${list(broken)}` : 'not installed';

  if (!check.installed) {
    if (instances.length === 0) return pass(want, found, `${subject(check)} not installed, as expected`);
    return fail(want, found, `${subject(check)}: expected not installed, found ${found}`);
  }
  if (installed.length === 0) return fail(want, found, `${subject(check)}: expected ${want}, found ${found}`);
  if (check.version === undefined) return pass(want, found, `${subject(check)} ${found}`);

  const requirements = parseVersionConstraint(check.version);
  const verdicts = installed.map((i) => meetsRequirements(manager, i.version, requirements));
  if (verdicts.some((v) => v === true)) return pass(want, found, `${subject(check)} ${found} (${check.version})`);
  if (verdicts.some((v) => v === undefined)) {
    return cannotCheck(want, `cannot compare ${list(installed)} with ${check.version} in ${manager} ordering`);
  }
  return fail(want, found, `${subject(check)}: expected version ${check.version}, found ${list(installed)}`);
}

export const packageCheck = protocolCheck<'package'>({ expected, script, judge });
