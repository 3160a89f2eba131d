import { BASE_PLAN, withLines } from './basePlan';

// Each bad plan is the base plan with one mistake, and the one problem it must produce: the
// code, the path in the document and the line:column where a person finds it.
export interface BadPlanCase {
  readonly name: string;
  readonly input: string | Uint8Array;
  readonly expected: readonly { readonly code: string; readonly path: string; readonly at: string }[];
}

const bytes = (text: string, insertAt: number, ...inserted: number[]): Uint8Array => {
  const encoded = new TextEncoder().encode(text);
  return Uint8Array.from([...encoded.subarray(0, insertAt), ...inserted, ...encoded.subarray(insertAt)]);
};
const offsetOfLine = (line: number): number => BASE_PLAN.split('\n').slice(0, line - 1).join('\n').length + 1;

const one = (code: string, path: string, at: string) => [{ code, path, at }] as const;

export const BAD_PLANS: readonly BadPlanCase[] = [
  // the bytes
  { name: 'a NUL byte in a title', input: withLines({ 6: '  title: Demo\u0000plan' }), expected: one('CONTROL_CHARACTER', '', '6:14') },
  { name: 'invalid UTF-8 in a title', input: bytes(BASE_PLAN, offsetOfLine(6) + 13, 0xc3, 0x28), expected: one('NOT_UTF8', '', '6:14') },
  { name: 'an empty file', input: '# nothing but a comment\n', expected: one('EMPTY_PLAN', '', '1:1') },
  // the YAML
  { name: 'a tab used for indentation', input: withLines({ 53: '\ttitle: Prepare' }), expected: one('YAML_SYNTAX', '', '53:1') },
  { name: 'an unclosed list', input: withLines({ 33: '    tags: [web' }), expected: one('YAML_SYNTAX', '', '34:5') },
  { name: 'a key given twice', input: withLines({ 53: '    title: Prepare\n    title: Prepare again' }), expected: one('YAML_DUPLICATE_KEY', '', '54:5') },
  { name: 'a second YAML document', input: `${BASE_PLAN}---\napiVersion: fieldrun/v1\n`, expected: one('YAML_MULTIPLE_DOCUMENTS', '', '68:1') },
  { name: 'an unknown tag', input: withLines({ 39: '    value: !vault /srv/www' }), expected: one('YAML_TAG', '', '39:12') },
  { name: 'a mapping used as a key', input: withLines({ 7: '  ? [a, b]\n  : Client' }), expected: one('YAML_COMPLEX_KEY', 'metadata', '7:5') },
  { name: 'a __proto__ key', input: withLines({ 8: '  site: Site\n  __proto__: x' }), expected: one('RESERVED_KEY', 'metadata.__proto__', '9:3') },
  // the shape
  { name: 'a newer format version', input: withLines({ 1: 'apiVersion: fieldrun/v2' }), expected: one('API_VERSION_UNSUPPORTED', 'apiVersion', '1:13') },
  { name: 'the wrong kind', input: withLines({ 2: 'kind: Playbook' }), expected: one('SCHEMA_ENUM', 'kind', '2:7') },
  { name: 'metadata without a title', input: withLines({ 6: null }), expected: one('SCHEMA_REQUIRED', 'metadata.title', '4:3') },
  { name: 'a version written as a number', input: withLines({ 5: '  version: 1.10' }), expected: one('SCHEMA_TYPE', 'metadata.version', '5:12') },
  { name: 'a misspelt key', input: withLines({ 53: '    tilte: Prepare' }), expected: [{ code: 'SCHEMA_REQUIRED', path: 'steps[0].title', at: '52:5' }, { code: 'SCHEMA_UNKNOWN_KEY', path: 'steps[0].tilte', at: '53:5' }] },
  { name: 'hosts that are not a list', input: withLines({ 54: '    hosts: web' }), expected: one('SCHEMA_TYPE', 'steps[0].hosts', '54:12') },
  { name: 'a boolean written as yes', input: withLines({ 55: '    run: mkdir -p {{ dir }}\n    sudo: yes' }), expected: one('SCHEMA_TYPE', 'steps[0].sudo', '56:11') },
  { name: 'no hosts at all', input: withLines({ 25: 'hosts: []', 26: null, 27: null, 28: null, 29: null, 30: null, 31: null, 32: null, 33: null, 34: null, 35: null, 36: null }), expected: one('SCHEMA_RANGE', 'hosts', '25:8') },
  { name: 'a port out of range', input: withLines({ 31: '    user: fieldrun\n    port: 70000' }), expected: one('SCHEMA_RANGE', 'hosts[1].port', '32:11') },
  { name: 'a port in quotes', input: withLines({ 31: "    user: fieldrun\n    port: '22'" }), expected: one('SCHEMA_TYPE', 'hosts[1].port', '32:11') },
  { name: 'a fingerprint with padding', input: withLines({ 36: '        fingerprint: SHA256:CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt0=' }), expected: one('SCHEMA_FORMAT', 'hosts[1].hostKeys[0].fingerprint', '36:22') },
  { name: 'a host key type without its prefix', input: withLines({ 35: '      - type: ed25519' }), expected: one('SCHEMA_ENUM', 'hosts[1].hostKeys[0].type', '35:15') },
  { name: 'a misspelt time zone', input: withLines({ 21: '  timeZone: Europe/Pariss' }), expected: one('SCHEMA_FORMAT', 'outage.timeZone', '21:13') },
  { name: 'a time without offset', input: withLines({ 22: '  start: 2026-12-05T22:00:00' }), expected: one('SCHEMA_FORMAT', 'outage.start', '22:10') },
  { name: 'a duration in words', input: withLines({ 55: '    run: mkdir -p {{ dir }}\n    timeout: 5 minutes' }), expected: one('SCHEMA_FORMAT', 'steps[0].timeout', '56:14') },
  { name: 'an artifact path leaving the plan folder', input: withLines({ 44: '    path: ../secrets/page.html' }), expected: one('SCHEMA_FORMAT', 'artifacts[0].path', '44:11') },
  { name: 'an upper-case sha256', input: withLines({ 45: '    sha256: B59A02CBA41DB6D9B8E9CD6233EECEB538654AC2643D84FCF6210EB2EECE1CED' }), expected: one('SCHEMA_FORMAT', 'artifacts[0].sha256', '45:13') },
  { name: 'a check of an unknown type', input: withLines({ 48: '    type: disk-space' }), expected: one('SCHEMA_ENUM', 'baseline[0].type', '48:11') },
  { name: 'a check without a type', input: withLines({ 48: null }), expected: one('SCHEMA_REQUIRED', 'baseline[0].type', '47:5') },
  { name: 'a check missing a field its type needs', input: withLines({ 49: null }), expected: one('SCHEMA_REQUIRED', 'baseline[0].path', '47:5') },
  { name: 'a file check that both must not exist and has a mode', input: withLines({ 48: '    type: file', 50: "    exists: false\n    mode: '0644'" }), expected: one('SCHEMA_CONFLICT', 'baseline[0].mode', '51:5') },
  { name: 'an invalid regular expression', input: withLines({ 48: '    type: command', 49: '    run: cat /etc/hostname', 50: '    expect:\n      stdout:\n        matches: web[0-9' }), expected: one('SCHEMA_FORMAT', 'baseline[0].expect.stdout.matches', '52:18') },
  { name: 'a step without an action', input: withLines({ 55: null }), expected: one('SCHEMA_ONE_OF', 'steps[0]', '52:5') },
  { name: 'a step with two actions', input: withLines({ 67: '    run: test -n {{ token }}\n    manual:\n      instructions: Look.' }), expected: one('SCHEMA_ONE_OF', 'steps[2].manual', '68:5') },
  { name: 'an upload to a relative path', input: withLines({ 62: '      to: www/page.html' }), expected: one('SCHEMA_FORMAT', 'steps[1].upload.to', '62:11') },
  { name: 'a variable name with a hyphen', input: withLines({ 38: '  dir-name:' }), expected: [{ code: 'SCHEMA_FORMAT', path: 'variables["dir-name"]', at: '38:3' }, { code: 'VARIABLE_UNDECLARED', path: 'steps[0].run', at: '55:10' }] },
  { name: 'an environment name with a hyphen', input: withLines({ 55: '    run: mkdir -p {{ dir }}\n    env:\n      MY-VAR: x' }), expected: one('SCHEMA_FORMAT', 'steps[0].env["MY-VAR"]', '57:7') },
  // the meaning
  { name: 'a duplicate step id', input: withLines({ 63: '  - id: prepare' }), expected: one('DUPLICATE_ID', 'steps[2].id', '63:9') },
  { name: 'a duplicate host name', input: withLines({ 29: '  - name: jump1', 32: null, 58: '    hosts: [jump1]' }), expected: one('DUPLICATE_ID', 'hosts[1].name', '29:11') },
  { name: 'needs naming no step', input: withLines({ 66: '    needs: [publsh]' }), expected: one('NEEDS_UNKNOWN_STEP', 'steps[2].needs[0]', '66:13') },
  { name: 'needs in a cycle', input: withLines({ 55: '    run: mkdir -p {{ dir }}\n    needs: [check]' }), expected: one('NEEDS_CYCLE', 'steps[0].needs[0]', '56:13') },
  { name: 'a step that needs itself', input: withLines({ 66: '    needs: [publish, check]' }), expected: one('NEEDS_CYCLE', 'steps[2].needs[1]', '66:22') },
  { name: 'a host selector matching nothing', input: withLines({ 65: '    hosts: [webs]' }), expected: one('HOST_SELECTOR_EMPTY', 'steps[2].hosts[0]', '65:13') },
  { name: 'an upload of an undeclared artifact', input: withLines({ 61: '      artifact: pages' }), expected: one('ARTIFACT_UNDECLARED', 'steps[1].upload.artifact', '61:17') },
  { name: 'a rollback upload of an undeclared artifact', input: withLines({ 67: '    run: test -n {{ token }}\n    rollback:\n      upload: { artifact: old-page, to: /srv/www/page.html }' }), expected: one('ARTIFACT_UNDECLARED', 'steps[2].rollback.upload.artifact', '69:27') },
  { name: 'a jump host that does not exist', input: withLines({ 32: '    jump: jump2' }), expected: one('JUMP_UNKNOWN_HOST', 'hosts[1].jump', '32:11') },
  { name: 'jump hosts in a loop', input: withLines({ 28: '    user: fieldrun\n    jump: web1' }), expected: one('JUMP_LOOP', 'hosts[0].jump', '29:11') },
  { name: 'an outage that ends before it starts', input: withLines({ 23: '  end: 2026-12-05T21:00:00+01:00' }), expected: one('OUTAGE_ORDER', 'outage.end', '23:8') },
  { name: 'a point of no return after the window', input: withLines({ 24: '  pointOfNoReturn: 2026-12-06T03:00:00+01:00' }), expected: one('PONR_OUTSIDE_WINDOW', 'outage.pointOfNoReturn', '24:20') },
  { name: 'a command using an undeclared variable', input: withLines({ 55: '    run: mkdir -p {{ dirs }}' }), expected: one('VARIABLE_UNDECLARED', 'steps[0].run', '55:10') },
  { name: 'a secret with its value in the plan', input: withLines({ 41: '    secret: true\n    value: hunter2' }), expected: one('SECRET_HAS_VALUE', 'variables.token.value', '42:12') },
  { name: 'a backup contact that does not exist', input: withLines({ 15: '    backup: bobby' }), expected: one('CONTACT_UNKNOWN', 'contacts[0].backup', '15:13') },
  { name: 'a contact who is their own backup', input: withLines({ 15: '    backup: ann' }), expected: one('CONTACT_BACKUP_SELF', 'contacts[0].backup', '15:13') },
];
