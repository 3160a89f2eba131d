import { describe, expect, it } from 'vitest';
import {
  APP_CONTENT_SECURITY_POLICY,
  APP_SCHEME_PRIVILEGES,
  APP_START_URL,
  appResponseHeaders,
  externalLinkAllowed,
  ipcSenderTrusted,
  isAppUrl,
  mainWindowOptions,
  navigationAllowed,
  permissionGranted,
  secureSession,
  secureWebContents,
  secureWebPreferences,
  windowOpenDecision,
} from '../../electron/main/security';

// Electron's binary cannot run here: the settings are checked as data, and the apply functions
// against recording stand-ins for WebContents and Session (named fakes, as in STYLE.md).

describe('window settings', () => {
  const prefs = secureWebPreferences('/app/preload/index.cjs');
  it('isolates the preload context', () => expect(prefs.contextIsolation).toBe(true));
  it('sandboxes the renderer', () => expect(prefs.sandbox).toBe(true));
  it('gives the renderer no Node, not in workers, not in subframes', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps web security on and insecure content off', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
  });
  it('allows no <webview> and no navigation by dropping a file', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });
  it('uses the given preload and the same preferences for the main window', () => {
    expect(prefs.preload).toBe('/app/preload/index.cjs');
    expect(mainWindowOptions('/app/preload/index.cjs').webPreferences).toEqual(prefs);
  });
});

describe('content security policy', () => {
  const directives = new Map(APP_CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
  it('has the strict base directives', () => {
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
  });
  it('never allows inline or evaluated script, or remote hosts', () => {
    expect(APP_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(directives.get('script-src')).not.toContain('unsafe-inline');
    expect(directives.get('connect-src')).toBe("'self'");
  });
  it('comes with every app:// answer', () => {
    const headers = appResponseHeaders('text/html');
    expect(headers['Content-Security-Policy']).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
  });
});

describe('app:// scheme', () => {
  it('is registered standard and secure, without bypassing the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.standard).toBe(true);
    expect(APP_SCHEME_PRIVILEGES.secure).toBe(true);
    expect(APP_SCHEME_PRIVILEGES.bypassCSP).toBe(false);
  });
  it('recognises only our own renderer URLs', () => {
    expect(isAppUrl(APP_START_URL)).toBe(true);
    for (const url of ['file:///app/index.html', 'https://fieldrun/index.html', 'app://evil/index.html', 'app://user:pw@fieldrun/', 'app://fieldrun:8080/', 'not a url', '']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('navigation, windows and permissions', () => {
  it('denies every navigation', () => {
    for (const url of [APP_START_URL, 'https://example.com', 'file:///etc/passwd']) expect(navigationAllowed(url)).toBe(false);
  });
  it('denies window.open, sending only https links to the system browser', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
    expect(externalLinkAllowed('https://example.com/help')).toBe(true);
    for (const url of ['http://example.com', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'app://fieldrun/']) expect(externalLinkAllowed(url), url).toBe(false);
  });
  it('denies every permission', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) expect(permissionGranted(p)).toBe(false);
  });

  it('wires the window rules into the web contents (recording fake)', () => {
    const handlers = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const fakeContents = {
      on: (name: string, listener: (event: { preventDefault(): void }, url: string) => void) => handlers.set(name, listener),
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => (openHandler = handler),
    };
    const opened: string[] = [];
    secureWebContents(fakeContents as unknown as Parameters<typeof secureWebContents>[0], (url) => opened.push(url));
    for (const name of ['will-navigate', 'will-redirect']) {
      let prevented = false;
      handlers.get(name)?.({ preventDefault: () => (prevented = true) }, 'https://example.com');
      expect(prevented, name).toBe(true);
    }
    let webviewPrevented = false;
    handlers.get('will-attach-webview')?.({ preventDefault: () => (webviewPrevented = true) }, '');
    expect(webviewPrevented).toBe(true);
    expect(openHandler?.({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/help']);
  });

  it('wires the permission rules into the session (recording fake)', () => {
    const answers: boolean[] = [];
    const fakeSession = {
      setPermissionRequestHandler: (h: (c: unknown, p: string, cb: (granted: boolean) => void) => void) => h(null, 'media', (g) => answers.push(g)),
      setPermissionCheckHandler: (h: (c: unknown, p: string) => boolean) => answers.push(h(null, 'notifications')),
      setDevicePermissionHandler: (h: () => boolean) => answers.push(h()),
    };
    secureSession(fakeSession as unknown as Parameters<typeof secureSession>[0]);
    expect(answers).toEqual([false, false, false]);
  });
});

describe('IPC sender check', () => {
  const window = { webContentsId: 7 };
  const mainFrame = { url: APP_START_URL, parent: null };
  it('serves the main frame of our window showing app://', () => {
    expect(ipcSenderTrusted({ sender: { id: 7 }, senderFrame: mainFrame }, window)).toBe(true);
  });
  it('refuses another window, a subframe, a foreign URL, a gone frame or no window', () => {
    expect(ipcSenderTrusted({ sender: { id: 8 }, senderFrame: mainFrame }, window)).toBe(false);
    expect(ipcSenderTrusted({ sender: { id: 7 }, senderFrame: { url: APP_START_URL, parent: {} as never } }, window)).toBe(false);
    expect(ipcSenderTrusted({ sender: { id: 7 }, senderFrame: { url: 'https://evil.example/', parent: null } }, window)).toBe(false);
    expect(ipcSenderTrusted({ sender: { id: 7 }, senderFrame: { url: 'file:///tmp/x.html', parent: null } }, window)).toBe(false);
    expect(ipcSenderTrusted({ sender: { id: 7 }, senderFrame: null }, window)).toBe(false);
    expect(ipcSenderTrusted({ sender: { id: 7 }, senderFrame: mainFrame }, undefined)).toBe(false);
  });
});
