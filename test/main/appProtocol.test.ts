import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerAppRequest, appRequestFile } from '../../electron/main/appProtocol';

const base = mkdtempSync(join(tmpdir(), 'fieldrun-app-'));
const rendererDir = join(base, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Fieldrun</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {}');
writeFileSync(join(base, 'secret.txt'), 'outside');
mkdirSync(join(base, 'renderer-evil'));
writeFileSync(join(base, 'renderer-evil', 'x.js'), 'sibling');
symlinkSync(join(base, 'secret.txt'), join(rendererDir, 'assets', 'link.js'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves files of the built renderer, and index.html for routes', async () => {
    expect(appRequestFile(rendererDir, 'app://fieldrun/assets/app.js')).toBe(join(rendererDir, 'assets', 'app.js'));
    expect(appRequestFile(rendererDir, 'app://fieldrun/')).toBe(join(rendererDir, 'index.html'));
    expect(appRequestFile(rendererDir, 'app://fieldrun/runs/42')).toBe(join(rendererDir, 'index.html'));
    const response = await answerAppRequest(rendererDir, { url: 'app://fieldrun/index.html', method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).toContain('<title>Fieldrun</title>');
  });

  it('refuses traversal, encoded traversal, links out, siblings, other hosts and missing files', async () => {
    for (const url of [
      'app://fieldrun/../secret.txt',
      'app://fieldrun/%2e%2e/secret.txt',
      'app://fieldrun/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
      'app://fieldrun/..%5csecret.txt',
      'app://fieldrun/%00index.html',
      'app://fieldrun/assets/link.js',
      'app://fieldrun/../renderer-evil/x.js',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://fieldrun/missing.js',
      'app://fieldrun/%zz',
    ]) {
      expect(appRequestFile(rendererDir, url), url).toBeUndefined();
      const response = await answerAppRequest(rendererDir, { url, method: 'GET' });
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toMatch(/outside|sibling/);
    }
  });

  it('answers only GET', async () => {
    expect((await answerAppRequest(rendererDir, { url: 'app://fieldrun/index.html', method: 'POST' })).status).toBe(404);
  });
});
