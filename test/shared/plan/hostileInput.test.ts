import { describe, expect, it } from 'vitest';
import { parsePlan, PLAN_LIMITS, type PlanParseResult } from '../../../shared/plan';
import { BASE_PLAN } from './basePlan';

// Input nobody should write but someone will open: huge files, alias bombs, deep nesting, binary
// junk, other encodings. Each is refused with a clear, located problem, quickly, without a crash.

function timed(input: string | Uint8Array): { result: PlanParseResult; ms: number } {
  const started = performance.now();
  const result = parsePlan(input, { fileName: 'hostile.yaml' });
  return { result, ms: performance.now() - started };
}

function refusedWith(input: string | Uint8Array, code: string, withinMs: number): PlanParseResult & { ok: false } {
  const { result, ms } = timed(input);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('accepted');
  expect(result.problems.map((p) => p.code)).toEqual([code]);
  expect(ms).toBeLessThan(withinMs);
  return result;
}

describe('hostile input', () => {
  it('refuses a 50 MB file at once, as bytes or as text', () => {
    const bytes = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    const problem = refusedWith(bytes, 'PLAN_TOO_LARGE', 50).problems[0]!;
    expect(problem.found).toBe('52,428,800 bytes (50.0 MiB)');
    expect(problem.message).toContain('5,242,880 bytes (5.0 MiB)');
    refusedWith('a'.repeat(50 * 1024 * 1024), 'PLAN_TOO_LARGE', 50);
  });

  it('refuses an exponential alias bomb that stays under the alias count', () => {
    // 9 aliases on each of 10 levels: 90 aliases that would expand to 10 × 9^9 values.
    const levels = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 10; i += 1) levels.push(`l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]`);
    const problem = refusedWith(`${levels.join('\n')}\n`, 'ALIAS_LIMIT', 1000).problems[0]!;
    expect(problem.message).toContain('expand');
  });

  it('refuses the classic billion laughs', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i += 1) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`);
    }
    refusedWith(`${levels.join('\n')}\n`, 'ALIAS_LIMIT', 200);
  });

  it('refuses a bomb with more aliases than the limit as soon as it has read one too many', () => {
    const levels = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 12; i += 1) levels.push(`l${i}: &l${i} [${Array.from({ length: 12 }, () => `*l${i - 1}`).join(', ')}]`);
    const problem = refusedWith(`${levels.join('\n')}\n`, 'ALIAS_LIMIT', 200).problems[0]!;
    expect(problem.line).toBe(Math.ceil((PLAN_LIMITS.maxAliases + 1) / 12) + 1);
  });

  it('refuses an alias inside its own anchor', () => {
    refusedWith('a: &x [1, *x]\n', 'ALIAS_LIMIT', 200);
  });

  it.each([
    ['flow lists', '['],
    ['flow mappings', '{a: '],
    ['block lists', '- '],
  ])('refuses %s nested to the size limit, quickly and at the first level too deep', (_kind, unit) => {
    const text = unit.repeat(Math.floor((PLAN_LIMITS.maxBytes - 10) / unit.length));
    const problem = refusedWith(text, 'TOO_DEEP', 1000).problems[0]!;
    expect(problem.line).toBe(1);
    expect(problem.column).toBeLessThan(unit.length * (PLAN_LIMITS.maxDepth + 8));
  });

  it('refuses binary junk, naming the first bad byte', () => {
    const junk = new Uint8Array(1024 * 1024);
    let seed = 42;
    for (let i = 0; i < junk.length; i += 1) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      junk[i] = seed >> 16;
    }
    const { result, ms } = timed(junk);
    expect(result.ok).toBe(false);
    expect(ms).toBeLessThan(500);
    if (result.ok) return;
    expect(['NOT_UTF8', 'CONTROL_CHARACTER']).toContain(result.problems[0]!.code);
    expect(result.problems).toHaveLength(1);
  });

  it('refuses a file of NUL bytes as a binary file', () => {
    const problem = refusedWith(new Uint8Array(4096), 'CONTROL_CHARACTER', 200).problems[0]!;
    expect(problem).toMatchObject({ line: 1, column: 1 });
    expect(problem.message).toContain('binary');
  });

  it('points at the first invalid UTF-8 byte by line and column', () => {
    const good = new TextEncoder().encode('apiVersion: fieldrun/v1\nkind: Instal');
    const bad = Uint8Array.from([...good, 0xff, ...new TextEncoder().encode('lationPlan\n')]);
    expect(refusedWith(bad, 'NOT_UTF8', 100).problems[0]).toMatchObject({ line: 2, column: 13, found: 'the byte 0xFF' });
    // Overlong encodings and UTF-8-encoded surrogates are invalid too.
    expect(refusedWith(Uint8Array.from([0x61, 0x0a, 0xc0, 0xaf]), 'NOT_UTF8', 100).problems[0]).toMatchObject({ line: 2, column: 1 });
    expect(refusedWith(Uint8Array.from([0x61, 0x62, 0xed, 0xa0, 0x80]), 'NOT_UTF8', 100).problems[0]).toMatchObject({ line: 1, column: 3 });
    // A truncated multi-byte character at the end of the file.
    expect(refusedWith(Uint8Array.from([0x61, 0xe2, 0x82]), 'NOT_UTF8', 100).problems[0]).toMatchObject({ line: 1, column: 2 });
  });

  it('refuses UTF-16 files, which a Windows editor may write', () => {
    const utf16 = Uint8Array.from([0xff, 0xfe, ...Array.from(BASE_PLAN).flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(refusedWith(utf16, 'NOT_UTF8', 100).problems[0]).toMatchObject({ line: 1, column: 1 });
  });

  it('refuses a text with a lone surrogate', () => {
    refusedWith(`apiVersion: fieldrun/v1\ntitle: \uD800\n`, 'NOT_UTF8', 100);
  });
});

describe('encodings and line endings that are fine', () => {
  const crlf = BASE_PLAN.replace(/\n/g, '\r\n');
  const bom = [0xef, 0xbb, 0xbf];

  it.each([
    ['UTF-8', new TextEncoder().encode(BASE_PLAN)],
    ['UTF-8 with BOM', Uint8Array.from([...bom, ...new TextEncoder().encode(BASE_PLAN)])],
    ['CRLF line endings', new TextEncoder().encode(crlf)],
    ['BOM and CRLF', Uint8Array.from([...bom, ...new TextEncoder().encode(crlf)])],
    ['a string with BOM', `\uFEFF${BASE_PLAN}`],
  ])('accepts %s, to the same plan', (_what, input) => {
    const result = parsePlan(input, { fileName: 'plan.yaml' });
    const plain = parsePlan(BASE_PLAN, { fileName: 'plan.yaml' });
    expect(result.ok && plain.ok && result.plan).toEqual(plain.ok && plain.plan);
  });

  it('locates problems the same way with BOM and CRLF', () => {
    const broken = BASE_PLAN.replace('    needs: [publish]', '    needs: [publsh]').replace(/\n/g, '\r\n');
    const input = Uint8Array.from([...bom, ...new TextEncoder().encode(broken)]);
    const result = parsePlan(input, { fileName: 'plan.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.code, p.line, p.column])).toEqual([['NEEDS_UNKNOWN_STEP', 66, 13]]);
  });

  it('keeps text in any script intact', () => {
    const plan = BASE_PLAN.replace('  title: Demo plan', '  title: "Déploiement — 導入計画 🚀"');
    const result = parsePlan(new TextEncoder().encode(plan), { fileName: 'plan.yaml' });
    expect(result.ok && result.plan.metadata.title).toBe('Déploiement — 導入計画 🚀');
  });
});
