import { parseByteSize } from '../../../shared/plan';
import { protocolCheck } from './checkModule';
import type { CheckFacts } from './checkScript';
import { formatSizeBeside, unitOf, writtenSize } from './sizes';
import type { CheckOf, CheckVerdict } from './types';
import { fail, pass } from './verdicts';

// `memory`: available memory as the kernel estimates it (MemAvailable in /proc/meminfo: free
// memory plus what can be reclaimed without swapping). Kernels before 3.14 lack the field; there
// the usual estimate MemFree + Buffers + Cached is used and the verdict says so.

type MemoryCheck = CheckOf<'memory'>;

function script(): string {
  return [
    '[ -r /proc/meminfo ] || fr_cannot unsupported "this host has no /proc/meminfo (not Linux?)"',
    `grep -E '^(MemTotal|MemFree|MemAvailable|Buffers|Cached):' /proc/meminfo | sed 's/^/meminfo=/'`,
  ].join('\n');
}

function expected(check: MemoryCheck): string {
  return `≥ ${writtenSize(check.minAvailable)} available memory`;
}

/** kB values (the kernel's kB are KiB) by field name. */
export function parseMeminfo(lines: string[]): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of lines) {
    const match = /^(\w+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (match) fields.set(match[1]!, Number(match[2]) * 1024);
  }
  return fields;
}

function judge(check: MemoryCheck, facts: CheckFacts): CheckVerdict | undefined {
  const fields = parseMeminfo(facts.all('meminfo'));
  let available = fields.get('MemAvailable');
  let estimated = false;
  if (available === undefined) {
    const free = fields.get('MemFree');
    if (free === undefined) return undefined;
    available = free + (fields.get('Buffers') ?? 0) + (fields.get('Cached') ?? 0);
    estimated = true;
  }
  const want = expected(check);
  const unit = unitOf(check.minAvailable);
  const total = fields.get('MemTotal');
  const found = `${formatSizeBeside(available, unit)} available${total === undefined ? '' : ` of ${formatSizeBeside(total, unit)}`}${estimated ? ' (estimated: no MemAvailable on this kernel)' : ''}`;
  if (available >= parseByteSize(check.minAvailable)) return pass(want, found, `memory: ${found}, expected ${want}`);
  return fail(want, found, `memory: expected ${want}, found ${formatSizeBeside(available, unit)}${estimated ? ' (estimated)' : ''}`);
}

export const memoryCheck = protocolCheck<'memory'>({ expected, script, judge });
