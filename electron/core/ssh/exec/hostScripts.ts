// The two scripts the launch writes into the execution's directory on the host. Both are plain
// POSIX sh (dash, busybox ash, bash) and carry no secret: values reach them on stdin only.
// Every process started costs milliseconds on small servers, so builtins do what they can.
//
// ~/.fieldrun/runs/<execId>/ holds:
//   out, err      the command's output, appended as it runs
//   runner        pid of runner.sh (detached with setsid, so the SSH session may die)
//   pid           process group of the command (a session of its own, so a group kill spares the runner)
//   boot          the kernel boot id at launch; grace: seconds between TERM and KILL
//   stop          'cancel' or 'timeout' once someone asked the command to stop
//   code          exit code, written by the job shell's EXIT trap (absent when killed by a signal)
//   status        wait status of the command's session leader, as the runner saw it
//   exit          '<record> <ended> <stop>', written last: record is the exit code,
//                 'signal:NAME' or 'lost'; ended is host time, epoch seconds
// Small files are written by one printf (one write), and readers take them only once non-empty,
// so no rename is needed to read them whole.

/** Line that separates the password lines from the job text on the job shell's stdin. */
export const JOB_MARK = 'FIELDRUN-JOB';

/**
 * job.sh <dir> <umask> <end mark>: runs as the login user, or as root under sudo. Reads, with the
 * read builtin (exact, so nothing beyond the job is consumed), any password lines sudo left
 * unread (discarded), the mark line, then the job up to its end mark; switches stdin to the
 * prepared input, restores the user's umask and evaluates the job. The EXIT trap records an
 * ordinary exit; a death by signal leaves no code, which is how `exit 143` differs from SIGTERM.
 */
export const JOB_SH = `# fieldrun job shell
fr_d=$1 fr_end=$3 fr_job= fr_go= fr_ok=
umask "$2"
while IFS= read -r fr_l; do
  if [ -n "$fr_go" ]; then
    [ "$fr_l" = "$fr_end" ] && { fr_ok=1; break; }
    fr_job="$fr_job$fr_l
"
  elif [ "$fr_l" = ${JOB_MARK} ]; then
    fr_go=1
  fi
done
if [ -z "$fr_ok" ]; then
  printf 'fieldrun: the job arrived incomplete; nothing was run\\n' >&2
  exit 125
fi
if [ -f "$fr_d/in" ]; then exec <"$fr_d/in"; else exec </dev/null; fi
__fieldrun_code=$fr_d/code
trap '__fieldrun_rc=$?; umask 022; printf "%s\\n" "$__fieldrun_rc" >"$__fieldrun_code"' EXIT
set --
eval "unset fr_d fr_end fr_go fr_ok fr_l fr_job; $fr_job"
`;

/**
 * fr_group_alive: does process group $fr_pg still have a live member? Read from /proc where there
 * is one, because `kill -0` also succeeds on zombies, and orphans whose reaper is slow would hold
 * a stopped group "alive" for the whole grace. Without /proc, kill -0 (through sudo for root).
 */
export const GROUP_ALIVE = `fr_group_alive() {
  if [ -r /proc/self/stat ]; then
    for fr_f in /proc/[0-9]*/stat; do
      IFS= read -r fr_l <"$fr_f" 2>/dev/null || continue
      fr_l=\${fr_l##*) }
      set -- $fr_l
      [ "$3" = "$fr_pg" ] && [ "$1" != Z ] && return 0
    done
    return 1
  fi
  fr_signal 0
}`;

/**
 * runner.sh <dir> <sudo:1|''> <timeout s|''> <grace s> <umask> <end mark>: the detached keeper
 * of one execution. Its stdin carries the sudo password line (empty without sudo), then what the
 * job shell reads (see job.sh). It starts the job in a session of its own, enforces the timeout,
 * turns USR1 (stop: TERM, then KILL after the grace) and USR2 (grace over: KILL) into signals for
 * the job's process group (through sudo when the job runs as root), and writes the exit record
 * last. Then it wakes the launch shell that streams the output (its parent, while that lives)
 * with USR1, so a short command's stream ends at once instead of at the next poll.
 */
