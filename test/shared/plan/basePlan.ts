// A small valid plan that the table of bad plans edits line by line. Line numbers matter: the
// table asserts where each problem is reported, so keep this text as it is (append if needed).
export const BASE_PLAN_LINES = [
  'apiVersion: fieldrun/v1', // 1
  'kind: InstallationPlan', // 2
  'metadata:', // 3
  '  id: demo', // 4
  "  version: '1.0'", // 5
  '  title: Demo plan', // 6
  '  client: Client', // 7
  '  site: Site', // 8
  'contacts:', // 9
  '  - id: ann', // 10
  '    name: Ann', // 11
  '    role: Ops', // 12
  "    phone: '+33 1 00 00 00 01'", // 13
  '    key: true', // 14
  '    backup: bob', // 15
  '  - id: bob', // 16
  '    name: Bob', // 17
  '    role: Ops', // 18
  "    phone: '+33 1 00 00 00 02'", // 19
  'outage:', // 20
  '  timeZone: Europe/Paris', // 21
  '  start: 2026-12-05T22:00:00+01:00', // 22
  '  end: 2026-12-06T02:00:00+01:00', // 23
  '  pointOfNoReturn: 2026-12-06T00:00:00+01:00', // 24
  'hosts:', // 25
  '  - name: jump1', // 26
  '    address: 198.18.0.10', // 27
  '    user: fieldrun', // 28
  '  - name: web1', // 29
  '    address: 198.18.1.11', // 30
  '    user: fieldrun', // 31
  '    jump: jump1', // 32
  '    tags: [web]', // 33
  '    hostKeys:', // 34
  '      - type: ssh-ed25519', // 35
  '        fingerprint: SHA256:CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt0', // 36
  'variables:', // 37
  '  dir:', // 38
  '    value: /srv/www', // 39
  '  token:', // 40
  '    secret: true', // 41
  'artifacts:', // 42
  '  - id: page', // 43
  '    path: artifacts/page.html', // 44
  '    sha256: b59a02cba41db6d9b8e9cd6233eeceb538654ac2643d84fcf6210eb2eece1ced', // 45
  'baseline:', // 46
  '  - id: disk', // 47
  '    type: disk-free', // 48
  '    path: /', // 49
  '    minFree: 1GiB', // 50
  'steps:', // 51
  '  - id: prepare', // 52
  '    title: Prepare', // 53
  '    hosts: [web]', // 54
  '    run: mkdir -p {{ dir }}', // 55
  '  - id: publish', // 56
  '    title: Publish', // 57
  '    hosts: [web1]', // 58
  '    needs: [prepare]', // 59
  '    upload:', // 60
  '      artifact: page', // 61
  '      to: /srv/www/page.html', // 62
  '  - id: check', // 63
  '    title: Check', // 64
  '    hosts: [web]', // 65
  '    needs: [publish]', // 66
  '    run: test -n {{ token }}', // 67
] as const;

export const BASE_PLAN = `${BASE_PLAN_LINES.join('\n')}\n`;

/** The base plan with 1-based lines replaced (a replacement may hold several lines or none). */
export function withLines(replacements: Readonly<Record<number, string | null>>, append: readonly string[] = []): string {
  const lines: string[] = [];
  BASE_PLAN_LINES.forEach((line, i) => {
    const replacement = replacements[i + 1];
    if (replacement === undefined) lines.push(line);
    else if (replacement !== null) lines.push(replacement);
  });
  return `${[...lines, ...append].join('\n')}\n`;
}
