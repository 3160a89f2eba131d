// Each fault helper has an effect a client can observe.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, type TestLab } from './index';
import { runSsh, spawnSsh } from './runSsh';

let lab: TestLab;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['solo', 'edge', { name: 'inner', behind: 'edge' }] });
});

afterAll(async () => {
  await lab?.stop();
});

/** Opens `count` TCP connections at once; how many complete their handshake within `ms`. */
async function tcpConnects(address: string, port: number, count: number, ms: number): Promise<number> {
  const attempts = Array.from(
    { length: count },
    () =>
      new Promise<boolean>((resolve) => {
        const s = connect({ host: address, port });
        const timer = setTimeout(() => {
          s.destroy();
          resolve(false);
        }, ms);
        s.once('connect', () => {
          clearTimeout(timer);
          s.destroy();
          resolve(true);
        });
        s.once('error', () => {
          clearTimeout(timer);
          resolve(false);
        });
      }),
  );
  return (await Promise.all(attempts)).filter(Boolean).length;
}

/** Time until the first bytes arrive, and from sending a line until more bytes arrive. */
async function bannerTimings(address: string, port: number): Promise<{ banner: number; roundTrip: number }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: address, port });
    const t0 = Date.now();
    let banner = -1;
    let sentAt = 0;
    s.on('data', () => {
      if (banner < 0) {
        banner = Date.now() - t0;
        sentAt = Date.now();
        // sshd sends its KEXINIT only after it has read the client's identification line.
        s.write('SSH-2.0-LabProbe\r\n');
      } else if (sentAt > 0) {
        const roundTrip = Date.now() - sentAt;
        sentAt = 0;
        s.destroy();
        resolve({ banner, roundTrip });
      }
    });
    s.once('error', reject);
  });
}

