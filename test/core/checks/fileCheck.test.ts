import { describe, expect, it } from 'vitest';
import { modeFromLs, parseLsLong, parseStatLine } from '../../../electron/core/checks/fileFacts';
import { judged, ran } from './support';

// Fixtures recorded from the compiled file script on a Debian 12 lab host (coreutils 9.1 stat;
// the ls lines with stat hidden from PATH, as on a host whose stat lacks -c).
const OS_RELEASE_STAT = ran(
  'stat=81a4 0 0 root root 291\nexists=yes\nsha256=86abcb640e90a0fb70c1087fb3ac8ec6363f836050400b3ca832713770a697f2\ncontains=yes\n',
);
const OS_RELEASE_LS = ran(
  'lsn=-rw-r--r-- 1 0 0 291 Nov 26 07:24 /etc/os-release\nls=-rw-r--r-- 1 root root 291 Nov 26 07:24 /etc/os-release\nexists=yes\n',
);
const TMP_LS = ran('lsn=drwxrwxrwt 5 0 0 4096 Nov 26 07:24 /tmp\nls=drwxrwxrwt 5 root root 4096 Nov 26 07:24 /tmp\nexists=yes\n');
const ABSENT = ran('exists=no\n');
// The same script on /etc/shadow as the unprivileged lab user: metadata yes, content no.
const SHADOW = ran('stat=81a0 0 0 root root 785\nexists=yes\ncannot=denied cannot read /etc/shadow\n', 126);

const SHA = '86abcb640e90a0fb70c1087fb3ac8ec6363f836050400b3ca832713770a697f2';

describe('file check: judge', () => {
  it('passes a file with the expected mode, owner, digest and text', () => {
    const verdict = judged({ type: 'file', path: '/etc/os-release', kind: 'file', mode: '0644', owner: 'root', group: '0', sha256: SHA, contains: 'debian' }, OS_RELEASE_STAT);
    expect(verdict.status).toBe('pass');
    expect(verdict.found).toBe('a file, mode 0644, owner root, group root, sha256 86abcb640e90…, containing "debian"');
  });

  it('names each property that differs', () => {
    const verdict = judged({ type: 'file', path: '/etc/os-release', mode: '0600', owner: 'shop', sha256: 'b'.repeat(64) }, OS_RELEASE_STAT);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe('/etc/os-release: expected mode 0600, owner shop, sha256 bbbbbbbbbbbb…, found mode 0644, owner root, sha256 86abcb640e90…');
  });

  it('reads the ls fallback the same way, setuid and sticky bits included', () => {
    expect(judged({ type: 'file', path: '/etc/os-release', mode: '644', owner: 'root', group: 'root' }, OS_RELEASE_LS).status).toBe('pass');
    expect(judged({ type: 'file', path: '/tmp', kind: 'directory', mode: '1777', owner: '0' }, TMP_LS).status).toBe('pass');
    const notFile = judged({ type: 'file', path: '/tmp', kind: 'file' }, TMP_LS);
    expect(notFile.summary).toBe('/tmp: expected a file, found a directory');
  });

  it('tells absent from present in both directions', () => {
    expect(judged({ type: 'file', path: '/nonexistent/x' }, ABSENT)).toMatchObject({ status: 'fail', summary: '/nonexistent/x: expected to exist, found nothing there' });
    expect(judged({ type: 'file', path: '/nonexistent/x', exists: false }, ABSENT).status).toBe('pass');
    expect(judged({ type: 'file', path: '/etc/os-release', exists: false }, OS_RELEASE_STAT).summary).toBe('/etc/os-release: expected absent, found a file');
    expect(judged({ type: 'file', path: '/etc/x' }, ran('dangling=yes\nexists=no\n')).found).toBe('a symbolic link to nothing');
  });

  it('is an error, not a failure, when the file cannot be read', () => {
    const verdict = judged({ type: 'file', path: '/etc/shadow', sha256: 'a'.repeat(64) }, SHADOW);
    expect(verdict).toMatchObject({ status: 'error', summary: 'cannot check: permission denied: cannot read /etc/shadow' });
    expect(judged({ type: 'file', path: '/x', sha256: 'a'.repeat(64) }, ran('stat=81a4 0 0 root root 1\nexists=yes\ncannot=missing sha256sum (or shasum, openssl)\n', 127)).summary).toBe(
      'cannot check: sha256sum (or shasum, openssl) not found on this host',
    );
  });

  it('is an error when the script never ran or was cut short', () => {
    expect(judged({ type: 'file', path: '/x' }, { exitCode: 127, stdout: '', stderr: 'bash: line 1: /bin/sh: No such file or directory\n' })).toMatchObject({
      status: 'error',
      summary: 'cannot check: bash: line 1: /bin/sh: No such file or directory (exit status 127)',
    });
    expect(judged({ type: 'file', path: '/x' }, { exitCode: null, stdout: 'fieldrun-check=1\n', stderr: '' }).status).toBe('error');
  });
});

describe('file facts', () => {
  it('decodes stat raw modes and ls mode strings', () => {
    expect(parseStatLine('41ed 0 0 root root 4096')).toMatchObject({ kind: 'directory', mode: 0o755 });
    expect(parseStatLine('a1ff 0 0 root root 7')).toMatchObject({ kind: 'symlink', mode: 0o777 });
    expect(parseStatLine('81ed 4242 4242 UNKNOWN UNKNOWN 10')).toMatchObject({ mode: 0o755, user: undefined, uid: 4242 });
    expect(modeFromLs('-rwsr-xr-x')).toBe(0o4755);
    expect(modeFromLs('-rwxr-sr-x')).toBe(0o2755);
    expect(modeFromLs('drwxrwxrwT')).toBe(0o1776);
    expect(modeFromLs('-rw-r--r--.')).toBe(0o644);
    expect(parseLsLong('lrwxrwxrwx 1 0 0 33 Jan 1 2024 /etc/localtime -> /usr/share/zoneinfo/Etc/UTC', undefined)).toMatchObject({ kind: 'symlink', user: undefined });
  });
});
