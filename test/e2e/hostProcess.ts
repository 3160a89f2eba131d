import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Where the e2e build put the renderer (FIELDRUN_RENDERER_OUT, as in electron.vite.config.ts). */
export function rendererOutDir(): string {
  return process.env['FIELDRUN_RENDERER_OUT'] ?? 'out/renderer';
}

export interface HostProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `electron/host/main.ts` (what `npm run serve` runs) and waits for the URL it prints. */
export function startHostProcess(dataDir: string): Promise<HostProcess> {
  const child = spawn('node_modules/.bin/tsx', ['electron/host/main.ts', '--data-dir', dataDir, '--renderer-dir', rendererOutDir()], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The host printed no URL within 20 s.')), 20_000);
    child.once('exit', (code) => reject(new Error(`The host exited with ${code} before printing its URL.`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^Open (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64})$/.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ url: match[1], child, stop });
      }
    });
  });
}
