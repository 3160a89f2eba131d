import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { onLines, spawnTsx } from '../../faults/children';
import { openStore, type Clock, type Store, type StoreOptions } from '../../../electron/core/store';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(prefix = 'fieldrun-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store in a fresh data folder, closed after the test. */
export function tempStore(options: Partial<StoreOptions> = {}): Store {
  const store = openStore({ dataDir: join(tempDir(), 'data'), ...options });
  cleanups.push(() => store.close());
  return store;
}

/** A clock that moves only when told: deterministic times in events. */
export function steppingClock(startIso = '2026-03-01T08:00:00.000Z'): Clock & { advance(ms: number): void } {
  let wall = Date.parse(startIso);
  let mono = 1_000_000_000n;
  return {
    nowUtc: () => new Date(wall),
    monotonicNs: () => mono,
    advance(ms: number) {
      wall += ms;
      mono += BigInt(ms) * 1_000_000n;
    },
  };
}

export function spawnFixture(name: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  const child = spawnTsx(join(FIXTURES, name), args);
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}


export function waitForLine(child: ChildProcessWithoutNullStreams, match: (line: string) => boolean, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => reject(new Error(`no expected line from child within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    onLines(child, (line) => {
      if (match(line)) {
        clearTimeout(timer);
        resolvePromise(line);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code ?? signal}) before the expected line; stderr: ${stderr}`));
    });
  });
}

/** Resolves once the child has exited and everything it printed has been read ('close', not 'exit'). */
export function waitForExit(child: ChildProcessWithoutNullStreams): Promise<void> {
  if ((child.exitCode !== null || child.signalCode !== null) && child.stdout.closed) return Promise.resolve();
  return new Promise((resolvePromise) => child.once('close', () => resolvePromise()));
}
