import { describe, expect, it } from 'vitest';
import {
  actionOf,
  findVariableRefs,
  formatPlanPath,
  formatPlanProblem,
  parseByteSize,
  parseDuration,
  parsePlan,
  parsePlanPath,
  parseTimestamp,
  parseVersionConstraint,
  selectHosts,
  stepOrder,
  tryParseDuration,
  type Plan,
} from '../../../shared/plan';
import { BASE_PLAN, withLines } from './basePlan';

function plan(text: string): Plan {
  const result = parsePlan(text, { fileName: 'plan.yaml' });
  if (!result.ok) throw new Error(result.problems.map(formatPlanProblem).join('\n'));
  return result.plan;
}

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['2d', 172_800_000],
    ['1m30s', 90_000],
    ['1h0m5s250ms', 3_605_250],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5', '5 m', '1.5h', '30s5m', 'm', '-5s', '5M', '5min'])('%j is not a duration', (text) => {
    expect(tryParseDuration(text)).toBeUndefined();
    expect(() => parseDuration(text)).toThrow(RangeError);
  });
});

describe('sizes, versions and times', () => {
  it('reads sizes in binary and decimal units', () => {
    expect(parseByteSize('20GiB')).toBe(20 * 1024 ** 3);
    expect(parseByteSize('512MiB')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('1.5GB')).toBe(1_500_000_000);
    expect(parseByteSize('100B')).toBe(100);
    expect(() => parseByteSize('20 GiB')).toThrow(RangeError);
    expect(() => parseByteSize('20G')).toThrow(RangeError);
  });

  it('reads version constraints', () => {
    expect(parseVersionConstraint('>= 1.2.3-1')).toEqual([{ op: '>=', version: '1.2.3-1' }]);
    expect(parseVersionConstraint('>= 12, < 14')).toEqual([{ op: '>=', version: '12' }, { op: '<', version: '14' }]);
    expect(parseVersionConstraint('1:9.2p1-2+deb12u3')).toEqual([{ op: '=', version: '1:9.2p1-2+deb12u3' }]);
    expect(parseVersionConstraint('== 2.0~rc1')).toEqual([{ op: '=', version: '2.0~rc1' }]);
    expect(() => parseVersionConstraint('>= ')).toThrow(RangeError);
    expect(() => parseVersionConstraint('about 12')).toThrow(RangeError);
  });

  it('reads RFC 3339 times only with an offset, and only real dates', () => {
    expect(parseTimestamp('2026-12-05T22:00:00+01:00')).toBe(Date.UTC(2026, 11, 5, 21));
    expect(parseTimestamp('2026-12-05T21:00:00Z')).toBe(Date.UTC(2026, 11, 5, 21));
    expect(parseTimestamp('2026-12-05T21:00:00.250-02:30')).toBe(Date.UTC(2026, 11, 5, 23, 30, 0, 250));
    for (const text of ['2026-12-05T22:00:00', '2026-12-05 22:00:00+01:00', '2026-02-30T10:00:00Z', '2026-12-05T24:00:00Z', '2026-12-05T22:00:00+1:00']) {
      expect(parseTimestamp(text), text).toBeUndefined();
    }
  });
});

describe('variable references', () => {
  it('finds {{ name }} and {{ raw name }} with their offsets', () => {
    const text = 'cp {{ src }} /opt/{{raw  dest }} && echo {{  src}}';
    expect(findVariableRefs(text)).toEqual([
      { name: 'src', raw: false, start: 3, end: 12 },
      { name: 'dest', raw: true, start: 18, end: 32 },
      { name: 'src', raw: false, start: 41, end: 50 },
    ]);
    for (const ref of findVariableRefs(text)) expect(text.slice(ref.start, ref.end)).toMatch(/^\{\{.*\}\}$/);
  });

  it('leaves other braces alone, such as Go templates', () => {
    expect(findVariableRefs("docker inspect -f '{{ .State.Running }}' shop && echo {{ 1x }} {{}}")).toEqual([]);
  });
});

