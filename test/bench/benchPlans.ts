// Generated installation plans for the benchmarks, on directly reachable lab hosts with pinned
// keys: the baseline's 20 typed checks and the deployment's layered step graph. Each is written
// as a plan folder that Fieldrun's importer reads like any other plan. Not a benchmark itself.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BaselineCheckSchema, type BaselineCheck } from '../../shared/plan';
import type { TestLab } from '../hosts';

const EXAMPLE_PLAN = join(import.meta.dirname, '../../resources/plans/example-plan/plan.yaml');

export interface PlanParts {
  baseline: readonly BaselineCheck[];
  steps: ReadonlyArray<Record<string, unknown>>;
  title: string;
}

/** Writes plan.yaml (the example plan's metadata, contacts and outage; these hosts, checks and steps); returns its folder. */
export function writeBenchPlan(lab: TestLab, hosts: readonly string[], parts: PlanParts): string {
  const dir = mkdtempSync(join(tmpdir(), 'fieldrun-bench-plan-'));
  const doc = parse(readFileSync(EXAMPLE_PLAN, 'utf8')) as Record<string, unknown>;
  const metadata = doc['metadata'] as Record<string, unknown>;
  metadata['title'] = parts.title;
  metadata['id'] = `bench-${parts.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`.slice(0, 60);
  doc['hosts'] = hosts.map((name) => ({
    name,
    address: lab.host(name).address,
    port: lab.host(name).port,
    user: lab.user.name,
    hostKeys: lab.host(name).hostKeys.map((k) => ({ type: k.type, fingerprint: k.fingerprint })),
  }));
  doc['variables'] = {};
  doc['artifacts'] = [];
  doc['checklist'] = [{ id: 'ready', text: 'Ready.' }];
  doc['baseline'] = parts.baseline;
  doc['steps'] = parts.steps;
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

export const HTTP_PORT = 8080;

/**
 * 20 checks covering every typed kind the plan offers (command, file, port, service, package,
 * process, http, disk-free, memory, os), each meant to pass on a lab host, except `service`:
 * the lab's hosts run no systemd, so that check ends as "could not check" (error) there, as it
 * does in the peers' version.
 */
export function baselineChecks(): BaselineCheck[] {
  const checks: Array<Record<string, unknown>> = [
    { id: 'os-debian-12', type: 'os', distribution: 'debian', version: '>= 12' },
    { id: 'os-debian', type: 'os', distribution: 'debian' },
    { id: 'os-release-file', type: 'file', path: '/etc/os-release', kind: 'file' },
    { id: 'passwd-has-root', type: 'file', path: '/etc/passwd', contains: 'root:' },
    { id: 'ssh-listening', type: 'port', port: 22 },
    { id: 'discard-closed', type: 'port', port: 9, listening: false },
    { id: 'ssh-service', type: 'service', name: 'ssh' },
    { id: 'openssh-installed', type: 'package', name: 'openssh-server', version: '>= 1:8.4' },
    { id: 'coreutils-installed', type: 'package', name: 'coreutils' },
    { id: 'sshd-running', type: 'process', name: 'sshd' },
    { id: 'sshd-pattern', type: 'process', pattern: 'sshd', minCount: 1 },
    { id: 'http-status', type: 'http', url: `http://127.0.0.1:${HTTP_PORT}/` },
    { id: 'http-body', type: 'http', url: `http://127.0.0.1:${HTTP_PORT}/`, bodyContains: 'Directory listing' },
    { id: 'root-space', type: 'disk-free', path: '/', minFree: '100MiB' },
    { id: 'tmp-space', type: 'disk-free', path: '/tmp', minPercent: 1 },
    { id: 'memory-64m', type: 'memory', minAvailable: '64MiB' },
    { id: 'memory-1m', type: 'memory', minAvailable: '1MiB' },
    { id: 'login-user', type: 'command', run: 'id -un', expect: { stdout: { equals: 'fieldrun' } } },
    { id: 'opt-present', type: 'command', run: 'test -d /opt' },
    { id: 'cpus', type: 'command', run: 'nproc', expect: { number: { op: '>=', value: 1 } } },
  ];
  return checks.map((c) => BaselineCheckSchema.parse(c));
}

/**
 * The same checks as one Ansible task each, with the modules an Ansible user would reach for
 * (stat, wait_for, uri, command/shell with failed_when), judged on the controller like ours.
 * The service check cannot pass without systemd; `failed_when: false` keeps it a result there too.
 */
export function ansibleBaselinePlaybook(): string {
  const tasks: Array<Record<string, unknown>> = [
    { name: 'os-debian-12', command: 'cat /etc/os-release', register: 'r', changed_when: false, failed_when: "'ID=debian' not in r.stdout or (r.stdout | regex_search('VERSION_ID=\"?([0-9]+)', '\\\\1') | first | int) < 12" },
    { name: 'os-debian', command: 'cat /etc/os-release', register: 'r', changed_when: false, failed_when: "'ID=debian' not in r.stdout" },
    { name: 'os-release-file', stat: { path: '/etc/os-release', follow: true }, register: 'r', failed_when: 'not r.stat.exists or not r.stat.isreg' },
    { name: 'passwd-has-root', command: 'grep -q root: /etc/passwd', changed_when: false },
    { name: 'ssh-listening', wait_for: { port: 22, host: '127.0.0.1', timeout: 1 } },
    { name: 'discard-closed', wait_for: { port: 9, host: '127.0.0.1', state: 'stopped', timeout: 1 } },
    { name: 'ssh-service', command: 'systemctl is-active ssh', register: 'r', changed_when: false, failed_when: false },
    { name: 'openssh-installed', command: "dpkg-query -W -f=${Version} openssh-server", register: 'r', changed_when: false, failed_when: "r.rc != 0 or r.stdout is version('1:8.4', '<')" },
    { name: 'coreutils-installed', command: 'dpkg-query -W -f=${Status} coreutils', register: 'r', changed_when: false, failed_when: "'install ok installed' not in r.stdout" },
    { name: 'sshd-running', command: 'pgrep -x sshd', changed_when: false },
    { name: 'sshd-pattern', command: 'pgrep -f sshd', changed_when: false },
    { name: 'http-status', uri: { url: `http://127.0.0.1:${HTTP_PORT}/`, status_code: 200 } },
    { name: 'http-body', uri: { url: `http://127.0.0.1:${HTTP_PORT}/`, return_content: true }, register: 'r', failed_when: "'Directory listing' not in r.content" },
    { name: 'root-space', shell: "df -Pk / | awk 'NR==2 {print $4}'", register: 'r', changed_when: false, failed_when: 'r.stdout | int < 102400' },
    { name: 'tmp-space', shell: "df -Pk /tmp | awk 'NR==2 {print 100 - $5}'", register: 'r', changed_when: false, failed_when: 'r.stdout | int < 1' },
    { name: 'memory-64m', shell: "awk '/^MemAvailable:/ {print $2}' /proc/meminfo", register: 'r', changed_when: false, failed_when: 'r.stdout | int < 65536' },
    { name: 'memory-1m', shell: "awk '/^MemAvailable:/ {print $2}' /proc/meminfo", register: 'r', changed_when: false, failed_when: 'r.stdout | int < 1024' },
    { name: 'login-user', command: 'id -un', register: 'r', changed_when: false, failed_when: "r.stdout != 'fieldrun'" },
    { name: 'opt-present', command: 'test -d /opt', changed_when: false },
    { name: 'cpus', command: 'nproc', register: 'r', changed_when: false, failed_when: 'r.stdout | int < 1' },
  ];
  return stringify([{ hosts: 'all', gather_facts: false, tasks }]);
}

/** One quick check, for plans whose baseline is not what is measured. */
export function loginCheck(): BaselineCheck {
  return BaselineCheckSchema.parse({ id: 'login-user', type: 'command', run: 'id -un', expect: { stdout: { equals: 'fieldrun' } } });
}

/**
 * Each script as one `raw` task. Ansible parses a raw command for `k=v` words and Jinja before
 * running it (and the check scripts hold `{%` in rpm formats), so each script travels as an
 * `!unsafe` variable, which Ansible passes through untouched. JSON strings are valid YAML.
 */
export function ansibleRawPlaybook(tasks: ReadonlyArray<{ name: string; script: string }>): string {
  const lines = ['- hosts: all', '  gather_facts: false', '  tasks:'];
  tasks.forEach(({ name, script }, i) => {
    lines.push(`    - name: ${JSON.stringify(name)}`, `      raw: "{{ script${i} }}"`, '      changed_when: false', '      failed_when: false', '      vars:', `        script${i}: !unsafe ${JSON.stringify(script)}`);
  });
  return `${lines.join('\n')}\n`;
}
