import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const scan = (input: string): Promise<{ code: number; out: string }> =>
  run('node', ['scripts/electronegativity-scan.mjs', '--input', input]).then(
    ({ stdout }) => ({ code: 0, out: stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, out: error.stdout }),
  );

const bad = mkdtempSync(join(tmpdir(), 'fieldrun-eng-'));
writeFileSync(
  join(bad, 'main.js'),
  "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n// eng-disable SANDBOX_JS_CHECK\n",
);
afterAll(() => rmSync(bad, { recursive: true, force: true }));

describe('@doyensec/electronegativity over electron/', () => {
  it('reports no high or medium finding, and every suppression has a written reason', async () => {
    const [ours, planted] = await Promise.all([scan('electron'), scan(bad)]);
    expect(ours.out).toContain('electronegativity: 0 medium/high finding(s), 0 unexplained suppression(s)');
    expect(ours.code).toBe(0);
    // The gate is not vacuous: a window with Node in the page and no isolation fails it.
    expect(planted.code).toBe(1);
    expect(planted.out).toMatch(/CONTEXT_ISOLATION_JS_CHECK|NODE_INTEGRATION_JS_CHECK/);
    expect(planted.out).toContain('suppression without a written reason');
  });
});
