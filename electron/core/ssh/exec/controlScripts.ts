// Scripts the client sends on stdin to `/bin/sh -s`: launch, reattach, cancel, clean up. Each is
// one `{ ... }` group, so the shell runs nothing until the whole text has arrived, and a
// connection cut mid-transfer runs nothing at all.
import { randomBytes } from 'node:crypto';
import { RUNS_DIR } from './execId';
import { GROUP_ALIVE, JOB_MARK, JOB_SH, RUNNER_SH } from './hostScripts';
import { shellQuote } from './shellQuote';
import { STREAM_FUNCTIONS } from './streamScript';

function execDir(execId: string): string {
  return `fr_d="$HOME"/${shellQuote(`${RUNS_DIR}/${execId}`)}`;
}

export interface LaunchParams {
  execId: string;
  /** First line the script prints; what the login shell printed before it is skipped. */
  marker: string;
  job: string;
  /** Sudo password, or undefined to run as the login user. */
  sudoPassword: string | undefined;
  timeoutSeconds: number | undefined;
  graceSeconds: number;
  /** Length of the stdin data the client will send after the `r` frame, or undefined for none. */
  stdinLength: number | undefined;
}

/**
 * Claims ~/.fieldrun/runs/<execId> with mkdir (atomic: a second launch finds it taken and only
 * attaches), writes the host scripts, receives stdin data if any, starts the runner under setsid
 * and streams from offset 0. Secrets live only in this text, in shell variables and in the pipe
 * to the runner. The job ends with a random mark, so a job cut off in transit is never run.
 */
