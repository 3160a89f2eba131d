import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../../electron/core/runner/substituteVariables';
import { compareDpkgVersions, compareRpmEvr, compareRpmVersions, meetsRequirements } from '../../../electron/core/checks';

// dpkg ordering is checked against the real `dpkg --compare-versions` of this machine on a few
// hundred generated pairs, all in one shell process; rpm ordering against the cases of rpm's own
// test suite (rpm-software-management/rpm, tests/rpmvercmp.at), since rpm is not installed here.

function dpkgOrder(pairs: Array<[string, string]>): number[] {
  if (!existsSync('/usr/bin/dpkg')) throw new Error('dpkg is needed to check version ordering: apt-get install -y dpkg');
  const script = pairs
    .map(([a, b]) => `if dpkg --compare-versions ${shellQuote(a)} lt ${shellQuote(b)}; then echo -1; elif dpkg --compare-versions ${shellQuote(a)} eq ${shellQuote(b)}; then echo 0; else echo 1; fi`)
    .join('\n');
  const out = execFileSync('sh', ['-s'], { input: script, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  return out.trim().split('\n').map(Number);
}

const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((a) => a.join(''));
const upstream = fc.tuple(fc.constantFrom(...'0123456789'), chars('00123456789..+~~abzAZ', 0, 7)).map(([d, rest]) => d + rest);
const revision = chars('0123456789.+~~abz', 1, 4);
const version = fc
  .record({ epoch: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }), upstream, revision: fc.option(revision, { nil: undefined }) })
  .map(({ epoch, upstream: u, revision: r }) => `${epoch === undefined ? '' : `${epoch}:`}${u}${r === undefined ? '' : `-${r}`}`);
// Pairs that share a prefix meet the interesting cases (a trailing ~, one more digit) far more often.
const nearPair = fc
  .tuple(upstream, chars('0123456789.~+a', 0, 3), chars('0123456789.~+a', 0, 3), fc.option(revision, { nil: undefined }))
  .map(([p, x, y, r]): [string, string] => [`${p}${x}${r === undefined ? '' : `-${r}`}`, `${p}${y}`]);
// A leading zero changes the text, not the version (dpkg compares digit runs as numbers).
const paddedPair = version.map((v): [string, string] => [v, v.replace(/(\.|^)(\d)/, '$10$2')]);
const pairs = fc.oneof(fc.tuple(version, version), nearPair, paddedPair);

// Known orderings from Debian policy §5.6.12 and dpkg's own tests (lib/dpkg/t/t-version.c).
const CURATED: Array<[string, string]> = [
  ['1.0~rc1', '1.0'],
  ['1.0~~', '1.0~'],
  ['1.0~', '1.0'],
  ['1.0', '1.0+'],
  ['1.0', '1.0a'],
  ['1.0a', '1.0+'],
  ['1:0', '2'],
  ['0:1.0', '1.0'],
  ['1.0', '1.0-0'],
  ['1.0-1', '1.0-1~bpo12+1'],
  ['2.4.1-1', '2.4.10-1'],
  ['1.002', '1.2'],
  ['1:9.2p1-2+deb12u10', '1:9.2p1-2+deb12u3'],
  ['7.88.1-10+deb12u14', '7.88.1-10+deb12u5'],
];

describe('dpkg version ordering', () => {
  it('agrees with dpkg --compare-versions on curated and generated pairs', () => {
    const seed = Date.now() % 2 ** 31;
    const generated = fc.sample(pairs, { numRuns: 400, seed });
    const all = [...CURATED, ...generated];
    const expected = dpkgOrder(all);
    expect(expected).toHaveLength(all.length);
    const mismatches = all.flatMap(([a, b], i) => {
      const ours = compareDpkgVersions(a, b);
      return ours === expected[i] ? [] : [`${a} vs ${b}: dpkg ${expected[i]}, ours ${ours}`];
    });
    expect(mismatches, `seed ${seed}`).toEqual([]);
    // Antisymmetry, for free.
    for (const [a, b] of all) expect(compareDpkgVersions(b, a)).toBe(-compareDpkgVersions(a, b) || 0);
  });
});