const waitFor = async (what: string, cond: () => Promise<boolean>, ms = 5000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('fault helpers', () => {
  it('linkDown makes a connection attempt time out; linkUp restores it', async () => {
    await lab.faults.linkDown('solo');
    const down = await runSsh(lab, 'solo', 'true', { args: ['-o', 'ConnectTimeout=2'] });
    expect(down.code).toBe(255);
    expect(down.stderr).toMatch(/timed out/);
    await lab.faults.linkUp('solo');
    expect((await runSsh(lab, 'solo', 'hostname')).stdout).toBe('solo\n');
  });

  it('packetLoss drops that share of packets, at random', async () => {
    const solo = lab.host('solo');
    await lab.faults.packetLoss('solo', 100);
    expect(await tcpConnects(solo.address, solo.port, 10, 300)).toBe(0);
    // 50 % each way: a handshake (SYN, then SYN-ACK) completes about a quarter of the time.
    await lab.faults.packetLoss('solo', 50);
    const some = await tcpConnects(solo.address, solo.port, 40, 400);
    expect(some).toBeGreaterThan(0);
    expect(some).toBeLessThan(30);
    await lab.faults.clearPacketLoss('solo');
    expect(await tcpConnects(solo.address, solo.port, 40, 400)).toBe(40);
  });

  it('rateLimit caps the bandwidth in both directions', async () => {
    const bytes = 60_000;
    await lab.faults.rateLimit('edge', 400);
    // 60 kB at 400 kbit/s takes 1.2 s each way.
    const down = await runSsh(lab, 'edge', `head -c ${bytes} /dev/zero`);
    expect(down.stdout.length).toBe(bytes);
    expect(down.ms).toBeGreaterThan(1000);
    const up = await runSsh(lab, 'edge', 'wc -c', { input: 'x'.repeat(bytes) });
    expect(up.stdout.trim()).toBe(String(bytes));
    expect(up.ms).toBeGreaterThan(1000);
    await lab.faults.clearRateLimit('edge');
    const free = await runSsh(lab, 'edge', `head -c ${bytes} /dev/zero`);
    expect(free.ms).toBeLessThan(down.ms / 2);
  });

  it('latencyProxy delays both directions', async () => {
    const edge = lab.host('edge');
    const direct = await bannerTimings(edge.address, edge.port);
    const proxy = await lab.faults.latencyProxy('edge', 150);
    try {
      const slow = await bannerTimings(proxy.address, proxy.port);
      expect(slow.banner).toBeGreaterThanOrEqual(140);
      expect(slow.roundTrip).toBeGreaterThanOrEqual(290);
      expect(direct.roundTrip).toBeLessThan(100);
    } finally {
      await proxy.close();
    }
    // A whole SSH session passes through it unharmed.
    const quick = await lab.faults.latencyProxy('edge', 10);
    const viaProxy = await runSsh(lab, 'edge', 'hostname', { args: ['-o', 'HostName=127.0.0.1', '-o', `Port=${quick.port}`] });
    expect(viaProxy.stdout).toBe('edge\n');
    await quick.close();
    await expect(lab.faults.latencyProxy('inner', 10)).rejects.toThrow(/only through 'edge'/);
  });

  it('killListener refuses new connections while an existing session lives on', async () => {
    const session = spawnSsh(lab, 'solo', 'sleep 1.5; echo alive');
    let out = '';
    session.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const ended = new Promise<number | null>((r) => session.once('close', (c) => r(c)));
    session.stdin!.end();
    await waitFor('the session', async () => (await lab.faults.countProcesses('solo', '^sleep 1\\.5$')) === 1);

    await lab.faults.killListener('solo');
    const refused = await runSsh(lab, 'solo', 'true');
    expect(refused.code).toBe(255);
    expect(refused.stderr).toMatch(/Connection refused/);
    expect(await ended).toBe(0);
    expect(out).toBe('alive\n');

    await lab.faults.startListener('solo');
    expect((await runSsh(lab, 'solo', 'echo back')).stdout).toBe('back\n');
  });

  it('killSessions ends running sessions but not the listener', async () => {
    const session = spawnSsh(lab, 'edge', 'sleep 30; echo finished');
    let out = '';
    session.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const ended = new Promise<number | null>((r) => session.once('close', (c) => r(c)));
    session.stdin!.end();
    await waitFor('the session', async () => (await lab.faults.countProcesses('edge', '^sleep 30$')) === 1);
    const t0 = Date.now();
    await lab.faults.killSessions('edge');
    expect(await ended).toBe(255);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(out).toBe('');
    expect((await runSsh(lab, 'edge', 'echo still-listening')).stdout).toBe('still-listening\n');
  });

  it('reboot kills every process and wipes /tmp, /run and ~/.fieldrun, keeping /opt', async () => {
    const solo = lab.host('solo');
    const prep = await runSsh(lab, 'solo', 'mkdir -p ~/.fieldrun/runs && echo 1 > ~/.fieldrun/runs/pid && echo t > /tmp/t && setsid -f sleep 123 </dev/null >/dev/null 2>&1 && echo ok');
    expect(prep.stdout).toBe('ok\n');
    mkdirSync(solo.pathOnHost('/opt/app'), { recursive: true });
    writeFileSync(solo.pathOnHost('/opt/app/version'), '7\n');
    // `setsid -f` returns once it forked: the child may not have become `sleep` yet.
    const started = Date.now();
    while ((await lab.faults.countProcesses('solo', '^sleep 123$')) === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(await lab.faults.countProcesses('solo', '^sleep 123$')).toBe(1);
    expect(await lab.faults.countProcesses('edge', '^sleep 123$')).toBe(0);

    await lab.faults.reboot('solo');
    expect(await lab.faults.countProcesses('solo', '^sleep 123$')).toBe(0);
    expect(existsSync(solo.pathOnHost('~/.fieldrun'))).toBe(false);
    expect(existsSync(solo.pathOnHost('/tmp/t'))).toBe(false);
    expect(readFileSync(solo.pathOnHost('/opt/app/version'), 'utf8')).toBe('7\n');
    const after = await runSsh(lab, 'solo', 'hostname; test -e ~/.fieldrun || echo wiped; cat /opt/app/version; ls /run/sshd | wc -l');
    expect(after.stdout).toBe('solo\nwiped\n7\n0\n');
  });
});
