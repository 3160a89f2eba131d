import { substituteVariables } from '../runner/substituteVariables';
import type { CheckModule } from './checkModule';
import { wrapCheckScript } from './checkScript';
import { resolveCheck } from './resolveCheck';
import type { CheckOf, CheckOutput, CheckVerdict } from './types';
import { cannotCheck, fail, firstLine, pass, quoted } from './verdicts';

// `command`: the plan's own shell text, judged on exit code, output and an optional number. The
// output is the command's own (no protocol lines), so the expectations see exactly what it printed.

type CommandCheck = CheckOf<'command'>;
type Matcher = NonNullable<NonNullable<CommandCheck['expect']>['stdout']>;

function subject(check: CommandCheck): string {
  const line = firstLine(check.run, 60);
  return `command ${quoted(line, 60)}`;
}

function wantedExit(check: CommandCheck): number {
  return check.expect?.exitCode ?? 0;
}

function describeMatcher(stream: 'stdout' | 'stderr', matcher: Matcher): string {
  if (matcher.equals !== undefined) return `${stream} ${quoted(matcher.equals)}`;
  if (matcher.contains !== undefined) return `${stream} containing ${quoted(matcher.contains)}`;
  return `${stream} matching /${matcher.matches ?? ''}/`;
}

function matches(matcher: Matcher, text: string): boolean {
  if (matcher.equals !== undefined) return text.replace(/\n+$/, '') === matcher.equals.replace(/\n+$/, '');
  if (matcher.contains !== undefined) return text.includes(matcher.contains);
  if (matcher.matches !== undefined) return new RegExp(matcher.matches).test(text);
  return true;
}

const COMPARE: Record<NonNullable<NonNullable<CommandCheck['expect']>['number']>['op'], (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
  '!=': (a, b) => a !== b,
};
const OP_TEXT = { '<': '<', '<=': '≤', '==': '=', '>=': '≥', '>': '>', '!=': '≠' } as const;

function expected(check: CommandCheck): string {
  const parts = [`exit status ${wantedExit(check)}`];
  const expect = check.expect;
  if (expect?.stdout !== undefined) parts.push(describeMatcher('stdout', expect.stdout));
  if (expect?.stderr !== undefined) parts.push(describeMatcher('stderr', expect.stderr));
  if (expect?.number !== undefined) parts.push(`a number ${OP_TEXT[expect.number.op]} ${expect.number.value}`);
  return parts.join(', ');
}

function shown(stream: string, text: string): string {
  const trimmed = text.replace(/\n+$/, '');
  return trimmed === '' ? `no ${stream}` : `${stream} ${quoted(trimmed, 120)}`;
}

function judge(check: CommandCheck, output: CheckOutput): CheckVerdict {
  const want = expected(check);
  if (output.exitCode === null) return cannotCheck(want, 'the session ended before the command finished (no exit status)');
  const exit = wantedExit(check);
  // 126/127: the shell could not run a program the command names, unless that is the point.
  if ((output.exitCode === 127 || output.exitCode === 126) && exit !== output.exitCode) {
    const why = firstLine(output.stderr) || (output.exitCode === 127 ? 'command not found' : 'command not executable');
    return cannotCheck(want, `${why} (exit status ${output.exitCode})`);
  }

  const mismatches: Array<{ expected: string; found: string }> = [];
  if (output.exitCode !== exit) mismatches.push({ expected: `exit status ${exit}`, found: `exit status ${output.exitCode}` });
  const expect = check.expect;
  if (expect?.stdout !== undefined && !matches(expect.stdout, output.stdout)) {
    mismatches.push({ expected: describeMatcher('stdout', expect.stdout), found: shown('stdout', output.stdout) });
  }
  if (expect?.stderr !== undefined && !matches(expect.stderr, output.stderr)) {
    mismatches.push({ expected: describeMatcher('stderr', expect.stderr), found: shown('stderr', output.stderr) });
  }
  let number: number | undefined;
  if (expect?.number !== undefined) {
    const text = output.stdout.trim();
    number = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : undefined;
    const { op, value } = expect.number;
    if (number === undefined) mismatches.push({ expected: `a number ${OP_TEXT[op]} ${value}`, found: `${shown('stdout', output.stdout)}, not a number` });
    else if (!COMPARE[op](number, value)) mismatches.push({ expected: `a number ${OP_TEXT[op]} ${value}`, found: String(number) });
  }

  const found = [`exit status ${output.exitCode}`];
  if (expect?.stdout !== undefined || (expect?.number !== undefined && number === undefined)) found.push(shown('stdout', output.stdout));
  if (expect?.stderr !== undefined || output.exitCode !== exit) found.push(shown('stderr', output.stderr));
  if (number !== undefined) found.push(`number ${number}`);
  const foundText = found.join(', ');

  if (mismatches.length === 0) return pass(want, foundText, `${subject(check)}: ${want} as expected`);
  return fail(
    want,
    foundText,
    `${subject(check)}: expected ${mismatches.map((m) => m.expected).join(', ')}, found ${mismatches.map((m) => m.found).join(', ')}`,
  );
}

export const commandCheck: CheckModule<'command'> = {
  expected,
  compile(check, vars) {
    const resolved = resolveCheck(check, vars);
    const run = substituteVariables(check.run, vars);
    const secretsUsed = [...new Set([...resolved.secretsUsed, ...run.secretsUsed])];
    return { command: wrapCheckScript(run.text, { protocol: false }), sudo: check.sudo ?? false, secretsUsed };
  },
  judge,
};