// rpm's tests/rpmvercmp.at: RPMVERCMP(a, b, result), all the cases it runs (the "oddities" it
// lists commented out are left out here too).
const RPMVERCMP: Array<[string, string, -1 | 0 | 1]> = [
  ['1.0', '1.0', 0], ['1.0', '2.0', -1], ['2.0', '1.0', 1],
  ['2.0.1', '2.0.1', 0], ['2.0', '2.0.1', -1], ['2.0.1', '2.0', 1],
  ['2.0.1a', '2.0.1a', 0], ['2.0.1a', '2.0.1', 1], ['2.0.1', '2.0.1a', -1],
  ['5.5p1', '5.5p1', 0], ['5.5p1', '5.5p2', -1], ['5.5p2', '5.5p1', 1],
  ['5.5p10', '5.5p10', 0], ['5.5p1', '5.5p10', -1], ['5.5p10', '5.5p1', 1],
  ['10xyz', '10.1xyz', -1], ['10.1xyz', '10xyz', 1],
  ['xyz10', 'xyz10', 0], ['xyz10', 'xyz10.1', -1], ['xyz10.1', 'xyz10', 1],
  ['xyz.4', 'xyz.4', 0], ['xyz.4', '8', -1], ['8', 'xyz.4', 1], ['xyz.4', '2', -1], ['2', 'xyz.4', 1],
  ['5.5p2', '5.6p1', -1], ['5.6p1', '5.5p2', 1],
  ['5.6p1', '6.5p1', -1], ['6.5p1', '5.6p1', 1],
  ['6.0.rc1', '6.0', 1], ['6.0', '6.0.rc1', -1],
  ['10b2', '10a1', 1], ['10a2', '10b2', -1],
  ['1.0aa', '1.0aa', 0], ['1.0a', '1.0aa', -1], ['1.0aa', '1.0a', 1],
  ['10.0001', '10.0001', 0], ['10.0001', '10.1', 0], ['10.1', '10.0001', 0], ['10.0001', '10.0039', -1], ['10.0039', '10.0001', 1],
  ['4.999.9', '5.0', -1], ['5.0', '4.999.9', 1],
  ['20101121', '20101121', 0], ['20101121', '20101122', -1], ['20101122', '20101121', 1],
  ['2_0', '2_0', 0], ['2.0', '2_0', 0], ['2_0', '2.0', 0],
  // RhBug:178798
  ['a', 'a', 0], ['a+', 'a+', 0], ['a+', 'a_', 0], ['a_', 'a+', 0], ['+a', '+a', 0], ['+a', '_a', 0], ['_a', '+a', 0],
  ['+_', '+_', 0], ['_+', '+_', 0], ['_+', '_+', 0], ['+', '_', 0], ['_', '+', 0],
  // tilde
  ['1.0~rc1', '1.0~rc1', 0], ['1.0~rc1', '1.0', -1], ['1.0', '1.0~rc1', 1], ['1.0~rc1', '1.0~rc2', -1], ['1.0~rc2', '1.0~rc1', 1],
  ['1.0~rc1~git123', '1.0~rc1~git123', 0], ['1.0~rc1~git123', '1.0~rc1', -1], ['1.0~rc1', '1.0~rc1~git123', 1],
  // caret
  ['1.0^', '1.0^', 0], ['1.0^', '1.0', 1], ['1.0', '1.0^', -1],
  ['1.0^git1', '1.0^git1', 0], ['1.0^git1', '1.0', 1], ['1.0', '1.0^git1', -1],
  ['1.0^git1', '1.0^git2', -1], ['1.0^git2', '1.0^git1', 1], ['1.0^git1', '1.01', -1], ['1.01', '1.0^git1', 1],
  ['1.0^20160101', '1.0^20160101', 0], ['1.0^20160101', '1.0.1', -1], ['1.0.1', '1.0^20160101', 1],
  ['1.0^20160101^git1', '1.0^20160101^git1', 0], ['1.0^20160102', '1.0^20160101^git1', 1], ['1.0^20160101^git1', '1.0^20160102', -1],
  // tilde and caret
  ['1.0~rc1^git1', '1.0~rc1^git1', 0], ['1.0~rc1^git1', '1.0~rc1', 1], ['1.0~rc1', '1.0~rc1^git1', -1],
  ['1.0^git1~pre', '1.0^git1~pre', 0], ['1.0^git1', '1.0^git1~pre', 1], ['1.0^git1~pre', '1.0^git1', -1],
];

describe('rpm version ordering', () => {
  it.each(RPMVERCMP)('rpmvercmp(%s, %s) = %i', (a, b, result) => {
    expect(compareRpmVersions(a, b)).toBe(result);
  });

  it('compares epoch:version-release, the release only when both sides have one', () => {
    expect(compareRpmEvr('1:3.0.7-27.el9', '3.0.8')).toBe(1);
    expect(compareRpmEvr('3.0.7-27.el9', '3.0.7')).toBe(0);
    expect(compareRpmEvr('3.0.7-27.el9', '3.0.7-28.el9')).toBe(-1);
    expect(compareRpmEvr('0:3.0.7-27.el9', '3.0.7-27.el9')).toBe(0);
    expect(compareRpmEvr('5.14.0-427.13.1.el9_4', '5.14.0-362.8.1.el9_3')).toBe(1);
  });
});

describe('version requirements', () => {
  it('holds every requirement of a constraint', () => {
    const req = (op: '<' | '<=' | '=' | '!=' | '>=' | '>', version: string) => ({ op, version });
    expect(meetsRequirements('dpkg', '2.4.1-1', [req('>=', '2.4'), req('<', '3')])).toBe(true);
    expect(meetsRequirements('dpkg', '3~rc1', [req('<', '3')])).toBe(true);
    expect(meetsRequirements('dpkg', '2.4.1-1', [req('!=', '2.4.1-1')])).toBe(false);
    expect(meetsRequirements('rpm', '2.4.1-3.el9', [req('=', '2.4.1')])).toBe(true);
    expect(meetsRequirements('dpkg', 'x:1', [req('>', '1')])).toBeUndefined();
  });
});
