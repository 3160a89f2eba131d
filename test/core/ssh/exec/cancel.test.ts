import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshConnection } from '../../../../electron/core/ssh/connection';
import { cancelCommand, startCommand } from '../../../../electron/core/ssh/exec';
import { startTestLab, type TestLab } from '../../../hosts';
import { connectLab, newExecId, OutputCollector } from './labShell';

let lab: TestLab;
let shell: SshConnection;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['app1'] });
  shell = await connectLab(lab, 'app1');
});

afterAll(async () => {
  shell?.close();
  await lab?.stop();
});

const count = (pattern: string): Promise<number> => lab.faults.countProcesses('app1', pattern);

async function until(what: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A command with a child and a grandchild in the background, all waiting: the whole group must go. */
const family = (tag: number): string => `sh -c 'sleep ${tag}1 & sleep ${tag}2; wait' & sleep ${tag}3 & echo started; wait`;

describe('cancel and timeout', () => {
  it('cancel stops the whole process group: no process of the command is left on the host', async () => {
    const execId = newExecId('cancel');
    const out = new OutputCollector();
    const running = startCommand(shell, { execId, command: family(710) }, out.sink);
    await until(async () => (await count('sleep 710[123]')) >= 3);
    const t0 = Date.now();
    expect(await cancelCommand(shell, execId)).toBe('stopped');
    const result = await running;
    expect(result).toMatchObject({ kind: 'signalled', signal: 'SIGTERM', stoppedBy: 'cancel' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(out.text('stdout')).toBe('started\n');
    expect(await count('sleep 710[123]')).toBe(0);
  });

  it('a command that ignores TERM gets KILL after the grace', async () => {
    const execId = newExecId('stubborn');
    const running = startCommand(shell, { execId, command: `trap '' TERM; ${family(720)}`, killGraceMs: 1000 }, new OutputCollector().sink);
    await until(async () => (await count('sleep 720[123]')) >= 3);
    const t0 = Date.now();
    expect(await cancelCommand(shell, execId)).toBe('stopped');
    const elapsed = Date.now() - t0;
    expect(await running).toMatchObject({ kind: 'signalled', signal: 'SIGKILL', stoppedBy: 'cancel' });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(4000);
    expect(await count('sleep 720[123]')).toBe(0);
  });

  it('a command that handles TERM and exits on its own reports its own exit code', async () => {
    const execId = newExecId('graceful');
    const out = new OutputCollector();
    const running = startCommand(shell, { execId, command: `trap 'echo cleaning up; exit 42' TERM; echo ready; sleep 730 & wait` }, out.sink);
    await until(() => out.text('stdout').includes('ready'));
    expect(await cancelCommand(shell, execId)).toBe('stopped');
    expect(await running).toMatchObject({ kind: 'exited', code: 42, stoppedBy: 'cancel' });
    expect(out.text('stdout')).toBe('ready\ncleaning up\n');
    expect(await count('sleep 730')).toBe(0);
  });

  it('the timeout stops the command on the host and says so', async () => {
    const t0 = Date.now();
    const result = await startCommand(shell, { execId: newExecId('timeout'), command: family(740), timeoutMs: 1500 }, new OutputCollector().sink);
    const elapsed = Date.now() - t0;
    expect(result).toMatchObject({ kind: 'signalled', signal: 'SIGTERM', stoppedBy: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(4500);
    expect(await count('sleep 740[123]')).toBe(0);
  });

  it('cancel stops a command running as root through sudo, children included', async () => {
    const execId = newExecId('sudo-cancel');
    const out = new OutputCollector();
    const running = startCommand(shell, { execId, command: `id -u; ${family(750)}`, sudo: { password: lab.user.sudoPassword } }, out.sink);
    await until(async () => (await count('sleep 750[123]')) >= 3);
    expect(await cancelCommand(shell, execId)).toBe('stopped');
    expect(await running).toMatchObject({ kind: 'signalled', signal: 'SIGTERM', stoppedBy: 'cancel' });
    expect(out.text('stdout')).toBe('0\nstarted\n');
    expect(await count('sleep 750[123]')).toBe(0);
  });

  it('the timeout of a root command ignoring TERM ends in KILL, through sudo', async () => {
    const result = await startCommand(
      shell,
      { execId: newExecId('sudo-timeout'), command: `trap '' TERM; ${family(760)}`, timeoutMs: 1000, killGraceMs: 1000, sudo: { password: lab.user.sudoPassword } },
      new OutputCollector().sink,
    );
    expect(result).toMatchObject({ kind: 'signalled', signal: 'SIGKILL', stoppedBy: 'timeout' });
    expect(await count('sleep 760[123]')).toBe(0);
  });

  it('cancel of a finished or unknown execution says so and changes nothing', async () => {
    const execId = newExecId('finished');
    await startCommand(shell, { execId, command: 'true' }, new OutputCollector().sink);
    expect(await cancelCommand(shell, execId)).toBe('already-finished');
    expect(await cancelCommand(shell, newExecId('nothing'))).toBe('not-found');
  });
});
