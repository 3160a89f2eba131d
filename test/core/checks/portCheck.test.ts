import { describe, expect, it } from 'vitest';
import { decodeProcAddress } from '../../../electron/core/checks/portCheck';
import { judged, ran } from './support';

// Recorded on Debian 12 (iproute2 6.1): sshd on 0.0.0.0:22; python sockets on [::]:5432 (dual
// stack, which ss shows as *), [::1]:8080 and udp 127.0.0.53:53. The header line is what an ss
// without -H prints.
const SS_TCP = ran(
  [
    'source=ss',
    'ss=LISTEN 0      128    0.0.0.0:22 0.0.0.0:*',
    'ss=LISTEN 0      128      [::1]:8080    [::]:*',
    'ss=LISTEN 0      128          *:5432       *:*',
    '',
  ].join('\n'),
);
const SS_UDP_WITH_HEADER = ran(
  ['source=ss', 'ss=State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess', 'ss=UNCONN 0      0         127.0.0.53:53        0.0.0.0:*          ', ''].join('\n'),
);
const SS_NOTHING = ran('source=ss\nss=\n');
// The same sockets read from /proc/net/tcp{,6} (ss hidden from PATH): hex address:port.
const PROC = ran('source=proc\nproc=00000000:0016\nproc=00000000000000000000000001000000:1F90\nproc=00000000000000000000000000000000:1538\n');

describe('port check: judge', () => {
  it('passes a listening port and names its addresses', () => {
    expect(judged({ type: 'port', port: 22 }, SS_TCP)).toMatchObject({ status: 'pass', summary: 'port 22/tcp listening (0.0.0.0)' });
    expect(judged({ type: 'port', port: 8080 }, SS_TCP).found).toBe('listening on ::1');
    expect(judged({ type: 'port', port: 5432 }, SS_TCP).found).toBe('listening on *');
    expect(judged({ type: 'port', port: 53, protocol: 'udp' }, SS_UDP_WITH_HEADER).status).toBe('pass');
  });

  it('fails a port nobody listens on, and a port that must stay closed', () => {
    expect(judged({ type: 'port', port: 5433 }, SS_TCP)).toMatchObject({
      status: 'fail',
      summary: 'port 5433/tcp: expected listening, found nothing listening',
    });
    expect(judged({ type: 'port', port: 22 }, SS_NOTHING).status).toBe('fail');
    expect(judged({ type: 'port', port: 8080, listening: false }, SS_TCP).summary).toBe('port 8080/tcp: expected nothing listening, found listening on ::1');
    expect(judged({ type: 'port', port: 23, listening: false }, SS_TCP).status).toBe('pass');
  });

  it('reads /proc/net when ss is missing, with the same verdicts', () => {
    expect(judged({ type: 'port', port: 22 }, PROC)).toMatchObject({ status: 'pass', found: 'listening on 0.0.0.0' });
    expect(judged({ type: 'port', port: 8080 }, PROC).found).toBe('listening on ::1');
    expect(judged({ type: 'port', port: 5432 }, PROC).found).toBe('listening on ::');
    expect(judged({ type: 'port', port: 5433 }, PROC).status).toBe('fail');
  });

  it('is an error when neither ss nor /proc/net can be read', () => {
    expect(judged({ type: 'port', port: 22 }, ran('cannot=missing ss (and no /proc/net/tcp to read)\n', 127)).summary).toBe(
      'cannot check: ss (and no /proc/net/tcp to read) not found on this host',
    );
  });

  it('decodes /proc/net addresses', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('3500007F')).toBe('127.0.0.53');
    expect(decodeProcAddress('00000000000000000000000001000000')).toBe('::1');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toBe('::ffff:7f00:1');
    expect(decodeProcAddress('B80D0120000000000000000001000000')).toBe('2001:db8::1');
  });
});
