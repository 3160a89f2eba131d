import { shellQuote } from '../runner/substituteVariables';
import { protocolCheck } from './checkModule';
import type { CheckFacts } from './checkScript';
import type { CheckOf, CheckVerdict } from './types';
import { fail, pass } from './verdicts';

// `service`: a systemd unit's active and enabled state. `systemctl show -p …` prints Key=Value
// lines meant for programs (systemctl(1): "intended to be used whenever computer-parsable output
// is required"), where `is-active`/`is-enabled` print one word that a missing unit and a broken
// bus both blur. Without systemd as init there is nothing to ask: that is a clean error, told
// apart from "inactive".

type ServiceCheck = CheckOf<'service'>;

function script(check: ServiceCheck): string {
  return [
    'fr_has systemctl || fr_cannot missing systemctl',
    // sd_booted(3): systemd is the running init exactly when /run/systemd/system exists.
    'if [ ! -d /run/systemd/system ]; then',
    '  init=$(cat /proc/1/comm 2>/dev/null) || init=unknown',
    '  fr_cannot unsupported "systemd is not running on this host (PID 1 is $init)"',
    'fi',
    `out=$(systemctl show --no-pager -p LoadState -p ActiveState -p SubState -p UnitFileState -- ${shellQuote(check.name)} 2>&1) || fr_cannot failed "$out"`,
    `printf '%s\\n' "$out" | sed 's/^/unit./'`,
  ].join('\n');
}

const subject = (check: ServiceCheck): string => `service ${check.name}`;

function expected(check: ServiceCheck): string {
  const parts = [check.active ? 'active' : 'inactive'];
  if (check.enabled !== undefined) parts.push(check.enabled ? 'enabled' : 'not enabled');
  return parts.join(' and ');
}

/** UnitFileState values for which `systemctl is-enabled` exits 0 (systemctl(1), table "is-enabled output"). */
const ENABLED_STATES = new Set(['enabled', 'enabled-runtime', 'alias', 'static', 'indirect', 'generated', 'transient']);
/** ActiveState values for which `systemctl is-active` exits 0. */
const ACTIVE_STATES = new Set(['active', 'reloading', 'refreshing']);

function judge(check: ServiceCheck, facts: CheckFacts): CheckVerdict | undefined {
  const load = facts.get('unit.LoadState');
  const active = facts.get('unit.ActiveState');
  if (load === undefined || active === undefined) return undefined;
  const sub = facts.get('unit.SubState') ?? '';
  const fileState = facts.get('unit.UnitFileState') ?? '';
  const want = expected(check);

  const isActive = ACTIVE_STATES.has(active);
  const activeText = sub !== '' && sub !== active ? `${active} (${sub})` : active;
  const found: string[] = [];
  const mismatches: Array<[string, string]> = [];
  if (load === 'not-found') found.push('no such unit');
  else if (load === 'masked') found.push('masked');
  else if (load !== 'loaded') found.push(`load state ${load}`);
  found.push(activeText);
  if (isActive !== check.active) mismatches.push([check.active ? 'active' : 'inactive', load === 'not-found' ? 'no such unit' : activeText]);
  if (check.enabled !== undefined) {
    const isEnabled = ENABLED_STATES.has(fileState);
    const enabledText = fileState === '' ? 'no unit file' : fileState;
    found.push(enabledText);
    if (isEnabled !== check.enabled) mismatches.push([check.enabled ? 'enabled' : 'not enabled', enabledText]);
  }
  const foundText = found.join(', ');
  if (mismatches.length === 0) return pass(want, foundText, `${subject(check)} ${want}`);
  return fail(want, foundText, `${subject(check)}: expected ${mismatches.map((m) => m[0]).join(' and ')}, found ${mismatches.map((m) => m[1]).join(' and ')}`);
}

export const serviceCheck = protocolCheck<'service'>({ expected, script, judge });
