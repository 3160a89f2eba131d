// A lab leaves nothing behind: not after stop(), not after its process was killed; labs that
// run at once do not collide; without namespaces the fallback is loud, and refused under CI.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestLab, type TestLab } from './index';
import { pidsHoldingFilesUnder } from './processes';
import { runSsh } from './runSsh';

const IP = '/usr/sbin/ip';
const here = dirname(fileURLToPath(import.meta.url));

function kernelObjects(labId: string): string[] {
  const netns = execFileSync(IP, ['netns', 'list'], { encoding: 'utf8' });
  const links = execFileSync(IP, ['-o', 'link', 'show'], { encoding: 'utf8' });
  return [...netns.split('\n'), ...links.split('\n')].filter((l) => l.includes(`fr-${labId}-`) || l.includes(`fr${labId}`));
}

const labIdOf = (lab: TestLab): string => basename(dirname(lab.sshConfigPath));
const labs: TestLab[] = [];
const envBefore = { ...process.env };

afterEach(async () => {
  await Promise.all(labs.splice(0).map((l) => l.stop()));
  process.env = { ...envBefore };
});

describe('lab lifecycle', () => {
  it('stop() removes namespaces, links, processes and folders, and may be called twice', async () => {
    const lab = await startTestLab({ hosts: ['s1', { name: 's2', behind: 's1' }] });
    const id = labIdOf(lab);
    const dir = dirname(lab.sshConfigPath);
    expect(kernelObjects(id).length).toBeGreaterThanOrEqual(4);
    expect(pidsHoldingFilesUnder(dir).length).toBe(2);
    expect((await runSsh(lab, 's2', 'hostname')).stdout).toBe('s2\n');

    await lab.stop();
    await lab.stop();
    expect(kernelObjects(id)).toEqual([]);
    expect(pidsHoldingFilesUnder(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(() => lab.host('s1')).toThrow(/stopped/);
  });

  it('sweeps the lab of a process that was killed', async () => {
    // One process (node with tsx's loader, not the tsx wrapper, which would outlive SIGKILL's aim).
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures/holdLab.ts')], { cwd: join(here, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const dir = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`holdLab exited early (${String(code)})`)));
    });
    const id = basename(dir);
    expect(kernelObjects(id).length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    // Killed outright: nothing ran its cleanup, the hosts live on.
    expect(pidsHoldingFilesUnder(dir).length).toBe(2);

    labs.push(await startTestLab({ hosts: ['next'] }));
    expect(kernelObjects(id)).toEqual([]);
    expect(pidsHoldingFilesUnder(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('runs private labs side by side and the example addresses one lab at a time', async () => {
    const [a, b] = await Promise.all([startTestLab({ hosts: ['web1'] }), startTestLab({ hosts: ['web1'] })]);
    labs.push(a!, b!);
    expect(a!.host('web1').address).not.toBe(b!.host('web1').address);
    const [ra, rb] = await Promise.all([runSsh(a!, 'web1', 'hostname'), runSsh(b!, 'web1', 'hostname')]);
    expect([ra.stdout, rb.stdout]).toEqual(['web1\n', 'web1\n']);

    const first = await startTestLab({ hosts: ['jump1'], exampleAddresses: true });
    labs.push(first);
    expect(first.host('jump1').address).toBe('198.18.0.10');
    await expect(startTestLab({ hosts: ['jump1'], exampleAddresses: true, waitMs: 300 })).rejects.toThrow(/still held by lab/);
    const waiting = startTestLab({ hosts: ['jump1'], exampleAddresses: true });
    await new Promise((r) => setTimeout(r, 300));
    await first.stop();
    const second = await waiting;
    labs.push(second);
    expect((await runSsh(second, 'jump1', 'hostname')).stdout).toBe('jump1\n');
  });

  it('falls back to loopback ports without namespaces, and refuses to under CI=true', async () => {
    process.env['FIELDRUN_LAB_MODE'] = 'loopback';
    delete process.env['CI'];
    const lab = await startTestLab({ hosts: ['lb1', { name: 'lb2', behind: 'lb1' }] });
    labs.push(lab);
    expect(lab.mode).toBe('loopback');
    expect(lab.hosts.map((h) => h.address)).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(lab.host('lb1').port).not.toBe(lab.host('lb2').port);
    const r = await runSsh(lab, 'lb2', 'echo via-jump');
    expect(r.stdout).toBe('via-jump\n');
    await lab.faults.killListener('lb1');
    expect((await runSsh(lab, 'lb1', 'true')).stderr).toMatch(/Connection refused/);
    await expect(lab.faults.linkDown('lb1')).rejects.toThrow(/needs the namespaces lab/);

    process.env['CI'] = 'true';
    await expect(startTestLab({ hosts: ['lb3'] })).rejects.toThrow(/CI=true/);
  });
});
