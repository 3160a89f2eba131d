import { describe, expect, it } from 'vitest';
import { judged, ran } from './support';

// `systemctl show -p LoadState -p ActiveState -p SubState -p UnitFileState <unit>` prints one
// Key=Value line per property in the order of the D-Bus Unit interface (systemctl(1), "show";
// systemd's bus_print_property). The fixtures follow that format for systemd 252 (Debian 12) in
// the states the man page lists: a running enabled unit, a stopped disabled one, a failed one, a
// masked one, and an unknown name (LoadState=not-found). systemd is not on the test hosts, so
// these are written from the documented format rather than recorded there; the prefix `unit.` is
// what the check script adds.
const show = (lines: string[]) => ran(`${lines.map((l) => `unit.${l}`).join('\n')}\n`);
const NGINX_RUNNING = show(['LoadState=loaded', 'ActiveState=active', 'SubState=running', 'UnitFileState=enabled']);
const NGINX_STOPPED = show(['LoadState=loaded', 'ActiveState=inactive', 'SubState=dead', 'UnitFileState=disabled']);
const NGINX_FAILED = show(['LoadState=loaded', 'ActiveState=failed', 'SubState=failed', 'UnitFileState=enabled']);
const MASKED = show(['LoadState=masked', 'ActiveState=inactive', 'SubState=dead', 'UnitFileState=masked']);
const UNKNOWN = show(['LoadState=not-found', 'ActiveState=inactive', 'SubState=dead', 'UnitFileState=']);
const STATIC = show(['LoadState=loaded', 'ActiveState=active', 'SubState=exited', 'UnitFileState=static']);

describe('service check: judge', () => {
  it('passes an active (and enabled) service', () => {
    expect(judged({ type: 'service', name: 'nginx' }, NGINX_RUNNING)).toMatchObject({ status: 'pass', summary: 'service nginx active' });
    expect(judged({ type: 'service', name: 'nginx', enabled: true }, NGINX_RUNNING).summary).toBe('service nginx active and enabled');
    expect(judged({ type: 'service', name: 'systemd-remount-fs', enabled: true }, STATIC).status).toBe('pass');
  });

  it('says what it found when the state differs', () => {
    expect(judged({ type: 'service', name: 'nginx' }, NGINX_STOPPED)).toMatchObject({
      status: 'fail',
      summary: 'service nginx: expected active, found inactive (dead)',
    });
    expect(judged({ type: 'service', name: 'nginx', enabled: true }, NGINX_STOPPED).summary).toBe(
      'service nginx: expected active and enabled, found inactive (dead) and disabled',
    );
    expect(judged({ type: 'service', name: 'nginx' }, NGINX_FAILED).summary).toBe('service nginx: expected active, found failed');
    expect(judged({ type: 'service', name: 'nginx', active: false }, NGINX_STOPPED).status).toBe('pass');
    expect(judged({ type: 'service', name: 'nginx', active: false, enabled: false }, MASKED)).toMatchObject({ status: 'pass', found: 'masked, inactive (dead), masked' });
  });

  it('reports a unit that does not exist as such', () => {
    const verdict = judged({ type: 'service', name: 'ngnix' }, UNKNOWN);
    expect(verdict).toMatchObject({ status: 'fail', summary: 'service ngnix: expected active, found no such unit' });
    // systemctl omits empty properties unless asked for all; absence reads the same.
    expect(judged({ type: 'service', name: 'ngnix', enabled: true }, show(['LoadState=not-found', 'ActiveState=inactive', 'SubState=dead'])).found).toBe(
      'no such unit, inactive (dead), no unit file',
    );
  });

  it('is a clean error where systemctl is missing or systemd is not the init', () => {
    expect(judged({ type: 'service', name: 'nginx' }, ran('cannot=missing systemctl\n', 127)).summary).toBe('cannot check: systemctl not found on this host');
    expect(judged({ type: 'service', name: 'nginx' }, ran('cannot=unsupported systemd is not running on this host (PID 1 is bash)\n', 125)).summary).toBe(
      'cannot check: systemd is not running on this host (PID 1 is bash)',
    );
    // systemctl's own words when the bus is not there (recorded on this Debian 12 machine, whose PID 1 is not systemd).
    const noBus = ran("cannot=failed System has not been booted with systemd as init system (PID 1). Can't operate. Failed to connect to bus: Host is down\n", 125);
    expect(judged({ type: 'service', name: 'nginx' }, noBus)).toMatchObject({ status: 'error', expected: 'active' });
  });
});
