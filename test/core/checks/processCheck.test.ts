import { describe, expect, it } from 'vitest';
import { commName } from '../../../electron/core/checks/processCheck';
import { evidenceOf } from '../../../electron/core/checks';
import { checkOf, judged, ran } from './support';

// Recorded on a Debian 12 lab host (procps 4.0.2): the by-name script lists pids whose
// /proc/<pid>/comm matches; `self` lines are the check's own shells.
const SSHD_BY_NAME = ran('self=10610\nself=10611\npid=10481\npid=10494\npid=10500\ndone=yes\n');
const NONE_BY_NAME = ran('self=10610\nself=10611\ndone=yes\n');
// `ps -ww -e -o pid= -o args=` lines as recorded there (shortened to a few processes); one has a
// password on its command line, as real servers do.
const PS = ran(
  [
    'self=10613',
    'self=10614',
    'ps=    1 /sbin/init',
    'ps=    2 [kthreadd]',
    'ps=  812 /usr/sbin/sshd -D',
    'ps=  990 /usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf',
    'ps= 1203 java -Xmx2g -jar /opt/shop/shop.jar --server.port=8080',
    'ps= 1250 mysqldump -uroot -pHunter2 shop',
    'ps=10613 /bin/sh -s',
    'ps=10614 /bin/sh -s',
    'ps=10615 ps -ww -e -o pid= -o args=',
    'done=yes',
    '',
  ].join('\n'),
);

describe('process check: judge', () => {
  it('counts processes by exact name, leaving out its own shell', () => {
    expect(judged({ type: 'process', name: 'sshd' }, SSHD_BY_NAME)).toMatchObject({ status: 'pass', found: '3 running (pid 10481, 10494, 10500)' });
    expect(judged({ type: 'process', name: 'sshd', minCount: 4 }, SSHD_BY_NAME)).toMatchObject({
      status: 'fail',
      summary: 'process sshd: expected at least 4 running, found 3 running (pid 10481, 10494, 10500)',
    });
    expect(judged({ type: 'process', name: 'sh' }, ran('self=10610\nself=10611\npid=10610\npid=10611\ndone=yes\n')).status).toBe('fail');
    expect(judged({ type: 'process', name: 'nginx' }, NONE_BY_NAME).summary).toBe('process nginx: expected running, found none running');
    expect(judged({ type: 'process', name: 'nginx', running: false }, NONE_BY_NAME).status).toBe('pass');
  });

  it('matches a JavaScript pattern against full command lines', () => {
    expect(judged({ type: 'process', pattern: 'shop\\.jar' }, PS)).toMatchObject({ status: 'pass', found: '1 running (pid 1203)' });
    expect(judged({ type: 'process', pattern: 'postgres.*15/main' }, PS).status).toBe('pass');
    const stray = judged({ type: 'process', pattern: '^java .*shop', running: false }, PS);
    expect(stray.status).toBe('fail');
    expect(stray.summary).toContain('e.g. "java -Xmx2g -jar /opt/shop/shop.jar --server.port=8080"');
    // The check's own ps and shells never count.
    expect(judged({ type: 'process', pattern: '^ps ', running: false }, PS).status).toBe('pass');
    expect(judged({ type: 'process', pattern: '/bin/sh -s', running: false }, PS).status).toBe('pass');
  });

  it('keeps only the matching command lines as evidence', () => {
    const evidence = evidenceOf(checkOf({ type: 'process', pattern: 'shop\\.jar' }), PS.stdout);
    expect(evidence).toContain('ps= 1203 java');
    expect(evidence).not.toContain('Hunter2');
    expect(evidence).toContain('omitted=8 non-matching processes');
    expect(evidenceOf(checkOf({ type: 'process', name: 'sshd' }), SSHD_BY_NAME.stdout)).toBe(SSHD_BY_NAME.stdout);
  });

  it('is an error without ps', () => {
    expect(judged({ type: 'process', pattern: 'x' }, ran('cannot=missing ps\n', 127)).status).toBe('error');
  });

  it('compares names as the kernel keeps them: 15 bytes', () => {
    expect(commName('systemd-journald')).toBe('systemd-journal');
    expect(commName('nginx')).toBe('nginx');
  });
});
