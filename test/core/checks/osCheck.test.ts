import { describe, expect, it } from 'vitest';
import { unquoteOsRelease } from '../../../electron/core/checks/osCheck';
import { judged, ran } from './support';

const osRelease = (text: string) => ran(text.trim().split('\n').map((l) => `os.${l}`).join('\n') + '\n');
// Recorded on a Debian 12 lab host (its /etc/os-release, with the lab's marker line).
const DEBIAN = osRelease(`
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
FIELDRUN_TEST_HOST=web1
`);
// Ubuntu 22.04 and Rocky Linux 9.3 as their /etc/os-release files read (os-release(5) format).
const UBUNTU = osRelease(`
PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
ID=ubuntu
ID_LIKE=debian
`);
const ROCKY = osRelease(`
NAME="Rocky Linux"
VERSION="9.3 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
`);
const DEBIAN_TESTING = osRelease(`
PRETTY_NAME="Debian GNU/Linux trixie/sid"
ID=debian
`);

describe('os check: judge', () => {
  it('compares the distribution ID and VERSION_ID', () => {
    expect(judged({ type: 'os', distribution: 'debian', version: '>= 12' }, DEBIAN)).toMatchObject({ status: 'pass', summary: 'os: debian 12, expected debian >= 12' });
    expect(judged({ type: 'os', distribution: 'debian', version: '>= 11, < 12' }, DEBIAN).summary).toBe('os: expected debian >= 11, < 12, found debian 12');
    expect(judged({ type: 'os', distribution: 'ubuntu', version: '>= 20.04' }, UBUNTU).status).toBe('pass');
    expect(judged({ type: 'os', distribution: 'ubuntu', version: '>= 24.04' }, UBUNTU).status).toBe('fail');
    expect(judged({ type: 'os', distribution: 'rocky', version: '>= 9' }, ROCKY).status).toBe('pass');
  });

  it('does not count ID_LIKE as the distribution, but shows it', () => {
    const verdict = judged({ type: 'os', distribution: 'rhel' }, ROCKY);
    expect(verdict).toMatchObject({ status: 'fail', summary: 'os: expected rhel, found rocky 9.3' });
    expect(verdict.found).toBe('rocky 9.3 (like rhel centos fedora): Rocky Linux 9.3 (Blue Onyx)');
  });

  it('fails a version constraint where os-release has no VERSION_ID', () => {
    expect(judged({ type: 'os', distribution: 'debian', version: '>= 12' }, DEBIAN_TESTING).summary).toBe('os: expected debian >= 12, found debian without VERSION_ID');
    expect(judged({ type: 'os', distribution: 'debian' }, DEBIAN_TESTING).status).toBe('pass');
  });

  it('unquotes os-release values', () => {
    expect(unquoteOsRelease('"Debian GNU/Linux"')).toBe('Debian GNU/Linux');
    expect(unquoteOsRelease("'x'")).toBe('x');
    expect(unquoteOsRelease('"say \\"hi\\" \\$x"')).toBe('say "hi" $x');
    expect(unquoteOsRelease('bookworm')).toBe('bookworm');
  });
});
