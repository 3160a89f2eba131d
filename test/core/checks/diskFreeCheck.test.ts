import { describe, expect, it } from 'vitest';
import { parseDfLine } from '../../../electron/core/checks/diskFreeCheck';
import { judged, ran } from './support';

// Recorded on a Debian 12 lab host: `df -P -k` of /opt (its nearest existing parent, as /opt/shop
// did not exist yet).
const OPT_SHOP = ran('measured=/opt\ndf=/dev/vda         264212084 24078816  82312096      23% /opt\n');
const OPT = ran('df=/dev/vda         264212084 24078816  82312096      23% /opt\n');
// df -P output with a space in the device and in the mount point (an NFS export and an automounted
// folder), which a column count by position would misread.
const SPACES = ran('df=nas:/exports/field data 1048576 1000000 48576 96% /mnt/field data\n');

describe('disk-free check: judge', () => {
  it('passes with room to spare and says where it measured', () => {
    const verdict = judged({ type: 'disk-free', path: '/opt/shop', minFree: '20GiB' }, OPT_SHOP);
    expect(verdict.status).toBe('pass');
    expect(verdict.found).toBe('78.4 GiB free (77.3%) (measured on /opt: /opt/shop does not exist yet)');
  });

  it('fails in the words of the report', () => {
    expect(judged({ type: 'disk-free', path: '/opt', minFree: '100GiB' }, OPT)).toMatchObject({
      status: 'fail',
      expected: '≥ 100 GiB free on /opt',
      summary: 'expected ≥ 100 GiB free on /opt, found 78.4 GiB',
    });
    expect(judged({ type: 'disk-free', path: '/opt/shop', minFree: '100GiB' }, OPT_SHOP).summary).toBe(
      'expected ≥ 100 GiB free on /opt/shop, found 78.4 GiB (measured on /opt: /opt/shop does not exist yet)',
    );
    expect(judged({ type: 'disk-free', path: '/mnt/field data', minPercent: 10 }, SPACES).summary).toBe('expected ≥ 10% free on /mnt/field data, found 4.6%');
    expect(judged({ type: 'disk-free', path: '/mnt/field data', minFree: '40MiB', minPercent: 1 }, SPACES).status).toBe('pass');
  });

  it('never rounds a shortfall up to the minimum', () => {
    // 20 GiB minus 1 MiB free: shown as 19.9 GiB, not 20 GiB.
    const kib = 20 * 1024 * 1024 - 1024;
    const verdict = judged({ type: 'disk-free', path: '/srv', minFree: '20GiB' }, ran(`df=/dev/sdb1 41943040 ${41943040 - kib} ${kib} 50% /srv\n`));
    expect(verdict.summary).toBe('expected ≥ 20 GiB free on /srv, found 19.9 GiB');
  });

  it('parses df -P lines', () => {
    expect(parseDfLine('/dev/vda         264212084 24078816  82312096      23% /opt')).toEqual({ usedKiB: 24078816, availableKiB: 82312096, mountPoint: '/opt' });
    expect(parseDfLine('Filesystem     1024-blocks     Used Available Capacity Mounted on')).toBeUndefined();
  });
});
