import { describe, expect, it } from 'vitest';
import { compileCheck } from '../../../electron/core/checks';
import { checkOf, judged } from './support';

const out = (exitCode: number | null, stdout = '', stderr = '') => ({ exitCode, stdout, stderr });

describe('command check: judge', () => {
  it('passes on exit 0 by default and fails on another status, showing stderr', () => {
    expect(judged({ type: 'command', run: 'true' }, out(0)).status).toBe('pass');
    const failed = judged({ type: 'command', run: 'systemctl is-system-running' }, out(1, 'degraded\n', 'warning: x\n'));
    expect(failed).toMatchObject({ status: 'fail', expected: 'exit status 0' });
    expect(failed.summary).toBe('command "systemctl is-system-running": expected exit status 0, found exit status 1');
    expect(failed.found).toContain('stderr "warning: x"');
  });

  it('judges stdout equals (trailing newlines ignored), contains and matches', () => {
    const equals = { type: 'command' as const, run: 'cat /opt/shop/VERSION', expect: { stdout: { equals: '2.4.1' } } };
    expect(judged(equals, out(0, '2.4.1\n')).status).toBe('pass');
    const wrong = judged(equals, out(0, '2.3.9\n'));
    expect(wrong.status).toBe('fail');
    expect(wrong.summary).toBe('command "cat /opt/shop/VERSION": expected stdout "2.4.1", found stdout "2.3.9"');
    expect(judged({ type: 'command', run: 'x', expect: { stdout: { contains: 'ready' } } }, out(0, 'db is ready to accept\n')).status).toBe('pass');
    expect(judged({ type: 'command', run: 'x', expect: { stdout: { matches: '^v\\d+\\.\\d+' } } }, out(0, 'v15.4\n')).status).toBe('pass');
    expect(judged({ type: 'command', run: 'x', expect: { stderr: { contains: 'denied' } } }, out(0, '', 'ok')).status).toBe('fail');
  });

  it('compares a printed number and fails on output that is not a number', () => {
    const check = { type: 'command' as const, run: 'nproc', expect: { number: { op: '>=', value: 4 } } };
    expect(judged(check, out(0, '8\n')).status).toBe('pass');
    const few = judged(check, out(0, '2\n'));
    expect(few).toMatchObject({ status: 'fail', expected: 'exit status 0, a number ≥ 4' });
    expect(few.summary).toContain('expected a number ≥ 4, found 2');
    expect(judged(check, out(0, 'eight\n')).summary).toContain('not a number');
  });

  it('honours an expected non-zero exit status', () => {
    const check = { type: 'command' as const, run: 'grep -q x /etc/y', expect: { exitCode: 1 } };
    expect(judged(check, out(1)).status).toBe('pass');
    expect(judged(check, out(0)).status).toBe('fail');
  });

  it('is an error when the shell could not run the program (126/127) or no status came', () => {
    const missing = judged({ type: 'command', run: 'pg_isready' }, out(127, '', 'sh: 1: pg_isready: not found\n'));
    expect(missing).toMatchObject({ status: 'error', summary: 'cannot check: sh: 1: pg_isready: not found (exit status 127)' });
    expect(judged({ type: 'command', run: './x' }, out(126, '', 'sh: 1: ./x: Permission denied\n')).status).toBe('error');
    expect(judged({ type: 'command', run: 'x', expect: { exitCode: 127 } }, out(127)).status).toBe('pass');
    expect(judged({ type: 'command', run: 'sleep 9' }, out(null)).status).toBe('error');
  });
});

describe('command check: compile', () => {
  it('quotes variables in run, runs in the C locale, keeps stdin away from the script', () => {
    const compiled = compileCheck(checkOf({ type: 'command', run: 'psql -d {{ db }} -c {{ raw sql }}' }), {
      db: { value: "shop'; rm -rf ~ #", secret: false },
      sql: { value: '"select 1"', secret: false },
    });
    expect(compiled.command).toContain(`psql -d 'shop'\\''; rm -rf ~ #' -c "select 1"`);
    expect(compiled.command).toMatch(/^\{\nLC_ALL=C\nexport LC_ALL\n/);
    expect(compiled.command.endsWith('} </dev/null\nexit\n')).toBe(true);
    expect(compiled.sudo).toBe(false);
  });

  it('reports the secrets a check uses and marks sudo checks', () => {
    const compiled = compileCheck(checkOf({ type: 'command', run: 'check-token {{ token }}', sudo: true }), { token: { value: 's3cr3t', secret: true } });
    expect(compiled).toMatchObject({ sudo: true, secretsUsed: ['token'] });
  });
});
