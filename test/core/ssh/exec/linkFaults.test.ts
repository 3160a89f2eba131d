import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupExecutions, reattach, startCommand } from '../../../../electron/core/ssh/exec';
import { runScript } from '../../../../electron/core/ssh/exec/remoteShell';
import { startTestLab, type TestLab } from '../../../hosts';
import { connectLab, newExecId, OutputCollector } from './labShell';

let lab: TestLab;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1', 'web2', 'db1'] });
});

afterAll(async () => {
  await lab?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function until(what: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

/** Appends one line to a counter file on the host (one line per execution), then prints numbered lines. */
function counted(counter: string, lines: number, pause: string, exitCode: number): string {
  return `echo run >> ${counter}; i=1; while [ $i -le ${lines} ]; do echo "line $i"; echo "err $i" >&2; i=$((i + 1)); sleep ${pause}; done; exit ${exitCode}`;
}

const numbered = (prefix: string, n: number): string => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');

describe('commands survive the link', () => {
  it('a 20 s link drop during a 60 s command: one execution, the real exit code, all output in order', async () => {
    const execId = newExecId('drop');
    const counter = `/home/fieldrun/counter-${execId}`;
    const first = await connectLab(lab, 'web1');
    const seen = new OutputCollector();
    const started = startCommand(first, { execId, command: counted(counter, 60, '1', 7) }, seen.sink);
    await until(() => seen.text('stdout').includes('line 3\n'));

    await lab.faults.linkDown('web1');
    const down = Date.now();
    const lost = await started;
    // keepalive 1 s x 3: the client knows within seconds, and says so instead of guessing
    expect(lost.kind).toBe('link-lost');
    expect(Date.now() - down).toBeLessThan(8000);
    expect(lost.offsets).toEqual(seen.offsets);
    first.close();
    await sleep(20_000 - (Date.now() - down));
    await lab.faults.linkUp('web1');

    const second = await connectLab(lab, 'web1');
    const rest = new OutputCollector(lost.offsets);
    const result = await reattach(second, { execId, fromOffsets: lost.offsets }, rest.sink);
    second.close();
    expect(result).toMatchObject({ kind: 'exited', code: 7, attached: true });
    expect(seen.text('stdout') + rest.text('stdout')).toBe(numbered('line', 60));
    expect(seen.text('stderr') + rest.text('stderr')).toBe(numbered('err', 60));
    expect(readFileSync(lab.host('web1').pathOnHost(counter), 'utf8')).toBe('run\n');
  }, 120_000);

  it("the session's sshd killed mid-command: the command runs on and reattach gives its real outcome", async () => {
    const execId = newExecId('killed');
    const counter = `/home/fieldrun/counter-${execId}`;
    const first = await connectLab(lab, 'web2');
    const seen = new OutputCollector();
    const started = startCommand(first, { execId, command: counted(counter, 12, '0.25', 3) }, seen.sink);
    await until(() => seen.text('stdout').includes('line 2\n'));
    await lab.faults.killSessions('web2');
    const lost = await started;
    expect(lost.kind).toBe('link-lost');

    const second = await connectLab(lab, 'web2');
    const rest = new OutputCollector(lost.offsets);
    const result = await reattach(second, { execId, fromOffsets: lost.offsets }, rest.sink);
    second.close();
    expect(result).toMatchObject({ kind: 'exited', code: 3 });
    expect(seen.text('stdout') + rest.text('stdout')).toBe(numbered('line', 12));
    expect(readFileSync(lab.host('web2').pathOnHost(counter), 'utf8')).toBe('run\n');
  }, 60_000);

  it('the host rebooted mid-command (wrapper state gone): the outcome is unknown', async () => {
    const execId = newExecId('reboot');
    const first = await connectLab(lab, 'db1');
    const seen = new OutputCollector();
    const started = startCommand(first, { execId, command: 'echo before; sleep 7701; echo after' }, seen.sink);
    await until(() => seen.text('stdout') === 'before\n');
    await lab.faults.reboot('db1');
    // A reboot kills the wrapper and the session in no fixed order: the client sees either the
    // link go (and must ask again) or the wrapper die (unknown at once) — never an exit code.
    const outcome = await started;
    expect(['link-lost', 'unknown']).toContain(outcome.kind);
    expect(await lab.faults.countProcesses('db1', 'sleep 7701')).toBe(0);

    const second = await connectLab(lab, 'db1');
    const result = await reattach(second, { execId, fromOffsets: seen.offsets }, () => undefined);
    second.close();
    expect(result).toMatchObject({ kind: 'unknown', reason: 'missing' });
  }, 60_000);

  it('the wrapper killed on the host before it recorded anything: unknown, never a guess', async () => {
    const execId = newExecId('wrapper');
    const shell = await connectLab(lab, 'db1');
    const seen = new OutputCollector();
    const started = startCommand(shell, { execId, command: 'echo up; sleep 7702' }, seen.sink);
    await until(() => seen.text('stdout') === 'up\n');
    const dir = `"$HOME"/.fieldrun/runs/${execId}`;
    await runScript(shell, `kill -9 $(cat ${dir}/runner) && kill -9 -- -$(cat ${dir}/pid)\n`);
    const result = await started;
    expect(result).toMatchObject({ kind: 'unknown', reason: 'wrapper-died' });
    // its record is stale, not running: cleanup may take it
    expect(await cleanupExecutions(shell, { execIds: [execId] })).toEqual({ removed: [execId], running: [] });
    shell.close();
  }, 30_000);
});
