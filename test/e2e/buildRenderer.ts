import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Builds main, preload and renderer once before the specs (electron-vite needs no Electron binary to build). */
export default function buildRenderer(): void {
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error('Chromium is missing: install it with `apt-get install chromium` (or `npm run peers`).');
  }
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
}
