// What `stat -c '%f %u %g %U %G %s'` or `ls -ldn` says about a path, as data.

export interface FileFacts {
  kind: 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'char-device' | 'block-device' | 'unknown';
  /** Permission bits with setuid, setgid and sticky: 0o4755. */
  mode: number;
  uid: number;
  gid: number;
  /** Names where the host has them (stat prints UNKNOWN for an id without a name). */
  user: string | undefined;
  group: string | undefined;
}

const TYPE_BITS: Record<number, FileFacts['kind']> = {
  0o100000: 'file',
  0o040000: 'directory',
  0o120000: 'symlink',
  0o010000: 'fifo',
  0o140000: 'socket',
  0o020000: 'char-device',
  0o060000: 'block-device',
};

const named = (name: string | undefined): string | undefined => (name === undefined || name === 'UNKNOWN' ? undefined : name);

/** '81a4 0 0 root root 1234' (raw mode in hex, uid, gid, user, group, size). */
export function parseStatLine(line: string): FileFacts | undefined {
  const [hex, uid, gid, user, group] = line.trim().split(/\s+/);
  if (hex === undefined || !/^[0-9a-f]+$/i.test(hex) || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) return undefined;
  const raw = parseInt(hex, 16);
  return { kind: TYPE_BITS[raw & 0o170000] ?? 'unknown', mode: raw & 0o7777, uid: Number(uid), gid: Number(gid), user: named(user), group: named(group) };
}

const LS_KINDS: Record<string, FileFacts['kind']> = { '-': 'file', d: 'directory', l: 'symlink', p: 'fifo', s: 'socket', c: 'char-device', b: 'block-device' };

/** '-rwsr-xr-x' -> 0o4755 (ACL '+' and SELinux '.' markers ignored). */
export function modeFromLs(text: string): number | undefined {
  if (!/^[-dlpscbD?][-rwxsStT]{9}[.+@]?$/.test(text)) return undefined;
  let mode = 0;
  const triplets: Array<[string, number, string, number]> = [
    [text.slice(1, 4), 6, 's', 0o4000],
    [text.slice(4, 7), 3, 's', 0o2000],
    [text.slice(7, 10), 0, 't', 0o1000],
  ];
  for (const [t, shift, special, bit] of triplets) {
    if (t[0] === 'r') mode |= 4 << shift;
    if (t[1] === 'w') mode |= 2 << shift;
    const x = t[2]!;
    if (x === 'x' || x === special) mode |= 1 << shift;
    if (x === special || x === special.toUpperCase()) mode |= bit;
  }
  return mode;
}

/** `ls -ldn` (numeric ids) and, when it worked, `ls -ld` (names) of the same path. */
export function parseLsLong(numeric: string, names: string | undefined): FileFacts | undefined {
  const fields = numeric.trim().split(/\s+/);
  const mode = modeFromLs(fields[0] ?? '');
  if (mode === undefined || !/^\d+$/.test(fields[2] ?? '') || !/^\d+$/.test(fields[3] ?? '')) return undefined;
  const nameFields = names?.trim().split(/\s+/) ?? [];
  return {
    kind: LS_KINDS[fields[0]![0]!] ?? 'unknown',
    mode,
    uid: Number(fields[2]),
    gid: Number(fields[3]),
    user: nameFields[2],
    group: nameFields[3],
  };
}
