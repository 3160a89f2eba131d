import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionPool, type ConnectionPool, type ConnectionState } from '../../../../electron/core/ssh/connection';
import { startTestLab, type TestLab } from '../../../hosts';
import { endpointOf, keyOptions, run } from './labEndpoints';

let lab: TestLab;
let pool: ConnectionPool;
const states: Array<[string, ConnectionState, string | undefined]> = [];

beforeAll(async () => {
  lab = await startTestLab({
    hosts: ['web1', { name: 'web2', sshd: { MaxSessions: '3' } }, 'jump1', { name: 'db1', behind: 'jump1' }, { name: 'app1', behind: 'jump1' }],
  });
  pool = createConnectionPool(keyOptions(lab, { reconnect: { attempts: 8, baseDelayMs: 100, maxDelayMs: 800 } }));
  pool.on('state', (host, state, error) => states.push([host, state, error?.code]));
});

afterAll(async () => {
  await pool?.closeAll();
  await lab?.stop();
});

const logins = (hostName: string): number => (lab.host(hostName).sshdLog().match(/Accepted publickey/g) ?? []).length;

/** Logins sshd recorded since `before`, once its log has caught up (it is written asynchronously). */
async function loginsSince(hostName: string, before: number): Promise<number> {
  for (let i = 0; i < 100 && logins(hostName) === before; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  return logins(hostName) - before;
}

describe('connection pool against real sshd', () => {
  it('reuses one connection per host, also for concurrent callers', async () => {
    const before = logins('web1');
    const [a, b] = await Promise.all([pool.get(endpointOf(lab, 'web1')), pool.get(endpointOf(lab, 'web1'))]);
    const c = await pool.get(endpointOf(lab, 'web1'));
    expect(a).toBe(b);
    expect(a).toBe(c);
    expect(await loginsSince('web1', before)).toBe(1);
  });

  // Short commands often deliver "open", output and exit-status in one TCP read; every one of
  // them must still report its exit code (a lost exit reads as an unknown outcome). Their speed
  // is a benchmark figure (test/bench/ssh.bench.ts), printed here, not asserted.
  it('a reused connection runs many short commands, each with its exit code', async () => {
    const connection = await pool.get(endpointOf(lab, 'web1'));
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      expect((await run(connection, `exit ${i % 3}`)).code).toBe(i % 3);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`short command on a reused connection: median ${times[100]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times.at(-1)!.toFixed(1)})`);
  });

  it('runs 25 commands in parallel on one connection, queueing beyond MaxSessions 10', async () => {
    const connection = await pool.get(endpointOf(lab, 'web1'));
    let peakQueued = 0;
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 25 }, async (_, i) => {
        const pending = run(connection, `sleep 0.3; echo ${i}`);
        peakQueued = Math.max(peakQueued, connection.channelStats().queued);
        return pending;
      }),
    );
    const elapsed = Date.now() - started;
    console.log(`25 parallel commands (sleep 0.3 each) on one connection: ${elapsed} ms, peak queued ${peakQueued}, limit ${connection.channelStats().limit}`);
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
    expect(results.every((r) => r.code === 0)).toBe(true);
    expect(peakQueued).toBeGreaterThanOrEqual(15);
    // three waves of at most 10: about 0.9 s; run one by one it would take 7.5 s
    expect(elapsed).toBeLessThan(5_000);
  });

  it('a server allowing fewer sessions lowers the limit instead of failing commands', async () => {
    const connection = await pool.get(endpointOf(lab, 'web2'));
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => run(connection, `sleep 0.2; echo ${i}`)));
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(connection.channelStats().limit).toBe(3);
  });

  it('hosts behind one jump host share the pooled connection to it', async () => {
    const before = logins('jump1');
    const [db1, app1] = await Promise.all([pool.get(endpointOf(lab, 'db1')), pool.get(endpointOf(lab, 'app1'))]);
    expect((await run(db1, 'hostname')).stdout.trim()).toBe('db1');
    expect((await run(app1, 'hostname')).stdout.trim()).toBe('app1');
    expect(await loginsSince('jump1', before)).toBe(1);
  });

  it('reconnects after the session is killed on the server', async () => {
    const first = await pool.get(endpointOf(lab, 'web1'));
    states.length = 0;
    await lab.faults.killSessions('web1');
    const ended = await first.closed;
    expect(ended.error?.code).toBe('SSH_DISCONNECTED');
    const second = await pool.get(endpointOf(lab, 'web1'));
    expect(second).not.toBe(first);
    expect((await run(second, 'echo back')).stdout).toBe('back\n');
    expect(states).toEqual([
      ['web1', 'lost', 'SSH_DISCONNECTED'],
      ['web1', 'connecting', undefined],
      ['web1', 'connected', undefined],
    ]);
  });

  it('retries with backoff while the server is down and connects once it is back', async () => {
    pool.drop('web1');
    await lab.faults.killListener('web1');
    states.length = 0;
    const pending = pool.get(endpointOf(lab, 'web1'));
    await new Promise((r) => setTimeout(r, 400));
    await lab.faults.startListener('web1');
    const connection = await pending;
    expect((await run(connection, 'echo up')).stdout).toBe('up\n');
    const failures = states.filter(([, state]) => state === 'lost');
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.every(([, , code]) => code === 'SSH_CONNECT_FAILED')).toBe(true);
    expect(states.at(-1)).toEqual(['web1', 'connected', undefined]);
  });

  it('does not retry what a retry cannot fix (host key mismatch)', async () => {
    states.length = 0;
    const wrong = { ...endpointOf(lab, 'db1'), name: 'db1-wrong', pinnedKeys: [{ type: 'ssh-ed25519', fingerprint: lab.host('web1').hostKeys[0]!.fingerprint }] };
    await expect(pool.get(wrong)).rejects.toMatchObject({ code: 'SSH_HOST_KEY_MISMATCH' });
    expect(states.filter(([host]) => host === 'db1-wrong').map(([, state]) => state)).toEqual(['connecting', 'lost']);
  });
});
