// Helpers for the resume spec (not a spec itself): a plan for the lab with baseline checks that
// fail on purpose (to be waived on screen), and the browser-mode host as a separate process that
// can be killed and started again on the same data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse, stringify } from 'yaml';
import type { TestLab } from '../hosts';
import { labPlanDir } from '../core/runner/runLab';
import { rendererOutDir } from './hostProcess';

/** labPlanDir with two more baseline checks that fail on every host. */
export function resumePlanDir(lab: TestLab, hosts: readonly string[], steps: Array<Record<string, unknown>>): string {
  const dir = labPlanDir(lab, hosts, steps);
  const doc = parse(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as { baseline: Array<Record<string, unknown>> };
  doc.baseline.push(
    { id: 'no-legacy-agent', title: 'No legacy agent installed', type: 'command', run: 'test -e /opt/legacy-agent-that-is-missing' },
    { id: 'spare-disk', title: 'Spare disk mounted', type: 'command', run: 'test -d /mnt/spare-disk-that-is-missing' },
  );
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

export interface KillableHost {
  readonly url: string;
  readonly child: ChildProcess;
  kill(): Promise<void>;
}

/** Starts resumeHost.ts on the data folder and waits for the URL it prints. */
export function startKillableHost(dataDir: string, keyPath: string): Promise<KillableHost> {
  const child = spawn('node_modules/.bin/tsx', ['test/e2e/resumeHost.ts', '--data-dir', dataDir, '--key', keyPath, '--renderer-dir', rendererOutDir()], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // Its own process group: SIGKILL reaches tsx's node child too, as a crash would.
    detached: true,
  });
  const kill = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(-child.pid!, 'SIGKILL');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The host printed no URL within 30 s.')), 30_000);
    child.once('exit', (code) => reject(new Error(`The host exited with ${code} before printing its URL.`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^Open (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64})$/.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ url: match[1], child, kill });
      }
    });
  });
}
