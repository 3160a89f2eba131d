// The shell side of a check. Every compiled check is one POSIX sh script (dash, busybox ash,
// bash) that
// - exports LC_ALL=C itself, so a host whose login sets LANG=de_DE.UTF-8 still answers in the C
//   locale: English messages, '.' decimals, byte-wise text;
// - runs its body in the background and waits, so that a TERM from the runner (timeout, cancel)
//   interrupts `wait` at once and takes the whole process group down, a hung `df` or `curl`
//   included (sshd gives each session its own process group);
// - keeps stdin at /dev/null for everything it runs: the script itself arrives on stdin, and the
//   enclosing `{ … } </dev/null` is parsed in full before anything in it runs.
//
// Checks other than `command` speak a small line protocol on stdout, so judging never depends on
// the locale or on column widths:
//
//   fieldrun-check=1            first line: the script ran (what precedes it is login noise)
//   <key>=<value>               one fact per line; a key may repeat
//   cannot=<kind> <detail>      the check could not run: missing <tool> (exit 127),
//                               denied <what> (exit 126), unsupported|failed <why> (exit 125)

export const PROTOCOL_MARKER = 'fieldrun-check=1';

const HELPERS = String.raw`fr_say() { printf '%s=%s\n' "$1" "$2"; }
fr_has() { command -v "$1" >/dev/null 2>&1; }
fr_oneline() { printf '%s' "$1" | tr '\n\r\t' '   '; }
fr_cannot() {
  printf 'cannot=%s %s\n' "$1" "$(fr_oneline "$2")"
  case $1 in missing) exit 127 ;; denied) exit 126 ;; *) exit 125 ;; esac
}
fr_contains() {
  case $2 in
  *'
'*) FR_NEEDLE=$2 awk 'BEGIN { n = ENVIRON["FR_NEEDLE"] } { s = s $0 "\n" } END { exit index(s, n) ? 0 : 1 }' "$1" ;;
  *) grep -F -q -e "$2" "$1" ;;
  esac
}`;

/**
 * The full script around a check's body. `protocol` adds the marker line and the helper functions
 * (fr_say, fr_has, fr_cannot, fr_contains); a `command` check runs without them so that its output
 * is exactly the command's.
 */
export function wrapCheckScript(body: string, options: { protocol: boolean }): string {
  return [
    '{',
    'LC_ALL=C',
    'export LC_ALL',
    'unset LANGUAGE',
    ...(options.protocol ? [HELPERS, `printf '%s\\n' '${PROTOCOL_MARKER}'`] : []),
    '(',
    body,
    ') &',
    'fr_pid=$!',
    // On TERM/HUP/INT: stop waiting, then signal the whole process group (the body and whatever it
    // started) and end with the signal's status.
    "trap 'trap - TERM HUP INT; kill -TERM \"$fr_pid\" 0 2>/dev/null; exit 143' TERM HUP INT",
    'wait "$fr_pid"',
    '} </dev/null',
    // The sender keeps stdin open (ssh2 sends a signal only on a writable channel), so the shell
    // must not wait for more script: it ends here, with the body's status.
    'exit',
    '',
  ].join('\n');
}

/** The facts a protocol script printed after its marker. */
export interface CheckFacts {
  /** The marker was seen: the script ran on the host. */
  readonly ran: boolean;
  get(key: string): string | undefined;
  all(key: string): string[];
  has(key: string): boolean;
}

const FACT = /^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/;

export function parseCheckFacts(stdout: string): CheckFacts {
  const lines = stdout.split('\n');
  const start = lines.indexOf(PROTOCOL_MARKER);
  const facts = new Map<string, string[]>();
  if (start >= 0) {
    for (const line of lines.slice(start + 1)) {
      const match = FACT.exec(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (!match) continue;
      const values = facts.get(match[1]!) ?? [];
      values.push(match[2]!);
      facts.set(match[1]!, values);
    }
  }
  return {
    ran: start >= 0,
    get: (key) => facts.get(key)?.[0],
    all: (key) => facts.get(key) ?? [],
    has: (key) => facts.has(key),
  };
}
