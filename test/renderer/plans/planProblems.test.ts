import { describe, expect, it } from 'vitest';
import { hashPrefix, problemLocation, problemsOf, signatureStatusOf, signatureTone, untrustedStatusOf } from '../../../renderer/screens/plans/planProblems';
import { runsOfPlan } from '../../../renderer/screens/plans/planRuns';

const problem = (line: number, column: number, path: string, file = 'plan.yaml') => ({
  code: 'SCHEMA_TYPE',
  severity: 'error' as const,
  file,
  line,
  column,
  path,
  found: 'a list of 1 item',
  expected: 'a version',
  message: `${path} is wrong`,
});

describe('plan problems as the Plans screen shows them', () => {
  it('names the place as file:line:column, like an editor', () => {
    expect(problemLocation({ file: 'plan.yaml', line: 11, column: 12 })).toBe('plan.yaml:11:12');
    expect(problemLocation({ file: 'plan.yaml', line: 4, column: 0 })).toBe('plan.yaml:4');
    expect(problemLocation({ file: 'plan.yaml.sig', line: 0, column: 0 })).toBe('plan.yaml.sig');
  });

  it('takes the problems of a PLAN_INVALID answer in reading order, and none from other details', () => {
    const details = { problems: [problem(64, 13, 'steps[1].needs[0]'), problem(11, 12, 'metadata.version'), problem(11, 3, 'metadata')] };
    expect(problemsOf(details).map((p) => problemLocation(p))).toEqual(['plan.yaml:11:3', 'plan.yaml:11:12', 'plan.yaml:64:13']);
    expect(problemsOf({ status: 'unsigned' })).toEqual([]);
    expect(problemsOf(undefined)).toEqual([]);
    expect(problemsOf({ problems: [{ line: 'x' }] })).toEqual([]);
  });

  it('knows a refusal that asks for an acknowledgement, and its signature status', () => {
    expect(untrustedStatusOf('PLAN_NOT_TRUSTED', { status: 'valid-untrusted' })).toBe('valid-untrusted');
    expect(untrustedStatusOf('PLAN_NOT_TRUSTED', { status: 'unsigned', signerFingerprint: 'SHA256:x' })).toBe('unsigned');
    expect(untrustedStatusOf('PLAN_INVALID', { status: 'unsigned' })).toBeUndefined();
  });

  it('offers no acknowledgement when the refusal does not say which status (the error is shown instead)', () => {
    expect(untrustedStatusOf('PLAN_NOT_TRUSTED', undefined)).toBeUndefined();
    expect(untrustedStatusOf('PLAN_NOT_TRUSTED', { status: 'bogus' })).toBeUndefined();
    // An invalid signature is PLAN_SIGNATURE_INVALID: never something to acknowledge.
    expect(untrustedStatusOf('PLAN_NOT_TRUSTED', { status: 'invalid' })).toBeUndefined();
    expect(untrustedStatusOf('PLAN_SIGNATURE_INVALID', { reason: 'bad' })).toBeUndefined();
  });

  it('shows only a trusted signature as good, and a hash by its first 12 digits', () => {
    expect(signatureTone('valid-trusted')).toBe('ok');
    expect(signatureTone('valid-untrusted')).toBe('warn');
    expect(signatureTone('unsigned')).toBe('warn');
    expect(signatureTone('invalid')).toBe('fail');
    expect(signatureStatusOf('valid-untrusted')).toBe('valid-untrusted');
    expect(signatureStatusOf('mystery')).toBeUndefined();
    expect(hashPrefix('0123456789abcdef'.repeat(4))).toBe('0123456789ab');
  });

  it("lists one plan's runs, newest first", () => {
    const runs = [
      { runId: 'r1', planHash: 'a', createdAt: '2026-01-01T10:00:00Z', label: null },
      { runId: 'r2', planHash: 'b', createdAt: '2026-01-02T10:00:00Z', label: 'other' },
      { runId: 'r3', planHash: 'a', createdAt: '2026-01-03T10:00:00Z', label: 'night' },
    ];
    expect(runsOfPlan(runs, 'a').map((r) => r.runId)).toEqual(['r3', 'r1']);
  });
});
