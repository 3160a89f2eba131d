// Child processes the fault loops start and kill: a TypeScript file run by Node through tsx, its
// stdout read line by line (a line cut short by a kill is never delivered).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '../..');

export function spawnTsx(file: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: REPO_ROOT, stdio: 'pipe' });
}

export function onLines(child: ChildProcessWithoutNullStreams, onLine: (line: string) => void): void {
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop()!;
    for (const line of parts) onLine(line);
  });
}

/** Resolves once the child has exited and everything it printed has been read ('close', not 'exit'). */
export function waitForClose(child: ChildProcessWithoutNullStreams): Promise<void> {
  if ((child.exitCode !== null || child.signalCode !== null) && child.stdout.closed) return Promise.resolve();
  return new Promise((resolve) => child.once('close', () => resolve()));
}

export function killIfAlive(child: ChildProcessWithoutNullStreams): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
