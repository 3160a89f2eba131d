import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parsePlan, type Plan } from '../../../shared/plan';
import { INITIAL_RUN_STATE, type OpenQuestion, type RunState } from '../../../shared/run';
import { currentHostError } from '../../../renderer/screens/overview/hostFacts';
import { changedKeyHosts, FINGERPRINT_PATTERN, hostKeyQuestions, isProvided, neededValues } from '../../../renderer/screens/connect/planNeeds';

function planWith(change: (doc: Record<string, unknown>) => void): Plan {
  const doc = parse(readFileSync('resources/plans/first-plan.yaml', 'utf8')) as Record<string, unknown>;
  change(doc);
  const parsed = parsePlan(stringify(doc), { fileName: 'plan.yaml' });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.plan;
}

describe('what the plan needs on site', () => {
  const plan = planWith((doc) => {
    doc['variables'] = { dbPassword: { secret: true, prompt: 'The database password' }, port: { value: '8080' }, release: { description: 'Release to install' } };
  });

  it('asks for variables without a value (secrets masked) and a sudo password for each host of a sudo step', () => {
    expect(neededValues(plan)).toEqual([
      { name: 'dbPassword', kind: 'variable', secret: true, prompt: 'The database password', host: undefined },
      { name: 'release', kind: 'variable', secret: false, prompt: 'Release to install', host: undefined },
      { name: 'sudo@web1', kind: 'sudo', secret: true, prompt: undefined, host: 'web1' },
    ]);
  });

  it('counts a value as given by its name, and a plain sudo password for every host', () => {
    const [db, , sudo] = neededValues(plan);
    const state = (names: string[]): Pick<RunState, 'secretsProvided'> => ({ secretsProvided: names });
    expect(isProvided(state(['dbPassword']), db!)).toBe(true);
    expect(isProvided(state([]), db!)).toBe(false);
    expect(isProvided(state(['sudo']), sudo!)).toBe(true);
    expect(isProvided(state(['sudo@web1']), sudo!)).toBe(true);
    expect(isProvided(state(['sudo']), db!)).toBe(false);
  });
});

describe('host keys', () => {
  const plan = planWith((doc) => {
    const hosts = doc['hosts'] as Array<Record<string, unknown>>;
    delete hosts[1]!['hostKeys'];
  });
  const ask = (host: string, seq: number): OpenQuestion => ({
    kind: 'host-key',
    host,
    keyType: 'ssh-ed25519',
    fingerprint: `SHA256:${'A'.repeat(43)}`,
    publicKey: 'ssh-ed25519 AAAA',
    id: `q${seq}`,
    seq,
    timeUtc: '2026-12-05T21:00:00Z',
  });

  it('shows each open host-key question with what the plan pins (nothing for an unpinned host)', () => {
    const manual: OpenQuestion = { kind: 'manual', stepId: 'look', host: 'web1', attempt: 1, instructions: 'x', id: 'q9', seq: 9, timeUtc: '' };
    const questions = hostKeyQuestions(plan, { questions: [ask('web1', 4), manual, ask('jump1', 5)] });
    expect(questions.map((q) => [q.host, q.expected.map((k) => k.fingerprint)])).toEqual([
      ['web1', []],
      ['jump1', ['SHA256:b1eujkaMk1TjyehOxP7cdccC3jvj0gRQf6VTmuHuHpI']],
    ]);
  });

  it('offers the override only for a changed pinned key that is not overridden yet', () => {
    const hosts: RunState['hosts'] = {
      web1: { host: 'web1', acceptedKeys: [], rejectedKeys: [], lastError: { code: 'SSH_HOST_KEY_MISMATCH', message: 'changed', seq: 3 } },
      jump1: { host: 'jump1', acceptedKeys: [], rejectedKeys: [], lastError: { code: 'SSH_HOST_KEY_MISMATCH', message: 'changed', seq: 3 }, keyOverride: { fingerprint: 'SHA256:x', reason: 'r', seq: 4 } },
      db1: { host: 'db1', acceptedKeys: [], rejectedKeys: [], lastError: { code: 'SSH_AUTH_FAILED', message: 'no', seq: 3 } },
    };
    expect(changedKeyHosts({ ...INITIAL_RUN_STATE, hosts })).toEqual([{ host: 'web1', message: 'changed' }]);
  });

  it('forgets a failure once the host connected after it, and offers the override again when it did not match', () => {
    const mismatch = { code: 'SSH_HOST_KEY_MISMATCH', message: 'changed', seq: 5 };
    const hosts: RunState['hosts'] = {
      web1: { host: 'web1', acceptedKeys: [], rejectedKeys: [], lastError: mismatch, connected: { keyType: 'ssh-ed25519', fingerprint: 'SHA256:x', hostKeyVerdict: 'override', seq: 7 } },
      app1: { host: 'app1', acceptedKeys: [], rejectedKeys: [], lastError: mismatch, keyOverride: { fingerprint: 'SHA256:y', reason: 'reinstalled', seq: 4 } },
    };
    expect(changedKeyHosts({ ...INITIAL_RUN_STATE, hosts })).toEqual([{ host: 'app1', message: 'changed' }]);
    expect(currentHostError(hosts['web1']!)).toBeUndefined();
    expect(currentHostError(hosts['app1']!)).toEqual(mismatch);
  });

  it('takes a fingerprint only as ssh-keygen -l prints it', () => {
    expect(FINGERPRINT_PATTERN.test('SHA256:b1eujkaMk1TjyehOxP7cdccC3jvj0gRQf6VTmuHuHpI')).toBe(true);
    expect(FINGERPRINT_PATTERN.test('b1eujkaMk1TjyehOxP7cdccC3jvj0gRQf6VTmuHuHpI')).toBe(false);
    expect(FINGERPRINT_PATTERN.test('SHA256:b1eujkaMk1TjyehOxP7cdccC3jvj0gRQf6VTmuHuHpI=')).toBe(false);
  });
});
