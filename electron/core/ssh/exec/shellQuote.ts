// POSIX shell quoting for values we place into scripts that a remote /bin/sh reads on stdin.
// Single quotes keep every byte literal except the quote itself, which is closed, escaped and
// reopened; this holds for dash, busybox ash, bash and ksh alike.
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
