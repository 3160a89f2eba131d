import { parseTimestamp, selectHosts, stepOrder } from '../../shared/plan';
import type { BaselineCheck, Plan, PlanStep } from '../../shared/plan';

export interface DescribeOptions {
  /** The laptop's IANA time zone: times are shown in site time and in this one. */
  readonly localTimeZone: string;
}

/** The plan as a technician reads it before leaving for the site: `fieldrun plan show`. */
export function describePlan(plan: Plan, options: DescribeOptions): string {
  const { metadata, outage } = plan;
  const lines: string[] = [];
  lines.push(`${metadata.title}`);
  lines.push(`  plan ${metadata.id} version ${metadata.version} — client ${metadata.client}, site ${metadata.site}`);
  lines.push('');
  lines.push('Outage window');
  const site = outage.timeZone;
  const times: Array<[string, string]> = [
    ['start', outage.start],
    ['point of no return', outage.pointOfNoReturn],
    ['end', outage.end],
  ];
  const width = Math.max(...times.map(([label]) => label.length));
  for (const [label, text] of times) {
    const at = parseTimestamp(text) ?? Number.NaN;
    lines.push(`  ${label.padEnd(width)}  ${formatIn(at, site)} site (${site})   ${formatIn(at, options.localTimeZone)} here (${options.localTimeZone})`);
  }
  lines.push('');

  lines.push(`Hosts (${plan.hosts.length})`);
  const byName = new Map(plan.hosts.map((h) => [h.name, h]));
  const nameWidth = Math.max(...plan.hosts.map((h) => h.name.length));
  for (const host of plan.hosts) {
    const route = jumpRoute(host.name, byName);
    const pins = host.hostKeys.length === 0 ? 'host key: confirmed on first connection' : `pinned: ${host.hostKeys.map((k) => `${k.type} ${k.fingerprint}`).join(', ')}`;
    const tags = host.tags.length === 0 ? '' : `  tags: ${host.tags.join(', ')}`;
    lines.push(`  ${host.name.padEnd(nameWidth)}  ${host.user}@${host.address}:${host.port}${route === '' ? '' : `  via ${route}`}${tags}`);
    lines.push(`  ${''.padEnd(nameWidth)}  ${pins}`);
  }
  lines.push('');

  if (plan.checklist.length > 0) {
    lines.push(`Rollout checklist (${plan.checklist.length})`);
    for (const item of plan.checklist) lines.push(`  [ ] ${item.text}${item.required ? '' : ' (optional)'}`);
    lines.push('');
  }

  lines.push(`Baseline checks (${plan.baseline.length})`);
  for (const check of plan.baseline) lines.push(`  ${check.id}  ${check.type}  ${describeCheck(check)}  on ${hostsOf(plan, check.hosts)}`);
  lines.push('');

  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  const order = stepOrder(plan);
  lines.push(`Steps in order (${order.length})`);
  order.forEach((id, index) => {
    const step = steps.get(id)!;
    const traits = [
      step.serial === undefined ? undefined : `${step.serial} host${step.serial === 1 ? '' : 's'} at a time`,
      step.sudo ? 'sudo' : undefined,
      step.idempotent ? 'idempotent' : undefined,
      step.rollback === undefined ? undefined : 'has rollback',
      step.verify === undefined ? undefined : 'has verify',
      step.estimate === undefined ? undefined : `~${step.estimate}`,
    ].filter((t) => t !== undefined);
    lines.push(`  ${String(index + 1).padStart(String(order.length).length)}. ${step.id} — ${step.title}`);
    lines.push(`      ${actionOf(step)} on ${hostsOf(plan, step.hosts)}${step.needs.length === 0 ? '' : `; after ${step.needs.join(', ')}`}${traits.length === 0 ? '' : `; ${traits.join(', ')}`}`);
  });
  if (plan.handover.items.length > 0 || plan.handover.signOff.length > 0) {
    lines.push('');
    lines.push('Handover');
    for (const item of plan.handover.items) lines.push(`  [ ] ${item.text}`);
    for (const signer of plan.handover.signOff) lines.push(`  sign-off: ${signer.title} (${signer.role})`);
  }
  return `${lines.join('\n')}\n`;
}

function formatIn(at: number, timeZone: string): string {
  if (Number.isNaN(at)) return '(invalid time)';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

function jumpRoute(name: string, hosts: Map<string, Plan['hosts'][number]>): string {
  const route: string[] = [];
  let next = hosts.get(name)?.jump;
  while (next !== undefined && !route.includes(next)) {
    route.unshift(next);
    next = hosts.get(next)?.jump;
  }
  return route.join(' → ');
}

function hostsOf(plan: Plan, selector: readonly string[] | undefined): string {
  const names = selector === undefined ? plan.hosts.map((h) => h.name) : selectHosts(plan, selector);
  return names.join(', ');
}

function actionOf(step: PlanStep): string {
  if (step.run !== undefined) return `run \`${oneLine(step.run)}\``;
  if (step.upload !== undefined) return `upload ${step.upload.artifact} to ${step.upload.to}`;
  return 'manual: the technician confirms';
}

function describeCheck(check: BaselineCheck): string {
  switch (check.type) {
    case 'command':
      return `\`${oneLine(check.run)}\``;
    case 'file':
      return check.path;
    case 'port':
      return `${check.port}/${check.protocol}`;
    case 'service':
    case 'package':
      return check.name;
    case 'process':
      return check.name ?? check.pattern ?? '';
    case 'http':
      return check.url;
    case 'disk-free':
      return check.path;
    default:
      return check.title ?? '';
  }
}

function oneLine(text: string): string {
  const first = text.trim().split('\n')[0] ?? '';
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}
