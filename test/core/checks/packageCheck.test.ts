import { describe, expect, it } from 'vitest';
import { judged, ran } from './support';

// dpkg: recorded on the Debian 12 lab hosts (dpkg-query -W with the check's --showformat, tab-separated).
const OPENSSH = ran('manager=dpkg\ndpkg=openssh-server\tinstall ok installed\t1:9.2p1-2+deb12u10\tamd64\ndone=yes\n');
const ABSENT_DPKG = ran('manager=dpkg\ndone=yes\n');
// A package removed but not purged, and one whose configure step failed: dpkg-query prints the
// status triplet want/error/status as in dpkg-query(1), "Status".
const CONFIG_ONLY = ran('manager=dpkg\ndpkg=nginx\tdeinstall ok config-files\t1.22.1-9\tamd64\ndone=yes\n');
const HALF = ran('manager=dpkg\ndpkg=nginx\tinstall ok half-configured\t1.22.1-9\tamd64\ndone=yes\n');
const MULTIARCH = ran('manager=dpkg\ndpkg=libc6\tinstall ok installed\t2.36-9+deb12u14\tamd64\ndpkg=libc6\tinstall ok installed\t2.36-9+deb12u14\ti386\ndone=yes\n');
// rpm: the check's --queryformat '%{NAME}\t%|EPOCH?{%{EPOCH}}:{}|\t%{VERSION}\t%{RELEASE}\t%{ARCH}\n'
// gives tab-separated fields with an empty epoch when the header has none; the values are those
// Rocky Linux 9 ships (openssl-1:3.0.7-27.el9, bash-5.1.8-9.el9) and two kernels installed side
// by side, as dnf keeps them. rpm is not on the test hosts.
const OPENSSL_RPM = ran('manager=rpm\nrpm=openssl\t1\t3.0.7\t27.el9\tx86_64\ndone=yes\n');
const BASH_RPM = ran('manager=rpm\nrpm=bash\t\t5.1.8\t9.el9\tx86_64\ndone=yes\n');
const KERNELS = ran('manager=rpm\nrpm=kernel\t\t5.14.0\t362.8.1.el9_3\tx86_64\nrpm=kernel\t\t5.14.0\t427.13.1.el9_4\tx86_64\ndone=yes\n');
const ABSENT_RPM = ran('manager=rpm\ndone=yes\n');

describe('package check: judge', () => {
  it('passes an installed package meeting the constraint, in dpkg ordering', () => {
    expect(judged({ type: 'package', name: 'openssh-server', version: '>= 1:9.0' }, OPENSSH)).toMatchObject({
      status: 'pass',
      summary: 'package openssh-server installed: 1:9.2p1-2+deb12u10 (amd64) (>= 1:9.0)',
    });
    // Without the epoch 1:, 9.2p1 is not newer than 10.0; with it, any 1: version is newer than 0:.
    expect(judged({ type: 'package', name: 'openssh-server', version: '>= 10.0' }, OPENSSH).status).toBe('pass');
    expect(judged({ type: 'package', name: 'openssh-server', version: '>= 1:9.2p1-2+deb12u11' }, OPENSSH)).toMatchObject({
      status: 'fail',
      summary: 'package openssh-server: expected version >= 1:9.2p1-2+deb12u11, found 1:9.2p1-2+deb12u10 (amd64)',
    });
    expect(judged({ type: 'package', name: 'openssh-server', version: '>= 1:9.2, < 1:10' }, OPENSSH).status).toBe('pass');
    expect(judged({ type: 'package', name: 'libc6', version: '= 2.36-9+deb12u14' }, MULTIARCH).found).toBe('installed: 2.36-9+deb12u14 (amd64), 2.36-9+deb12u14 (i386)');
  });

  it('treats removed (config files left) as not installed and a failed configure as not fully installed', () => {
    expect(judged({ type: 'package', name: 'nginx' }, ABSENT_DPKG)).toMatchObject({ status: 'fail', summary: 'package nginx: expected installed, found not installed' });
    expect(judged({ type: 'package', name: 'nginx' }, CONFIG_ONLY).status).toBe('fail');
    expect(judged({ type: 'package', name: 'nginx', installed: false }, CONFIG_ONLY).status).toBe('pass');
    expect(judged({ type: 'package', name: 'nginx' }, HALF).summary).toBe('package nginx: expected installed, found not fully installed: 1.22.1-9 (amd64) half-configured');
    expect(judged({ type: 'package', name: 'nginx', installed: false }, HALF).status).toBe('fail');
  });

  it('compares rpm versions as rpm does: epochs, and the release only when the constraint has one', () => {
    expect(judged({ type: 'package', name: 'openssl', version: '>= 3.0.7' }, OPENSSL_RPM).status).toBe('pass');
    expect(judged({ type: 'package', name: 'openssl', version: '= 1:3.0.7' }, OPENSSL_RPM).status).toBe('pass');
    expect(judged({ type: 'package', name: 'openssl', version: '>= 1:3.0.7-28.el9' }, OPENSSL_RPM).status).toBe('fail');
    expect(judged({ type: 'package', name: 'bash', version: '>= 5.1.8-9.el9' }, BASH_RPM).found).toBe('installed: 5.1.8-9.el9 (x86_64)');
    expect(judged({ type: 'package', name: 'bash', version: '>= 5.2' }, BASH_RPM).status).toBe('fail');
    // One of several installed instances meeting the constraint is enough.
    expect(judged({ type: 'package', name: 'kernel', version: '>= 5.14.0-400' }, KERNELS).status).toBe('pass');
    expect(judged({ type: 'package', name: 'nginx' }, ABSENT_RPM).status).toBe('fail');
  });

  it('is an error where no package manager can be asked', () => {
    expect(judged({ type: 'package', name: 'nginx' }, ran('cannot=missing dpkg-query or rpm\n', 127)).summary).toBe('cannot check: dpkg-query or rpm not found on this host');
  });
});
