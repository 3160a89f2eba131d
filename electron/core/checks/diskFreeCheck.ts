import { parseByteSize } from '../../../shared/plan';
import { shellQuote } from '../runner/substituteVariables';
import { protocolCheck } from './checkModule';
import type { CheckFacts } from './checkScript';
import { formatSizeBeside, unitOf, writtenSize } from './sizes';
import type { CheckOf, CheckVerdict } from './types';
import { fail, pass } from './verdicts';

// `disk-free`: free space on the file system that holds a path, from `df -Pk` (POSIX output: one
// line per file system, 1024-byte blocks, whatever the locale). A path that does not exist yet
// (/opt/shop before the deployment creates it) is measured on its nearest existing parent, which
// is where its files will land. Free means available to unprivileged users (df's Available, root's
// reserve excluded); the percentage is Available / (Used + Available), as df's Capacity column.

type DiskFreeCheck = CheckOf<'disk-free'>;

function script(check: DiskFreeCheck): string {
  return [
    `p=${shellQuote(check.path)}`,
    'd=$p',
    'while [ ! -e "$d" ] && [ "$d" != / ]; do d=$(dirname -- "$d"); done',
    '[ "$d" = "$p" ] || fr_say measured "$d"',
    'fr_has df || fr_cannot missing df',
    'out=$(df -P -k -- "$d" 2>&1) || fr_cannot failed "$out"',
    `printf '%s\\n' "$out" | sed -n '2,$s/^/df=/p'`,
  ].join('\n');
}

function expected(check: DiskFreeCheck): string {
  const parts: string[] = [];
  if (check.minFree !== undefined) parts.push(`≥ ${writtenSize(check.minFree)}`);
  if (check.minPercent !== undefined) parts.push(`≥ ${check.minPercent}%`);
  return `${parts.join(' and ')} free on ${check.path}`;
}

export interface DfLine {
  usedKiB: number;
  availableKiB: number;
  mountPoint: string;
}

/** A `df -P` data line; the file system name and the mount point may hold spaces. */
export function parseDfLine(line: string): DfLine | undefined {
  const fields = line.trim().split(/\s+/);
  for (let i = 1; i + 4 < fields.length + 1; i++) {
    const [total, used, available, capacity] = fields.slice(i, i + 4);
    if ([total, used, available].every((f) => f !== undefined && /^\d+$/.test(f)) && capacity !== undefined && /^(\d+%|-)$/.test(capacity)) {
      return { usedKiB: Number(used), availableKiB: Number(available), mountPoint: fields.slice(i + 4).join(' ') };
    }
  }
  return undefined;
}

function judge(check: DiskFreeCheck, facts: CheckFacts): CheckVerdict | undefined {
  const df = facts.all('df').map(parseDfLine).find((line) => line !== undefined);
  if (df === undefined) return undefined;
  const want = expected(check);
  const freeBytes = df.availableKiB * 1024;
  const percent = df.usedKiB + df.availableKiB === 0 ? 0 : (df.availableKiB / (df.usedKiB + df.availableKiB)) * 100;
  const unit = check.minFree === undefined ? 'GiB' : unitOf(check.minFree);
  const freeText = formatSizeBeside(freeBytes, unit);
  const percentText = `${Math.floor(percent * 10) / 10}%`;
  const measured = facts.get('measured');
  const where = measured === undefined ? '' : ` (measured on ${measured}: ${check.path} does not exist yet)`;
  const found = `${freeText} free (${percentText})${where}`;

  const short: string[] = [];
  if (check.minFree !== undefined && freeBytes < parseByteSize(check.minFree)) short.push(freeText);
  if (check.minPercent !== undefined && percent < check.minPercent) short.push(percentText);
  if (short.length === 0) return pass(want, found, `${check.path}: ${found}, expected ${want.replace(/ free on .*$/, '')}`);
  return fail(want, found, `expected ${want}, found ${short.join(' and ')}${where}`);
}

export const diskFreeCheck = protocolCheck<'disk-free'>({ expected, script, judge });
