import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseCheckFacts, wrapCheckScript } from '../../../electron/core/checks/checkScript';

// The wrapper every compiled check runs in, exercised with this machine's /bin/sh (dash), fed on
// stdin as runCheck feeds it.

function runLocally(script: string, env: Record<string, string> = {}): { stdout: string; status: number | null } {
  const result = spawnSync('/bin/sh', ['-s'], { input: script, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env } });
  return { stdout: result.stdout, status: result.status };
}

/** Processes of the detached shell's session (it leads its own session and process group) that still run (zombies wait for a PID 1 that may not reap them here). */
function liveProcesses(group: number): string[] {
  const ps = spawnSync('ps', ['-o', 'pid=,stat=,args=', '-s', String(group)], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((line) => line.trim() !== '' && !/^\s*\d+\s+Z/.test(line));
}

describe('check script wrapper', () => {
  it('runs in the C locale whatever the login environment says', () => {
    const script = wrapCheckScript('echo "LC_ALL=$LC_ALL"; stat /nonexistent 2>&1', { protocol: false });
    const { stdout } = runLocally(script, { LANG: 'de_DE.UTF-8', LANGUAGE: 'de' });
    expect(stdout).toContain('LC_ALL=C');
    expect(stdout).toContain('No such file or directory');
    // Without the wrapper the same command answers in German on this machine.
    expect(runLocally('stat /nonexistent 2>&1', { LANG: 'de_DE.UTF-8' }).stdout).toContain('Datei oder Verzeichnis nicht gefunden');
  });

  it('keeps the script on stdin away from the commands it runs', () => {
    const script = wrapCheckScript('cat; read line; echo "after: ${line:-nothing read}"', { protocol: false });
    expect(runLocally(script).stdout).toBe('after: nothing read\n');
  });

  it('passes the body exit status through', () => {
    expect(runLocally(wrapCheckScript('exit 3', { protocol: false })).status).toBe(3);
    const protocol = runLocally(wrapCheckScript('fr_cannot missing systemctl', { protocol: true }));
    expect(protocol).toEqual({ stdout: 'fieldrun-check=1\ncannot=missing systemctl\n', status: 127 });
  });

  it('takes its whole process group down on TERM', async () => {
    const marker = `fieldrun-wrapper-${process.pid}-${Date.now()}`;
    // The body starts a grandchild that would outlive a plain kill of the shell.
    const script = wrapCheckScript(`sh -c 'sleep 30; echo ${marker}' & wait`, { protocol: false });
    const child = spawn('/bin/sh', ['-s'], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.end(script);
    await new Promise((r) => setTimeout(r, 300));
    expect(liveProcesses(child.pid!).length).toBeGreaterThanOrEqual(3);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === null ? null : 143))));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    await new Promise((r) => setTimeout(r, 200));
    expect(liveProcesses(child.pid!)).toEqual([]);
  });
});

describe('check facts', () => {
  it('reads key=value lines after the marker, ignoring login noise and CRLF', () => {
    const facts = parseCheckFacts('Welcome to db1\nstatus=bogus\nfieldrun-check=1\nstatus=200\r\npid=1\npid=2\nnot a fact\n');
    expect(facts.ran).toBe(true);
    expect(facts.get('status')).toBe('200');
    expect(facts.all('pid')).toEqual(['1', '2']);
    expect(facts.has('cannot')).toBe(false);
    expect(parseCheckFacts('status=200\n').ran).toBe(false);
  });
});
