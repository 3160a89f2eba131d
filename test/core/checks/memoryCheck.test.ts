import { describe, expect, it } from 'vitest';
import { judged, ran } from './support';

// Recorded on a Debian 12 lab host (Linux 6.x), /proc/meminfo lines the script keeps.
const MEMINFO = ran(
  'meminfo=MemTotal:       24684092 kB\nmeminfo=MemFree:        23264300 kB\nmeminfo=MemAvailable:   24092580 kB\nmeminfo=Buffers:           22592 kB\nmeminfo=Cached:           941384 kB\n',
);
// A kernel before 3.14 has no MemAvailable line (proc(5)); the same machine's other lines.
const OLD_KERNEL = ran('meminfo=MemTotal:       24684092 kB\nmeminfo=MemFree:        1048576 kB\nmeminfo=Buffers:           22592 kB\nmeminfo=Cached:           941384 kB\n');

describe('memory check: judge', () => {
  it('compares MemAvailable with the minimum', () => {
    expect(judged({ type: 'memory', minAvailable: '2GiB' }, MEMINFO)).toMatchObject({ status: 'pass', found: '22.9 GiB available of 23.5 GiB' });
    expect(judged({ type: 'memory', minAvailable: '32GiB' }, MEMINFO)).toMatchObject({
      status: 'fail',
      summary: 'memory: expected ≥ 32 GiB available memory, found 22.9 GiB',
    });
    expect(judged({ type: 'memory', minAvailable: '512MiB' }, MEMINFO).found).toBe('22.9 GiB available of 23.5 GiB');
  });

  it('estimates on kernels without MemAvailable and says so', () => {
    const verdict = judged({ type: 'memory', minAvailable: '4GiB' }, OLD_KERNEL);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe('memory: expected ≥ 4 GiB available memory, found 1.9 GiB (estimated)');
  });

  it('is an error without /proc/meminfo', () => {
    expect(judged({ type: 'memory', minAvailable: '1GiB' }, ran('cannot=unsupported this host has no /proc/meminfo (not Linux?)\n', 125)).status).toBe('error');
  });
});
