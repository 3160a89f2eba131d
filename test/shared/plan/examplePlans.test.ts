import Ajv from 'ajv';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parsePlan, selectHosts, stepOrder, type Plan } from '../../../shared/plan';

// The example plans are what newcomers copy and what the end-to-end tests run against the lab
// hosts: they must be valid, clean, true to the lab (addresses, pinned keys) and carry real
// artifacts with the right hashes.

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const EXAMPLES = ['resources/plans/first-plan.yaml', 'resources/plans/example-plan/plan.yaml'];
const SCHEMA_FILE = join(repo, 'resources/schema/plan.schema.json');
const KEYS = join(repo, 'test/hosts/keys');

function load(file: string): Plan {
  const result = parsePlan(readFileSync(join(repo, file)), { fileName: file });
  if (!result.ok) throw new Error(`${file} has problems:\n${result.problems.map((p) => p.message).join('\n')}`);
  return result.plan;
}

const KEY_FILE_SUFFIX: Readonly<Record<string, string>> = { 'ssh-ed25519': 'ed25519', 'ecdsa-sha2-nistp256': 'ecdsa', 'ssh-rsa': 'rsa' };

/** The SHA256 fingerprint of an OpenSSH .pub file, computed as ssh-keygen -l does. */
function fingerprintOf(pubFile: string): { type: string; fingerprint: string } {
  const [type, blob] = readFileSync(pubFile, 'utf8').trim().split(/\s+/);
  const digest = createHash('sha256').update(Buffer.from(blob!, 'base64')).digest('base64').replace(/=+$/, '');
  return { type: type!, fingerprint: `SHA256:${digest}` };
}

describe('example plans', () => {
  it.each(EXAMPLES)('%s parses with no problems and no warnings', (file) => {
    const result = parsePlan(readFileSync(join(repo, file)), { fileName: file });
    expect(result.ok ? result.warnings : result.problems).toEqual([]);
  });

  it.each(EXAMPLES)('%s is valid against the published JSON Schema (draft-07, checked by ajv)', (file) => {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    const document: unknown = parseYaml(readFileSync(join(repo, file), 'utf8'));
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it('would be flagged by the JSON Schema when broken', () => {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    const plan = parseYaml(readFileSync(join(repo, EXAMPLES[0]!), 'utf8')) as { steps: Record<string, unknown>[] };
    plan.steps[0]!['tilte'] = 'typo';
    expect(validate(plan)).toBe(false);
    delete plan.steps[0]!['tilte'];
    plan.steps[0]!['manual'] = { instructions: 'two actions' };
    expect(validate(plan)).toBe(false);
    delete plan.steps[0]!['manual'];
    expect(validate(plan)).toBe(true);
    // Grammar checked by code in Fieldrun is still a pattern for editors.
    plan.steps[0]!['timeout'] = '5 minutes';
    expect(validate(plan)).toBe(false);
  });

  it.each(EXAMPLES)('%s names the schema for editors with a path that exists', (file) => {
    const firstLine = readFileSync(join(repo, file), 'utf8').split('\n')[0]!;
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(firstLine);
    expect(match).not.toBeNull();
    expect(resolve(dirname(join(repo, file)), match![1]!)).toBe(SCHEMA_FILE);
  });

  it('carries every artifact it declares, with the declared SHA-256 and size', () => {
    const file = EXAMPLES[1]!;
    const plan = load(file);
    expect(plan.artifacts.length).toBeGreaterThanOrEqual(3);
    for (const artifact of plan.artifacts) {
      const path = join(repo, dirname(file), artifact.path);
      expect(existsSync(path), artifact.path).toBe(true);
      expect(createHash('sha256').update(readFileSync(path)).digest('hex'), artifact.path).toBe(artifact.sha256);
      if (artifact.size !== undefined) expect(statSync(path).size, artifact.path).toBe(artifact.size);
    }
  });

  it('matches the test lab: jump1 direct, the others only through it, app1 unpinned', () => {
    const plan = load(EXAMPLES[1]!);
    const hosts = Object.fromEntries(plan.hosts.map((h) => [h.name, h]));
    expect(plan.hosts.map((h) => [h.name, h.address, h.jump ?? null, h.user, h.port])).toEqual([
      ['jump1', '198.18.0.10', null, 'fieldrun', 22],
      ['web1', '198.18.1.11', 'jump1', 'fieldrun', 22],
      ['web2', '198.18.1.12', 'jump1', 'fieldrun', 22],
      ['app1', '198.18.1.21', 'jump1', 'fieldrun', 22],
      ['db1', '198.18.1.31', 'jump1', 'fieldrun', 22],
    ]);
    expect(hosts['app1']!.hostKeys).toEqual([]);
  });

  it.each(EXAMPLES)("%s pins each host's real test key (fingerprint and type from its .pub file)", (file) => {
    const listed = readFileSync(join(KEYS, 'FINGERPRINTS.txt'), 'utf8');
    for (const host of load(file).hosts) {
      for (const pin of host.hostKeys) {
        const pubFile = join(KEYS, `${host.name}_${KEY_FILE_SUFFIX[pin.type]!}.pub`);
        expect(fingerprintOf(pubFile), `${host.name} ${pin.type}`).toEqual({ type: pin.type, fingerprint: pin.fingerprint });
        expect(listed).toContain(`${host.name}_${KEY_FILE_SUFFIX[pin.type]!}.pub ${pin.fingerprint}`);
      }
    }
  });

  it('shows every part of the format a newcomer needs to see', () => {
    const plan = load(EXAMPLES[1]!);
    const checkTypes = new Set(plan.baseline.map((c) => c.type));
    expect(checkTypes.size).toBeGreaterThanOrEqual(6);
    // A rolling step over the two web hosts.
    const rolling = plan.steps.find((s) => s.serial === 1);
    expect(rolling && selectHosts(plan, rolling.hosts)).toEqual(['web1', 'web2']);
    // Parallel branches: two steps neither of which waits for the other, even indirectly.
    const needsClosure = (id: string, seen = new Set<string>()): Set<string> => {
      for (const need of plan.steps.find((s) => s.id === id)?.needs ?? []) if (!seen.has(need)) needsClosure(need, seen.add(need));
      return seen;
    };
    const parallel = plan.steps.some((a) => plan.steps.some((b) => a.id !== b.id && !needsClosure(a.id).has(b.id) && !needsClosure(b.id).has(a.id) && a.needs.length > 0 && b.needs.length > 0));
    expect(parallel).toBe(true);
    expect(plan.steps.filter((s) => s.rollback !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(plan.steps.filter((s) => s.manual !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(plan.steps.some((s) => s.upload !== undefined)).toBe(true);
    expect(plan.steps.some((s) => s.rollback?.upload !== undefined)).toBe(true);
    expect(Object.values(plan.variables).some((v) => v.secret && v.value === undefined)).toBe(true);
    expect(plan.handover.signOff.map((s) => s.role)).toEqual(['technician', 'client-operations']);
    expect(plan.contacts.filter((c) => c.key).every((c) => c.backup !== undefined)).toBe(true);
  });

  it('orders the example steps so that each comes after what it needs', () => {
    const plan = load(EXAMPLES[1]!);
    const order = stepOrder(plan);
    expect(order).toHaveLength(plan.steps.length);
    for (const step of plan.steps) for (const need of step.needs) expect(order.indexOf(need)).toBeLessThan(order.indexOf(step.id));
  });
});