describe('a validated plan', () => {
  it('has its defaults filled in', () => {
    const base = plan(BASE_PLAN);
    expect(base.hosts[0]).toMatchObject({ port: 22, hostKeys: [], tags: [] });
    expect(base.steps[0]).toMatchObject({ needs: [], sudo: false, tty: false, idempotent: false, env: {} });
    expect(base.checklist).toEqual([]);
    expect(base.handover).toEqual({ items: [], signOff: [] });
    expect(base.variables['token']).toEqual({ secret: true });
  });

  it('shares no default object with another parse of the same text', () => {
    const first = plan(BASE_PLAN);
    first.handover.items.push({ id: 'x', text: 'x', required: true });
    first.hosts[0]!.tags.push('changed');
    first.steps[0]!.env['CHANGED'] = 'yes';
    const second = plan(BASE_PLAN);
    expect(second.handover.items).toEqual([]);
    expect(second.hosts[0]!.tags).toEqual([]);
    expect(second.steps[0]!.env).toEqual({});
  });

  it('selects hosts by name and by tag, in plan order, each once', () => {
    const text = withLines({ 28: '    user: fieldrun\n    tags: [bastion, web]' });
    const p = plan(text);
    expect(selectHosts(p, ['web'])).toEqual(['jump1', 'web1']);
    expect(selectHosts(p, ['web1', 'jump1'])).toEqual(['jump1', 'web1']);
    expect(selectHosts(p, ['bastion'])).toEqual(['jump1']);
    expect(selectHosts(p, ['nothing'])).toEqual([]);
  });

  it('orders steps after what they need, and in plan order otherwise', () => {
    const text = `${BASE_PLAN}${['  - id: early', '    title: Independent', '    hosts: [web1]', '    run: "true"', '  - id: late', '    title: After all', '    hosts: [web1]', '    needs: [check, early]', '    run: "true"'].join('\n')}\n`;
    expect(stepOrder(plan(text))).toEqual(['prepare', 'publish', 'check', 'early', 'late']);
    const reversed = withLines({ 59: '    needs: [prepare, check]', 66: null });
    expect(stepOrder(plan(reversed))).toEqual(['prepare', 'check', 'publish']);
  });

  it('locates any path for problems found later, such as an artifact that fails its hash at import', () => {
    const result = parsePlan(BASE_PLAN, { fileName: 'plan.yaml' });
    expect(result.ok && result.locate('artifacts[0].sha256')).toEqual({ line: 45, column: 13 });
    expect(result.ok && result.locate(['steps', 1, 'upload', 'artifact'])).toEqual({ line: 61, column: 17 });
    expect(result.ok && result.locate('artifacts[0].size')).toEqual({ line: 43, column: 5 });
  });
});

describe('warnings', () => {
  it.each([
    ['a serial larger than the hosts selected', withLines({ 67: '    run: test -n {{ token }}\n    serial: 3' }), 'SERIAL_EXCEEDS_HOSTS', 'steps[2].serial', '68:13'],
    ['a variable nobody uses', withLines({ 39: '    value: /srv/www\n  unused:\n    value: x' }), 'VARIABLE_UNUSED', 'variables.unused', '41:5'],
    ['a key person without backup', withLines({ 15: null }), 'CONTACT_NO_BACKUP', 'contacts[0].key', '14:10'],
    ['a summer offset in winter', withLines({ 22: '  start: 2026-12-05T23:00:00+02:00' }), 'OUTAGE_OFFSET_MISMATCH', 'outage.start', '22:10'],
  ])('flag %s without refusing the plan', (_what, text, code, path, at) => {
    const result = parsePlan(text, { fileName: 'plan.yaml' });
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.path, `${w.line}:${w.column}`, w.severity])).toEqual([[code, path, at, 'warning']]);
    expect(formatPlanProblem(result.warnings[0]!)).toMatch(new RegExp(`^plan\\.yaml:${at} ${path.replace(/[[\].]/g, '\\$&')} warning ${code}: `));
  });
});

describe('problem formatting and paths', () => {
  it('prints a problem the way compilers do', () => {
    expect(
      formatPlanProblem({ code: 'NEEDS_UNKNOWN_STEP', severity: 'error', file: 'plan.yaml', line: 12, column: 7, path: 'steps[3].needs[0]', found: "'x'", expected: 'a step id', message: 'No step has the id x.' }),
    ).toBe('plan.yaml:12:7 steps[3].needs[0] NEEDS_UNKNOWN_STEP: No step has the id x.');
    expect(
      formatPlanProblem({ code: 'PLAN_TOO_LARGE', severity: 'error', file: 'big.yaml', line: 1, column: 1, path: '', found: '', expected: '', message: 'Too large.' }),
    ).toBe('big.yaml:1:1 PLAN_TOO_LARGE: Too large.');
  });

  it('writes and reads paths, quoting keys that are not identifiers', () => {
    const cases: (string | number)[][] = [[], ['steps', 3, 'needs', 0], ['variables', 'db-pass', 'value'], ['env', 'a "b"']];
    for (const path of cases) expect(parsePlanPath(formatPlanPath(path))).toEqual(path);
    expect(formatPlanPath(['steps', 3, 'env', 'MY-VAR'])).toBe('steps[3].env["MY-VAR"]');
  });
});

describe('step actions', () => {
  it('turn the one action key of a step or rollback into a value to switch on', () => {
    const p = plan(withLines({ 55: '    run: mkdir -p {{ dir }}\n    rollback:\n      manual: { instructions: Remove the folder by hand. }' }));
    expect(actionOf(p.steps[0]!)).toEqual({ kind: 'run', run: 'mkdir -p {{ dir }}' });
    expect(actionOf(p.steps[0]!.rollback!)).toEqual({ kind: 'manual', manual: { instructions: 'Remove the folder by hand.' } });
    expect(actionOf(p.steps[1]!)).toEqual({ kind: 'upload', upload: { artifact: 'page', to: '/srv/www/page.html' } });
  });
});