export const RUNNER_SH = `# fieldrun runner
fr_d=$1 fr_sudo=$2 fr_timeout=$3 fr_grace=$4 fr_umask=$5 fr_end=$6
fr_stop= fr_hard= fr_stopping= fr_t= fr_g= fr_pg=
trap 'fr_stop=1' USR1
trap 'fr_hard=1' USR2
IFS= read -r fr_pw
# An asynchronous list gets /dev/null as stdin unless redirected: keep the rest of ours on fd 3.
exec 3<&0 </dev/null
fr_self=$$

fr_nap() { sleep "$1" 2>/dev/null || sleep 1; }

fr_signal() {
  if [ -n "$fr_sudo" ]; then
    printf '%s\\n%s\\n%s\\n' "$fr_pw" "$fr_pw" "$fr_pw" | sudo -S -p '' kill -s "$1" -- "-$fr_pg" >/dev/null 2>&1
  else
    kill -s "$1" -- "-$fr_pg" 2>/dev/null
  fi
}
${GROUP_ALIVE}

# Sleeps, then asks the runner for $3 until it is gone: a signal that lands just before the
# runner blocks in wait would otherwise go unseen until the job ends. The sleep's pid is kept
# so the runner can end it early.
fr_timer() {
  sleep "$1" &
  printf '%s\\n' "$!" >"$2"
  wait "$!"
  [ -n "$4" ] && ( set -C; printf '%s\\n' "$4" >"$fr_d/stop" ) 2>/dev/null
  while kill -s "$3" "$fr_self" 2>/dev/null; do sleep 1; done
}

(
  if [ -n "$fr_sudo" ]; then
    setsid sudo -S -p '' -- /bin/sh "$fr_d/job.sh" "$fr_d" "$fr_umask" "$fr_end" <&3 3<&- >>"$fr_d/out" 2>>"$fr_d/err" &
  else
    setsid /bin/sh "$fr_d/job.sh" "$fr_d" "$fr_umask" "$fr_end" <&3 3<&- >>"$fr_d/out" 2>>"$fr_d/err" &
  fi
  fr_j=$!
  printf '%s\\n' "$fr_j" >"$fr_d/pid"
  wait "$fr_j"
  printf '%s\\n' "$?" >"$fr_d/status"
) &
fr_s=$!
exec 3<&-
if [ -n "$fr_timeout" ]; then
  fr_timer "$fr_timeout" "$fr_d/timer.pid" USR1 timeout &
  fr_t=$!
fi

while :; do
  if [ -n "$fr_stop" ] && [ -z "$fr_stopping" ]; then
    fr_stopping=1
    fr_i=0
    while [ ! -s "$fr_d/pid" ] && [ "$fr_i" -lt 100 ]; do fr_nap 0.05; fr_i=$((fr_i + 1)); done
    read -r fr_pg <"$fr_d/pid"
    fr_signal TERM
    fr_timer "$fr_grace" "$fr_d/grace.pid" USR2 &
    fr_g=$!
  fi
  if [ -n "$fr_hard" ]; then fr_hard=; fr_signal KILL; fi
  [ -e "$fr_d/status" ] && break
  wait "$fr_s"
  [ "$?" -eq 127 ] && break
done
wait "$fr_s" 2>/dev/null

# What survived the TERM in the job's group gets the rest of the grace, then KILL.
if [ -n "$fr_stopping" ]; then
  while [ -z "$fr_hard" ] && fr_group_alive; do fr_nap 0.1; done
  fr_signal KILL
fi

fr_st=
[ -s "$fr_d/status" ] && read -r fr_st <"$fr_d/status"
if [ -s "$fr_d/code" ]; then
  read -r fr_rec <"$fr_d/code"
elif [ -n "$fr_st" ] && [ "$fr_st" -gt 128 ] 2>/dev/null; then
  fr_n=$((fr_st - 128))
  fr_name=$(kill -l "$fr_n" 2>/dev/null) || fr_name=$fr_n
  fr_rec="signal:$fr_name"
elif [ -n "$fr_st" ]; then
  fr_rec=$fr_st
else
  fr_rec=lost
fi
fr_why=-
[ -n "$fr_stopping" ] && [ -s "$fr_d/stop" ] && read -r fr_why <"$fr_d/stop"
printf '%s %s %s\\n' "$fr_rec" "$(date +%s)" "$fr_why" >"$fr_d/exit"
if [ -r "/proc/$$/stat" ]; then
  IFS= read -r fr_l <"/proc/$$/stat"
  fr_l=\${fr_l##*) }
  set -- $fr_l
  [ "$2" = "$PPID" ] && kill -s USR1 "$PPID" 2>/dev/null
fi

# The timers and their sleeps: the timer shells first, so a dying sleep wakes no one.
[ -n "$fr_t$fr_g" ] && kill $fr_t $fr_g 2>/dev/null
for fr_f in timer grace; do
  [ -s "$fr_d/$fr_f.pid" ] && read -r fr_p <"$fr_d/$fr_f.pid" && kill "$fr_p" 2>/dev/null
done
exit 0
`;
