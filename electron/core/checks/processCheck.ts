import { shellQuote } from '../runner/substituteVariables';
import { protocolCheck } from './checkModule';
import type { CheckFacts } from './checkScript';
import type { CheckOf, CheckVerdict } from './types';
import { fail, pass, quoted } from './verdicts';

// `process`: running processes by exact name or by a pattern on the full command line.
// - name: the kernel's process name (/proc/<pid>/comm, what `ps -o comm` shows), read with the
//   shell's own `read` so a thousand processes cost no fork each; the kernel keeps only the first
//   15 bytes of a name, so that is what is compared. `ps -e -o comm=` where /proc is absent.
// - pattern: a JavaScript regular expression, which no tool on the host speaks, so the command
//   lines come back (`ps -ww`: never cut to a terminal width) and the judge matches them; only
//   the matching lines are kept as evidence.
// The check's own shell is left out of the count.

type ProcessCheck = CheckOf<'process'>;

/** TASK_COMM_LEN is 16 with the terminating NUL. */
const COMM_BYTES = 15;

export function commName(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  return bytes.length <= COMM_BYTES ? name : bytes.subarray(0, COMM_BYTES).toString('utf8').replace(/\uFFFD$/, '');
}

// The check's own shell ($$) and the subshell its body runs in (the parent of a command it starts).
const SELF = `fr_say self $$; fr_say self "$(sh -c 'echo $PPID')"`;

/** The ps the pattern script runs sees itself; these are its command lines. */
const OWN_PS = new Set(['ps -ww -e -o pid= -o args=', 'ps -e -o pid= -o args=', 'ps -o pid,args']);

function script(check: ProcessCheck): string {
  if (check.name !== undefined) {
    return [
      `want=${shellQuote(commName(check.name))}`,
      SELF,
      'if [ -r /proc/self/comm ]; then',
      '  for f in /proc/[0-9]*/comm; do',
      '    { IFS= read -r c; } 2>/dev/null < "$f" || continue',
      '    [ "$c" = "$want" ] || continue',
      '    pid=${f#/proc/}; fr_say pid "${pid%/comm}"',
      '  done',
      'else',
      '  fr_has ps || fr_cannot missing "ps (and no /proc)"',
      `  ps -e -o pid= -o comm= | while read -r pid c; do [ "$c" = "$want" ] && fr_say pid "$pid"; done`,
      'fi',
      'fr_say done yes',
    ].join('\n');
  }
  return [
    'fr_has ps || fr_cannot missing ps',
    SELF,
    // procps: -ww never truncates; busybox ps has no -e/-ww and lists everyone with a header.
    'out=$(ps -ww -e -o pid= -o args= 2>/dev/null) || out=$(ps -e -o pid= -o args= 2>/dev/null) || out=$(ps -o pid,args 2>&1) || fr_cannot failed "$out"',
    `printf '%s\\n' "$out" | sed 's/^/ps=/'`,
    'fr_say done yes',
  ].join('\n');
}

function subject(check: ProcessCheck): string {
  return check.name !== undefined ? `process ${check.name}` : `process matching /${check.pattern ?? ''}/`;
}

function expected(check: ProcessCheck): string {
  if (!check.running) return 'not running';
  return check.minCount !== undefined && check.minCount > 1 ? `at least ${check.minCount} running` : 'running';
}

interface Match {
  pid: string;
  args: string | undefined;
}

/** The matching processes, the check's own shell (and the ps it ran) excepted. */
export function matchingProcesses(check: ProcessCheck, facts: CheckFacts): Match[] {
  const selves = new Set(facts.all('self'));
  if (check.name !== undefined) return facts.all('pid').filter((pid) => !selves.has(pid)).map((pid) => ({ pid, args: undefined }));
  const pattern = new RegExp(check.pattern ?? '');
  const matches: Match[] = [];
  for (const line of facts.all('ps')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!match || selves.has(match[1]!)) continue;
    const args = match[2]!;
    if (OWN_PS.has(args.trim())) continue;
    if (pattern.test(args)) matches.push({ pid: match[1]!, args });
  }
  return matches;
}

function judge(check: ProcessCheck, facts: CheckFacts): CheckVerdict | undefined {
  if (facts.get('done') !== 'yes') return undefined;
  const matches = matchingProcesses(check, facts);
  const want = expected(check);
  const pids = matches.slice(0, 10).map((m) => m.pid).join(', ') + (matches.length > 10 ? ', …' : '');
  const found = matches.length === 0 ? 'none running' : `${matches.length} running (pid ${pids})`;
  const enough = check.running ? matches.length >= (check.minCount ?? 1) : matches.length === 0;
  if (enough) return pass(want, found, check.running ? `${subject(check)}: ${found}` : `${subject(check)}: none running, as expected`);
  const example = matches[0]?.args === undefined ? '' : `, e.g. ${quoted(matches[0].args, 80)}`;
  return fail(want, found, `${subject(check)}: expected ${want}, found ${found}${check.running ? '' : example}`);
}

/** For a pattern check, only the protocol lines and the matching processes: a server's full process list is not evidence and may carry other programs' secrets. */
function evidence(check: ProcessCheck, stdout: string): string {
  if (check.pattern === undefined) return stdout;
  const pattern = new RegExp(check.pattern);
  let omitted = 0;
  const kept = stdout.split('\n').filter((line) => {
    if (!line.startsWith('ps=')) return true;
    const keep = pattern.test(line.slice(3).replace(/^\s*\d+\s+/, ''));
    if (!keep) omitted++;
    return keep;
  });
  if (omitted > 0) kept.splice(kept.length - 1, 0, `omitted=${omitted} non-matching processes`);
  return kept.join('\n');
}

export const processCheck = protocolCheck<'process'>({ expected, script, judge, evidence });