export function launchScript(p: LaunchParams): string {
  const stdinStep =
    p.stdinLength === undefined
      ? ''
      : `  printf 'r\\n'
  cat >"$fr_d/in"
  fr_size "$fr_d/in"
  if [ "$fr_sz" != ${p.stdinLength} ]; then rm -rf "$fr_d"; printf 'f stdin-incomplete\\n'; return 0; fi
`;
  return `{
printf '%s\\n' ${shellQuote(p.marker)}
fr_umask=$(umask)
umask 077
${execDir(p.execId)}
fr_sudo=${p.sudoPassword === undefined ? "''" : '1'}
fr_pw=${shellQuote(p.sudoPassword ?? '')}
fr_job=${shellQuote(p.job)}
fr_end=${shellQuote(`#fieldrun:end:${randomBytes(8).toString('hex')}`)}
fr_runner_sh=${shellQuote(RUNNER_SH)}
fr_job_sh=${shellQuote(JOB_SH)}
${STREAM_FUNCTIONS}
fr_launch() {
  if ! command -v setsid >/dev/null 2>&1; then printf 'f no-setsid\\n'; return 0; fi
  if [ -n "$fr_sudo" ] && ! command -v sudo >/dev/null 2>&1; then printf 'f no-sudo\\n'; return 0; fi
  [ -d "$HOME/${RUNS_DIR}" ] || mkdir -p "$HOME/${RUNS_DIR}" 2>/dev/null
  if ! mkdir "$fr_d" 2>/dev/null; then
    if [ -d "$fr_d" ]; then printf 's attached\\n'; fr_stream 0 0; else printf 'f cannot-create-dir\\n'; fi
    return 0
  fi
  : >"$fr_d/out"
  : >"$fr_d/err"
  fr_nb=
  [ -r /proc/sys/kernel/random/boot_id ] && read -r fr_nb </proc/sys/kernel/random/boot_id
  printf '%s\\n' "$fr_nb" >"$fr_d/boot"
  printf '%s\\n' ${p.graceSeconds} >"$fr_d/grace"
  printf '%s' "$fr_runner_sh" >"$fr_d/runner.sh"
  printf '%s' "$fr_job_sh" >"$fr_d/job.sh"
${stdinStep}  {
    printf '%s\\n' "$fr_pw"
    [ -n "$fr_sudo" ] && printf '%s\\n%s\\n%s\\n' "$fr_pw" "$fr_pw" "$fr_pw"
    printf '${JOB_MARK}\\n%s%s\\n' "$fr_job" "$fr_end"
  } | setsid /bin/sh "$fr_d/runner.sh" "$fr_d" "$fr_sudo" ${shellQuote(p.timeoutSeconds === undefined ? '' : String(p.timeoutSeconds))} ${p.graceSeconds} "$fr_umask" "$fr_end" >"$fr_d/log" 2>&1 &
  printf '%s\\n' "$!" >"$fr_d/runner"
  fr_pw= fr_job=
  printf 's started\\n'
  fr_stream 0 0
}
fr_launch
exit 0
}
`;
}

/** Streams an execution from the given offsets: the rest of the output, then its outcome. */
export function reattachScript(execId: string, marker: string, fromStdout: number, fromStderr: number): string {
  return `{
printf '%s\\n' ${shellQuote(marker)}
${execDir(execId)}
${STREAM_FUNCTIONS}
fr_stream ${fromStdout} ${fromStderr}
exit 0
}
`;
}

/**
 * Asks the runner to stop the command (it sends TERM to the group, KILL after the grace) and
 * waits for the exit record. Prints one word: missing, finished, stopped, pending, orphan.
 */
export function cancelScript(execId: string, waitSeconds: number): string {
  return `{
${execDir(execId)}
fr_nap() { sleep "$1" 2>/dev/null || sleep 1; }
fr_signal() { kill -s "$1" -- "-$fr_pg" 2>/dev/null; }
${GROUP_ALIVE}
if [ ! -d "$fr_d" ]; then echo missing; exit 0; fi
if [ -s "$fr_d/exit" ]; then echo finished; exit 0; fi
( set -C; printf 'cancel\\n' >"$fr_d/stop" ) 2>/dev/null
fr_p=
[ -s "$fr_d/runner" ] && read -r fr_p <"$fr_d/runner"
if [ -n "$fr_p" ] && kill -s USR1 "$fr_p" 2>/dev/null; then
  fr_i=0
  while [ ! -s "$fr_d/exit" ] && [ "$fr_i" -lt ${waitSeconds * 20} ]; do
    fr_nap 0.05
    fr_i=$((fr_i + 1))
    # again now and then: a signal that lands just before the runner blocks is seen only later
    [ $((fr_i % 20)) -eq 0 ] && kill -s USR1 "$fr_p" 2>/dev/null
  done
  if [ -s "$fr_d/exit" ]; then echo stopped; else echo pending; fi
  exit 0
fi
if [ -s "$fr_d/exit" ]; then echo finished; exit 0; fi
# The runner is gone (killed on the host): stop what is left of the job directly.
fr_pg=
[ -s "$fr_d/pid" ] && read -r fr_pg <"$fr_d/pid"
if [ -n "$fr_pg" ] && kill -s TERM -- "-$fr_pg" 2>/dev/null; then
  fr_g=5
  [ -s "$fr_d/grace" ] && read -r fr_g <"$fr_d/grace"
  fr_i=0
  while fr_group_alive && [ "$fr_i" -lt $((fr_g * 10)) ]; do fr_nap 0.1; fr_i=$((fr_i + 1)); done
  kill -s KILL -- "-$fr_pg" 2>/dev/null
fi
echo orphan
exit 0
}
`;
}

/**
 * Removes ended executions: those with an exit record, and those whose runner is gone without
 * one (their outcome was unknown). Only the ids given, or all of them whose record is older than
 * `olderThanDays` (0: any age). Running ones, and launches still setting up, are never touched.
 * Prints `removed <id>` and `running <id>` lines.
 */
export function cleanupScript(execIds: readonly string[] | undefined, olderThanDays: number): string {
  const list = execIds === undefined ? '"$fr_base"/*' : execIds.map((id) => `"$fr_base"/${shellQuote(id)}`).join(' ');
  const age = olderThanDays > 0 ? `[ -n "$(find "$fr_x" -prune -mtime +${Math.floor(olderThanDays) - 1} 2>/dev/null)" ] || continue` : ':';
  return `{
fr_base="$HOME/${RUNS_DIR}"
[ -d "$fr_base" ] || exit 0
for fr_x in ${list}; do
  [ -d "$fr_x" ] || continue
  if [ ! -s "$fr_x/exit" ]; then
    fr_p=
    [ -s "$fr_x/runner" ] && read -r fr_p <"$fr_x/runner"
    if [ -z "$fr_p" ] || kill -0 "$fr_p" 2>/dev/null; then echo "running \${fr_x##*/}"; continue; fi
  fi
  ${age}
  rm -rf -- "$fr_x" && echo "removed \${fr_x##*/}"
done
exit 0
}
`;
}
