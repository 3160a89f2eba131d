// The host half of output streaming: POSIX sh functions that follow an execution's `out` and
// `err` files from given byte offsets and write frames to stdout, one SSH channel carrying both
// streams, binary-safe:
//
//   s started|attached       the launch ran the command now | found it already claimed
//   r                        the launch waits for the command's stdin (then reads to EOF)
//   o <offset> <length>\n<length bytes of out>
//   e <offset> <length>\n<length bytes of err>
//   x <exit record line>     finished; every byte up to the final sizes was sent before it
//   u <reason>               no outcome can be known (missing, rebooted, wrapper-died, not-launched)
//   f <reason>               the launch could not start anything (nothing ran)
//
// The files stay open on fds 3 and 4; dd reads exact lengths from them (regular files never give
// short reads), so the shared file offset is the cursor and no byte is sent twice. Sizes come
// from `ls -ln` (POSIX; `wc -c` reads whole files on busybox), taken only for non-empty files.
// Between looks the loop naps 50 ms growing to 200 ms (whole seconds where sleep takes no
// fractions); the runner's USR1 cuts a nap short when the command ends, so short commands end at
// once and idle ones cost little. A slow reader blocks dd on the channel: SSH flow control is the
// back-pressure.
export const STREAM_FUNCTIONS = `
fr_wake=
trap 'fr_wake=1' USR1
fr_size() {
  set -- $(LC_ALL=C ls -ln "$1" 2>/dev/null)
  fr_sz=\${5:-0}
}
fr_copy() {
  fr_q=$(($2 / 1048576)) fr_r=$(($2 % 1048576))
  if [ "$1" = 3 ]; then
    [ "$fr_q" -gt 0 ] && dd bs=1048576 count="$fr_q" <&3 2>/dev/null
    [ "$fr_r" -gt 0 ] && dd bs="$fr_r" count=1 <&3 2>/dev/null
  else
    [ "$fr_q" -gt 0 ] && dd bs=1048576 count="$fr_q" <&4 2>/dev/null
    [ "$fr_r" -gt 0 ] && dd bs="$fr_r" count=1 <&4 2>/dev/null
  fi
  :
}
fr_seek() {
  fr_q=$(($2 / 1048576)) fr_r=$(($2 % 1048576))
  if [ "$1" = 3 ]; then
    [ "$fr_q" -gt 0 ] && dd bs=1048576 skip="$fr_q" count=0 <&3 2>/dev/null
    [ "$fr_r" -gt 0 ] && dd bs="$fr_r" skip=1 count=0 <&3 2>/dev/null
  else
    [ "$fr_q" -gt 0 ] && dd bs=1048576 skip="$fr_q" count=0 <&4 2>/dev/null
    [ "$fr_r" -gt 0 ] && dd bs="$fr_r" skip=1 count=0 <&4 2>/dev/null
  fi
  :
}
fr_send() {
  fr_at=$fr_o
  [ "$1" = 4 ] && fr_at=$fr_e
  # an empty file needs no ls: most commands never write to stderr
  [ "$fr_at" = 0 ] && [ ! -s "$fr_d/$2" ] && return 1
  fr_size "$fr_d/$2"
  [ "$fr_sz" -gt "$fr_at" ] || return 1
  fr_n=$((fr_sz - fr_at))
  # While the command runs, cap a frame so the other stream is not starved behind it.
  [ -z "$fr_fin" ] && [ "$fr_n" -gt 8388608 ] && fr_n=8388608 fr_more=1
  printf '%s %s %s\\n' "$3" "$fr_at" "$fr_n"
  fr_copy "$1" "$fr_n"
  if [ "$1" = 3 ]; then fr_o=$((fr_at + fr_n)); else fr_e=$((fr_at + fr_n)); fi
  return 0
}
fr_stream() {
  fr_o=$1 fr_e=$2
  if [ ! -d "$fr_d" ]; then printf 'u missing\\n'; return 0; fi
  if [ ! -s "$fr_d/exit" ]; then
    fr_b= fr_nb=
    [ -s "$fr_d/boot" ] && read -r fr_b <"$fr_d/boot"
    [ -r /proc/sys/kernel/random/boot_id ] && read -r fr_nb </proc/sys/kernel/random/boot_id
    if [ -n "$fr_b" ] && [ "$fr_b" != "$fr_nb" ]; then printf 'u rebooted\\n'; return 0; fi
  fi
  # The directory is the claim; a launch that claimed it a moment ago may not have created its
  # output files yet (two starts of one id at once): wait for them rather than call it missing.
  fr_w=0
  while [ ! -f "$fr_d/out" ] || [ ! -f "$fr_d/err" ]; do
    fr_w=$((fr_w + 1))
    [ "$fr_w" -gt 100 ] && { printf 'u not-launched\\n'; return 0; }
    sleep 0.05
  done
  exec 3<"$fr_d/out" 4<"$fr_d/err"
  fr_seek 3 "$fr_o"
  fr_seek 4 "$fr_e"
  fr_p= fr_nap=0 fr_idle=0 fr_whole=
  while :; do
    fr_fin=
    [ -s "$fr_d/exit" ] && fr_fin=1
    fr_moved= fr_more=
    fr_send 3 out o && fr_moved=1
    fr_send 4 err e && fr_moved=1
    if [ -n "$fr_fin" ]; then
      IFS= read -r fr_x <"$fr_d/exit"
      printf 'x %s\\n' "$fr_x"
      return 0
    fi
    # Right on only when a frame was cut short; otherwise nap briefly (another ls costs as much).
    [ -n "$fr_more" ] && continue
    [ -n "$fr_moved" ] && fr_nap=0
    [ -z "$fr_p" ] && [ -s "$fr_d/runner" ] && read -r fr_p <"$fr_d/runner"
    if [ -n "$fr_p" ]; then
      if ! kill -0 "$fr_p" 2>/dev/null; then
        [ -s "$fr_d/exit" ] && continue
        printf 'u wrapper-died\\n'
        return 0
      fi
    else
      # A launch cut off between its claim and starting the runner leaves a directory and no
      # runner; it never ran anything.
      fr_idle=$((fr_idle + 1))
      [ "$fr_idle" -gt 60 ] && { printf 'u not-launched\\n'; return 0; }
    fi
    case $fr_nap in
      0) fr_nap=0.05 ;;
      0.05) fr_nap=0.1 ;;
      *) fr_nap=0.2 ;;
    esac
    [ -n "$fr_whole" ] && fr_nap=1
    # The runner's USR1 (see runner.sh) interrupts the wait: no nap outlasts the command, so naps
    # only bound how late live output shows.
    if [ -z "$fr_wake" ]; then
      sleep "$fr_nap" 2>/dev/null &
      fr_sp=$!
      wait "$fr_sp"
      fr_ws=$?
      if [ -n "$fr_wake" ]; then kill "$fr_sp" 2>/dev/null; elif [ "$fr_ws" != 0 ]; then fr_whole=1; fi
    fi
    fr_wake=
  done
}
`;
