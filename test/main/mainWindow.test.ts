import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/shared-transport/contentSecurityPolicy';
import { APP_CONTENT_SECURITY_POLICY, mainWindowOptions } from '../../electron/main/security';

// mainWindow.ts imports Electron (which cannot run here), and writes the settings out as
// literals for the scanner: its source is read and held equal to security.ts, the tested spec.
const source = readFileSync('electron/main/mainWindow.ts', 'utf8').replace(/\/\/.*$/gm, '');

function literalSettings(block: string): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [, key, value] of block.matchAll(/(\w+): ('[^']*'|true|false|\d+|preloadPath)/g)) {
    settings[key!] = value === 'preloadPath' ? '/preload.cjs' : (JSON.parse(value!.replace(/'/g, '"')) as unknown);
  }
  return settings;
}

describe('the main window as built', () => {
  it('uses exactly the web preferences of security.ts', () => {
    const block = /webPreferences: \{([^}]*)\}/.exec(source)?.[1] ?? '';
    expect(literalSettings(block)).toEqual(mainWindowOptions('/preload.cjs').webPreferences);
  });

  it('uses the window size and title of security.ts', () => {
    const head = /new BrowserWindow\(\{([^]*?)webPreferences/.exec(source)?.[1] ?? '';
    const { webPreferences: _, ...rest } = mainWindowOptions('/preload.cjs');
    expect(literalSettings(head)).toEqual(rest);
  });

  it('sends the one CSP on every response of the session', () => {
    const literal = /'Content-Security-Policy': \["([^"]+)"\]/.exec(source)?.[1];
    expect(literal).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(literal).toBe(contentSecurityPolicy());
  });
});
