import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, CONNECTION_DEFAULTS, type SshConnection } from '../../../../electron/core/ssh/connection';
import { startTestLab, type TestLab } from '../../../hosts';
import { endpointOf, keyOptions, run } from './labEndpoints';

let lab: TestLab;
const open: SshConnection[] = [];

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1', 'jump1', { name: 'app1', behind: 'jump1' }] });
  if (lab.mode !== 'namespaces') throw new Error('link faults need the namespaced lab (run the tests as root)');
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all(open.map((c) => c.closed));
  await lab?.stop();
});

const fast = { keepaliveIntervalMs: 1_000, keepaliveCountMax: 3 };

describe('dead links are detected', () => {
  it('by default within 15 s', () => {
    expect(CONNECTION_DEFAULTS.keepaliveIntervalMs * (CONNECTION_DEFAULTS.keepaliveCountMax + 1)).toBe(15_000);
  });

  it('link down with keepalive 1 s × 3: SSH_KEEPALIVE_TIMEOUT in about 4 s', async () => {
    const connection = await connect(endpointOf(lab, 'web1'), keyOptions(lab, fast));
    open.push(connection);
    expect((await run(connection, 'echo alive')).stdout).toBe('alive\n');
    await lab.faults.linkDown('web1');
    const started = Date.now();
    try {
      const ended = await connection.closed;
      const elapsed = Date.now() - started;
      console.log(`keepalive 1000 ms × 3: dead link detected after ${elapsed} ms`);
      expect(ended.error?.code).toBe('SSH_KEEPALIVE_TIMEOUT');
      expect(elapsed).toBeGreaterThan(2_500);
      expect(elapsed).toBeLessThan(10_000);
      await expect(connection.exec('true')).rejects.toMatchObject({ code: 'SSH_KEEPALIVE_TIMEOUT' });
    } finally {
      await lab.faults.linkUp('web1');
    }
  });

  it('a dead jump host ends the target behind it, with the reason', async () => {
    const connection = await connect(endpointOf(lab, 'app1'), keyOptions(lab, fast));
    open.push(connection);
    await lab.faults.linkDown('jump1');
    const started = Date.now();
    try {
      const ended = await connection.closed;
      console.log(`dead jump host detected on the target after ${Date.now() - started} ms`);
      expect(ended.error?.code).toBe('SSH_KEEPALIVE_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await lab.faults.linkUp('jump1');
    }
  });

  it('a host that does not answer at all: SSH_CONNECT_TIMEOUT within the connect timeout', async () => {
    await lab.faults.linkDown('web1');
    const started = Date.now();
    try {
      const error = await connect(endpointOf(lab, 'web1'), keyOptions(lab, { connectTimeoutMs: 1_500 })).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SSH_CONNECT_TIMEOUT', details: { phase: 'tcp' } });
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await lab.faults.linkUp('web1');
    }
  });

  it('a server that accepts TCP but never speaks SSH: SSH_CONNECT_TIMEOUT for the handshake', async () => {
    const net = await import('node:net');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const host = { name: 'silent', address: '127.0.0.1', port, user: 'fieldrun', pinnedKeys: [], tags: [] };
      const error = await connect(host, keyOptions(lab, { handshakeTimeoutMs: 1_000 })).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SSH_CONNECT_TIMEOUT', details: { phase: 'handshake' } });
    } finally {
      silent.close();
    }
  });
});
