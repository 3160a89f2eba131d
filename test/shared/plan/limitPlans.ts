// Plans built to sit exactly at a limit of PLAN_LIMITS (or one past it).

export interface LimitPlanSize {
  readonly hosts?: number;
  readonly steps?: number;
  readonly checks?: number;
}

const FINGERPRINT = 'SHA256:CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt0';

/** A realistic valid plan with the given numbers of hosts, steps and baseline checks. */
export function planOfSize({ hosts = 1, steps = 1, checks = 0 }: LimitPlanSize): string {
  const out: string[] = [
    'apiVersion: fieldrun/v1',
    'kind: InstallationPlan',
    'metadata: { id: big-plan, version: "1.0", title: A large plan, client: Client, site: Site }',
    'outage:',
    '  timeZone: Europe/Paris',
    '  start: 2026-12-05T22:00:00+01:00',
    '  end: 2026-12-06T06:00:00+01:00',
    '  pointOfNoReturn: 2026-12-06T04:00:00+01:00',
    'hosts:',
  ];
  for (let i = 0; i < hosts; i += 1) {
    out.push(
      `  - name: host-${i}`,
      `    address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      '    user: fieldrun',
      `    tags: [${i % 2 === 0 ? 'even' : 'odd'}, rack-${i % 40}]`,
      `    hostKeys: [{ type: ssh-ed25519, fingerprint: "${FINGERPRINT}" }]`,
    );
    if (i > 0) out.push('    jump: host-0');
  }
  if (checks > 0) out.push('baseline:');
  for (let i = 0; i < checks; i += 1) {
    const hostsLine = `    hosts: [${i % 2 === 0 ? 'even' : 'host-0'}]`;
    out.push(`  - id: check-${i}`, `    title: Check number ${i}`, '    type: disk-free', '    path: /opt', '    minFree: 2GiB', hostsLine);
  }
  out.push('steps:');
  for (let i = 0; i < steps; i += 1) {
    out.push(
      `  - id: step-${i}`,
      `    title: Step number ${i}`,
      `    hosts: [${i % 3 === 0 ? 'host-0' : 'even'}]`,
      ...(i > 0 ? [`    needs: [step-${i - 1}]`] : []),
      '    run: |',
      `      echo "step ${i}" >> /opt/fieldrun-limits.log`,
      '    timeout: 5m',
      '    idempotent: true',
    );
  }
  return `${out.join('\n')}\n`;
}

/** `text` followed by comment lines so that its UTF-8 size is exactly `bytes`. */
export function paddedTo(text: string, bytes: number): string {
  const size = new TextEncoder().encode(text).length;
  if (size > bytes) throw new Error(`the plan is already ${size} bytes`);
  let padding = '';
  const line = `# ${'padding '.repeat(9)}\n`;
  while (size + padding.length + line.length <= bytes) padding += line;
  const rest = bytes - size - padding.length;
  if (rest > 0) padding += rest === 1 ? '\n' : `#${' '.repeat(rest - 2)}\n`;
  return text + padding;
}
