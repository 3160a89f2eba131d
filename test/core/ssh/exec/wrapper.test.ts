import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshConnection } from '../../../../electron/core/ssh/connection';
import { cancelCommand, cleanupExecutions, reattach, startCommand } from '../../../../electron/core/ssh/exec';
import { startTestLab, type TestLab } from '../../../hosts';
import { connectLab, newExecId, OutputCollector } from './labShell';

let lab: TestLab;
let shell: SshConnection;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1'] });
  shell = await connectLab(lab, 'web1');
});

afterAll(async () => {
  shell?.close();
  await lab?.stop();
});

const onHost = (path: string): string => lab.host('web1').pathOnHost(path);

describe('commands in the wrapper', () => {
  it('report the exit code, keep stdout and stderr apart, and get env, cwd and stdin', async () => {
    const out = new OutputCollector();
    const result = await startCommand(
      shell,
      {
        execId: newExecId('basic'),
        command: 'echo "to out: $GREETING"; echo "to err" >&2; pwd; tr a-z A-Z; exit 3',
        env: { GREETING: "it's \"quoted\" $HOME `x`" },
        cwd: '/srv',
        stdin: 'from stdin\n',
      },
      out.sink,
    );
    expect(result).toMatchObject({ kind: 'exited', code: 3, attached: false });
    expect(out.text('stdout')).toBe('to out: it\'s "quoted" $HOME `x`\n/srv\nFROM STDIN\n');
    expect(out.text('stderr')).toBe('to err\n');
    expect(result.offsets).toEqual({ stdout: out.bytes('stdout').length, stderr: 7 });
  });

  it('carry any command text unchanged: quotes, backslashes, here-documents, several lines', async () => {
    const out = new OutputCollector();
    const command = [`printf '%s\\n' 'single '"'"' quote' "double \\" quote" 'back\\slash'`, `cat <<'EOF'`, `literal $HOME and \`ticks\``, `EOF`, `echo "last line"`].join('\n');
    const result = await startCommand(shell, { execId: newExecId('text'), command }, out.sink);
    expect(result).toMatchObject({ kind: 'exited', code: 0 });
    expect(out.text('stdout')).toBe("single ' quote\ndouble \" quote\nback\\slash\nliteral $HOME and `ticks`\nlast line\n");
  });

  it('stream binary output exactly, every byte value, with offsets that add up', async () => {
    const out = new OutputCollector();
    // 256 byte values, 4096 times over: 1 MiB with NULs, newlines and invalid UTF-8
    const command = `i=0; while [ $i -lt 256 ]; do printf "\\\\$(printf %o $i)"; i=$((i + 1)); done > /tmp/all.bin; n=0; while [ $n -lt 12 ]; do cat /tmp/all.bin /tmp/all.bin > /tmp/all2.bin; mv /tmp/all2.bin /tmp/all.bin; n=$((n + 1)); done; cat /tmp/all.bin; cat /tmp/all.bin >&2`;
    const result = await startCommand(shell, { execId: newExecId('binary'), command }, out.sink);
    const pattern = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const expected = Buffer.concat(Array.from({ length: 4096 }, () => pattern));
    expect(result).toMatchObject({ kind: 'exited', code: 0, offsets: { stdout: expected.length, stderr: expected.length } });
    expect(out.bytes('stdout').equals(expected)).toBe(true);
    expect(out.bytes('stderr').equals(expected)).toBe(true);
  });

  it('tell a command killed by a signal from one that exits with 143', async () => {
    const killed = await startCommand(shell, { execId: newExecId('sig'), command: 'kill -TERM $$' }, new OutputCollector().sink);
    expect(killed).toMatchObject({ kind: 'signalled', signal: 'SIGTERM' });
    const exited = await startCommand(shell, { execId: newExecId('code'), command: 'exit 143' }, new OutputCollector().sink);
    expect(exited).toMatchObject({ kind: 'exited', code: 143 });
    const segv = await startCommand(shell, { execId: newExecId('segv'), command: 'sh -c "kill -SEGV \\$\\$"; echo "child status $?"' }, new OutputCollector().sink);
    expect(segv).toMatchObject({ kind: 'exited', code: 0 });
  });

  it('run a command once when the same execution id is started twice, the second start attaching to it', async () => {
    const execId = newExecId('once');
    const counter = `/home/fieldrun/counter-${execId}`;
    const command = `echo run >> ${counter}; sleep 1; echo done; exit 4`;
    const first = new OutputCollector();
    const second = new OutputCollector();
    const [a, b] = await Promise.all([startCommand(shell, { execId, command }, first.sink), startCommand(shell, { execId, command }, second.sink)]);
    expect([a.attached, b.attached].sort()).toEqual([false, true]);
    expect(a).toMatchObject({ kind: 'exited', code: 4 });
    expect(b).toMatchObject({ kind: 'exited', code: 4 });
    expect(first.text('stdout')).toBe('done\n');
    expect(second.text('stdout')).toBe('done\n');
    expect(readFileSync(onHost(counter), 'utf8')).toBe('run\n');
  });

  it('run as root through sudo with the password on stdin; a wrong password fails as sudo does, never shown', async () => {
    const out = new OutputCollector();
    const ok = await startCommand(shell, { execId: newExecId('sudo'), command: 'id -u; cat', sudo: { password: lab.user.sudoPassword }, stdin: 'input for root\n' }, out.sink);
    expect(ok).toMatchObject({ kind: 'exited', code: 0 });
    expect(out.text('stdout')).toBe('0\ninput for root\n');

    const wrong = new OutputCollector();
    const denied = await startCommand(shell, { execId: newExecId('sudo-wrong'), command: 'id -u', sudo: { password: 'not-the-password' } }, wrong.sink);
    expect(denied).toMatchObject({ kind: 'exited', code: 1 });
    expect(wrong.text('stdout')).toBe('');
    expect(wrong.text('stderr')).toMatch(/incorrect password/);
    expect(wrong.text('stderr')).not.toContain('not-the-password');
  }, 30_000);

  it('reattach to a finished command: the rest of the output and the real exit code; an unknown id is unknown', async () => {
    const execId = newExecId('reattach');
    await startCommand(shell, { execId, command: 'seq 1 1000; echo warn >&2; exit 9' }, new OutputCollector().sink);
    const rest = new OutputCollector({ stdout: 2000, stderr: 0 });
    const again = await reattach(shell, { execId, fromOffsets: { stdout: 2000, stderr: 0 } }, rest.sink);
    expect(again).toMatchObject({ kind: 'exited', code: 9, attached: true });
    const all = Array.from({ length: 1000 }, (_, i) => `${i + 1}\n`).join('');
    expect(rest.text('stdout')).toBe(all.slice(2000));
    expect(rest.text('stderr')).toBe('warn\n');

    const nothing = await reattach(shell, { execId: newExecId('never-started'), fromOffsets: { stdout: 0, stderr: 0 } }, rest.sink);
    expect(nothing).toMatchObject({ kind: 'unknown', reason: 'missing' });
  });

  it('reattach from another connection to a running command and stream on from where the first stopped', async () => {
    const execId = newExecId('running');
    const first = await connectLab(lab, 'web1');
    const seen = new OutputCollector();
    const command = 'i=1; while [ $i -le 30 ]; do echo "line $i"; i=$((i + 1)); sleep 0.1; done; exit 5';
    const started = startCommand(first, { execId, command }, seen.sink);
    while (!seen.text('stdout').includes('line 5\n')) await new Promise((r) => setTimeout(r, 20));
    first.close();
    const lost = await started;
    expect(lost.kind).toBe('link-lost');
    expect(lost.offsets).toEqual(seen.offsets);

    const rest = new OutputCollector(lost.offsets);
    const result = await reattach(shell, { execId, fromOffsets: lost.offsets }, rest.sink);
    expect(result).toMatchObject({ kind: 'exited', code: 5 });
    const expected = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join('');
    expect(seen.text('stdout') + rest.text('stdout')).toBe(expected);
  });

  it('clean up finished records on request and leave running ones alone', async () => {
    const done = newExecId('done');
    const running = newExecId('long');
    await startCommand(shell, { execId: done, command: 'true' }, new OutputCollector().sink);
    const other = await connectLab(lab, 'web1');
    const longRun = startCommand(other, { execId: running, command: 'sleep 2' }, new OutputCollector().sink);
    await new Promise((r) => setTimeout(r, 300));
    // records younger than a day stay when only older ones are asked for
    expect((await cleanupExecutions(shell, { olderThanDays: 1 })).removed).toEqual([]);
    const cleaned = await cleanupExecutions(shell, { execIds: [done, running] });
    expect(cleaned).toEqual({ removed: [done], running: [running] });
    expect(existsSync(onHost(`/home/fieldrun/.fieldrun/runs/${done}`))).toBe(false);
    expect(existsSync(onHost(`/home/fieldrun/.fieldrun/runs/${running}`))).toBe(true);
    expect(await longRun).toMatchObject({ kind: 'exited', code: 0 });
    other.close();
  });

  it('are not disturbed by a login shell that prints a greeting even for non-interactive sessions', async () => {
    const bashrc = onHost('/home/fieldrun/.bashrc');
    const original = readFileSync(bashrc, 'utf8');
    writeFileSync(bashrc, `echo "Welcome to web1 - authorised use only"\necho "s attached"\n${original}`);
    try {
      const greeted = await connectLab(lab, 'web1');
      const execId = newExecId('greeting');
      const out = new OutputCollector();
      expect(await startCommand(greeted, { execId, command: 'echo fine' }, out.sink)).toMatchObject({ kind: 'exited', code: 0, attached: false });
      expect(out.text('stdout')).toBe('fine\n');
      expect(await reattach(greeted, { execId, fromOffsets: { stdout: 0, stderr: 0 } }, () => undefined)).toMatchObject({ kind: 'exited', code: 0 });
      expect(await cancelCommand(greeted, execId)).toBe('already-finished');
      greeted.close();
    } finally {
      writeFileSync(bashrc, original);
    }
  });

  it('refuse an execution id that cannot be a directory name before touching the host', async () => {
    await expect(startCommand(shell, { execId: '../etc', command: 'true' }, () => undefined)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(startCommand(shell, { execId: 'ok', command: 'true', env: { 'BAD NAME': 'x' } }, () => undefined)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});
