import { protocolCheck } from './checkModule';
import type { CheckFacts } from './checkScript';
import type { CheckOf, CheckVerdict } from './types';
import { fail, pass } from './verdicts';

// `port`: whether something listens on a TCP port (or has a UDP port bound) on the host. `ss`
// (iproute2) is asked first; where it is missing, /proc/net/{tcp,udp}{,6} are read directly, so
// netstat is never needed. The judge reads the local address column itself: ss's column widths
// and netstat's language never matter.

type PortCheck = CheckOf<'port'>;

/** Socket states in /proc/net: TCP_LISTEN for tcp, TCP_CLOSE (an unconnected bound socket) for udp. */
const PROC_STATE = { tcp: '0A', udp: '07' } as const;

function script(check: PortCheck): string {
  const flag = check.protocol === 'tcp' ? '-t' : '-u';
  const hexPort = check.port.toString(16).toUpperCase().padStart(4, '0');
  const proc = `/proc/net/${check.protocol}`;
  return [
    'if fr_has ss; then',
    '  fr_say source ss',
    // -H (no header) is newer than some ss still in service; the judge skips a header line too.
    `  out=$(ss -H -l -n ${flag} 2>/dev/null) || out=$(ss -l -n ${flag} 2>&1) || fr_cannot failed "$out"`,
    `  printf '%s\\n' "$out" | sed 's/^/ss=/'`,
    `elif [ -r ${proc} ] || [ -r ${proc}6 ]; then`,
    '  fr_say source proc',
    `  awk '$4 == "${PROC_STATE[check.protocol]}" && substr($2, length($2) - 3) == "${hexPort}" { print "proc=" $2 }' ${proc} ${proc}6 2>/dev/null`,
    '  :',
    'else',
    `  fr_cannot missing "ss (and no ${proc} to read)"`,
    'fi',
  ].join('\n');
}

const subject = (check: PortCheck): string => `port ${check.port}/${check.protocol}`;

function expected(check: PortCheck): string {
  return `${subject(check)} ${check.listening ? 'listening' : 'not listening'}`;
}

/** '0100007F' -> '127.0.0.1'; 32 hex digits -> an IPv6 address (each 32-bit word in host order, little-endian here). */
export function decodeProcAddress(hex: string): string | undefined {
  const word = (w: string): string[] => (w.match(/../g) ?? []).reverse();
  if (/^[0-9A-F]{8}$/i.test(hex)) return word(hex).map((b) => parseInt(b, 16)).join('.');
  if (!/^[0-9A-F]{32}$/i.test(hex)) return undefined;
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap(word);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(parseInt(`${bytes[i]}${bytes[i + 1]}`, 16).toString(16));
  // Compress the longest run of two or more zero groups, as addresses are usually written.
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

/** Local addresses listening on the check's port. */
export function listeningAddresses(check: PortCheck, facts: CheckFacts): string[] | undefined {
  const source = facts.get('source');
  const found = new Set<string>();
  if (source === 'ss') {
    for (const line of facts.all('ss')) {
      const fields = line.trim().split(/\s+/);
      // State Recv-Q Send-Q Local:Port Peer:Port [Process]; the header line has no numeric queues.
      if (fields.length < 5 || !/^\d+$/.test(fields[1]!) || !/^\d+$/.test(fields[2]!)) continue;
      const local = fields[3]!;
      const colon = local.lastIndexOf(':');
      if (colon < 0 || local.slice(colon + 1) !== String(check.port)) continue;
      found.add(local.slice(0, colon).replace(/^\[(.*)\]$/, '$1'));
    }
    return [...found];
  }
  if (source === 'proc') {
    for (const entry of facts.all('proc')) {
      const [addressHex, portHex] = entry.split(':');
      if (portHex === undefined || parseInt(portHex, 16) !== check.port) continue;
      found.add(decodeProcAddress(addressHex ?? '') ?? addressHex ?? '?');
    }
    return [...found];
  }
  return undefined;
}

function judge(check: PortCheck, facts: CheckFacts): CheckVerdict | undefined {
  const addresses = listeningAddresses(check, facts);
  if (addresses === undefined) return undefined;
  const want = expected(check);
  const found = addresses.length === 0 ? 'nothing listening' : `listening on ${addresses.join(', ')}`;
  if (addresses.length > 0 === check.listening) {
    return pass(want, found, addresses.length > 0 ? `${subject(check)} listening (${addresses.join(', ')})` : `${subject(check)}: nothing listening, as expected`);
  }
  return fail(want, found, `${subject(check)}: expected ${check.listening ? 'listening' : 'nothing listening'}, found ${found}`);
}

export const portCheck = protocolCheck<'port'>({ expected, script, judge });
