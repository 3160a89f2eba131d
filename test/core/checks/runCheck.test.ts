import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import { runCheck } from '../../../electron/core/checks';
import { connect, type SshConnection } from '../../../electron/core/ssh/connection';
import { startTestLab, type TestLab } from '../../hosts';
import { endpointOf, keyOptions, run } from '../ssh/connection/labEndpoints';
import { checkOf } from './support';

// runCheck against a real sshd: timeouts that stop the remote work, bounded output, secrets that
// never come back in clear, sudo without a password, and a connection that is gone.

let lab: TestLab;
let connection: SshConnection;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1'] });
  connection = await connect(endpointOf(lab, 'web1'), keyOptions(lab));
});

afterAll(async () => {
  connection?.close();
  await lab?.stop();
});

const stillRunning = async (pattern: string): Promise<boolean> =>
  (await runCheck(connection, checkOf({ type: 'process', pattern }), {}, { timeoutMs: 10_000 })).verdict.status === 'pass';

describe('runCheck', () => {
  it('stops a check at its timeout: an error, and nothing left running on the host', async () => {
    const started = performance.now();
    const result = await runCheck(connection, checkOf({ type: 'command', run: 'sh -c "sleep 31.25; echo late"' }), {}, { timeoutMs: 500 });
    const elapsed = performance.now() - started;
    expect(result.verdict).toMatchObject({ status: 'error', summary: 'cannot check: no result within 0.5 s (timed out; the check was stopped)' });
    expect(result).toMatchObject({ timedOut: true, exitCode: null });
    expect(elapsed).toBeLessThan(2_500);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stillRunning('^sleep 31\\.25$')).toBe(false);
  });

  it("lets a check's own timeout win over the runner's default", async () => {
    const result = await runCheck(connection, checkOf({ type: 'command', run: 'sleep 5', timeout: '300ms' }), {}, { timeoutMs: 60_000 });
    expect(result.verdict.summary).toBe('cannot check: no result within 0.3 s (timed out; the check was stopped)');
  });

  it('keeps at most 64 KiB of output, says so, and still judges the whole', async () => {
    const result = await runCheck(connection, checkOf({ type: 'command', run: "head -c 200000 /dev/zero | tr '\\0' a; echo; echo END", expect: { stdout: { contains: 'END' } } }), {}, { timeoutMs: 10_000 });
    expect(result.verdict.status).toBe('pass');
    expect(result).toMatchObject({ stdoutBytes: 200005, stdoutTruncated: true, stderrTruncated: false });
    expect(Buffer.byteLength(result.stdout)).toBe(64 * 1024);
  });

  it('refuses to judge output cut at the judging bound', async () => {
    const result = await runCheck(connection, checkOf({ type: 'command', run: 'head -c 300000 /dev/zero' }), {}, { timeoutMs: 10_000, judgeBytes: 100_000 });
    expect(result.verdict).toMatchObject({ status: 'error', summary: 'cannot check: the check printed more than 100000 bytes; its cut output is not judged' });
  });

  it('uses secret values on the host and shows them nowhere', async () => {
    const secret = "s3cr3t 'quoted' $HOME";
    const vars = { token: { value: secret, secret: true }, app: { value: 'shop', secret: false } };
    const check = checkOf({ type: 'command', run: 'sleep 0.5; printf "%s\\n" {{ token }}; printf "%s\\n" {{ token }} >&2', expect: { stdout: { equals: '{{ token }}' } } });
    const pending = runCheck(connection, check, vars, { timeoutMs: 10_000 });
    // Meanwhile the host's process list does not show it: the script went in on stdin.
    await new Promise((r) => setTimeout(r, 200));
    const ps = await run(connection, 'ps -ww -e -o args=');
    const result = await pending;
    expect(ps.stdout).not.toContain('s3cr3t');
    expect(result.verdict.status).toBe('pass');
    const shown = JSON.stringify(result);
    expect(shown).not.toContain('s3cr3t');
    expect(result.stdout).toBe('***\n');
    expect(result.stderr).toBe('***\n');
    expect(result.command).toContain("printf \"%s\\n\" '***'");
    expect(result.verdict.expected).toBe('exit status 0, stdout "***"');
  });

  it('puts variables into paths and expectations', async () => {
    const result = await runCheck(connection, checkOf({ type: 'file', path: '/etc/{{ file }}', contains: 'ID={{ distro }}' }), { file: { value: 'os-release', secret: false }, distro: { value: 'debian', secret: false } }, { timeoutMs: 10_000 });
    expect(result.verdict).toMatchObject({ status: 'pass', summary: '/etc/os-release: a file, containing "ID=debian"' });
  });

  it('needs every variable it refers to', async () => {
    const error: unknown = await runCheck(connection, checkOf({ type: 'command', run: 'echo {{ missing }}' }), {}, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('VARIABLE_MISSING');
  });

  it('asks sudo never to prompt: a host that wants a password gives a clean error', async () => {
    const result = await runCheck(connection, checkOf({ type: 'file', path: '/etc/shadow', contains: 'root', sudo: true }), {}, { timeoutMs: 10_000 });
    expect(result.sudo).toBe(true);
    expect(result.verdict).toMatchObject({ status: 'error', summary: 'cannot check: sudo: a password is required (exit status 1)' });
  });

  it('runs sudo checks as root where sudo needs no password, and stops them at the timeout', async () => {
    const sudoers = lab.host('web1').pathOnHost('/etc/sudoers.d/fieldrun');
    const before = readFileSync(sudoers, 'utf8');
    writeFileSync(sudoers, `${before}fieldrun ALL=(ALL:ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    try {
      const shadow = await runCheck(connection, checkOf({ type: 'file', path: '/etc/shadow', contains: 'root:', sudo: true }), {}, { timeoutMs: 10_000 });
      expect(shadow.verdict).toMatchObject({ status: 'pass', summary: '/etc/shadow: a file, containing "root:"' });
      const whoami = await runCheck(connection, checkOf({ type: 'command', run: 'id -un', sudo: true, expect: { stdout: { equals: 'root' } } }), {}, { timeoutMs: 10_000 });
      expect(whoami.verdict.status).toBe('pass');
      const slow = await runCheck(connection, checkOf({ type: 'command', run: 'sh -c "sleep 31.5; echo late"', sudo: true }), {}, { timeoutMs: 500 });
      expect(slow.verdict.status).toBe('error');
      expect(slow.timedOut).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(await stillRunning('^sleep 31\\.5$')).toBe(false);
    } finally {
      writeFileSync(sudoers, before, { mode: 0o440 });
    }
  });

  it('keeps only the matching processes of a pattern check', async () => {
    const result = await runCheck(connection, checkOf({ type: 'process', pattern: '^sshd: fieldrun' }), {}, { timeoutMs: 10_000 });
    expect(result.verdict.status).toBe('pass');
    const psLines = result.stdout.split('\n').filter((l) => l.startsWith('ps='));
    expect(psLines.length).toBeGreaterThan(0);
    expect(psLines.every((l) => /^ps=\s*\d+ sshd: fieldrun/.test(l))).toBe(true);
    expect(result.stdout).toMatch(/omitted=\d+ non-matching processes/);
  });

  it('reports a connection that is gone as an error verdict', async () => {
    const other = await connect(endpointOf(lab, 'web1'), keyOptions(lab));
    other.close();
    await other.closed;
    const result = await runCheck(other, checkOf({ type: 'port', port: 22 }), {}, { timeoutMs: 10_000 });
    expect(result.verdict.status).toBe('error');
    expect(result.verdict.summary).toMatch(/^cannot check: /);
  });
});
