import type { BrowserWindowConstructorOptions, Session, WebContents, WebFrameMain, WebPreferences } from 'electron';
import { contentSecurityPolicy, RENDERER_RESPONSE_HEADERS } from '../shared-transport/contentSecurityPolicy';

// Every security setting of the shell, as data and small functions, so that each is unit-tested
// under Node without the Electron binary. index.ts only applies them.

/** The renderer is served from app://fieldrun/…, never file:// (which would expose the disk). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'fieldrun';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** Registered before `ready`: a standard, secure scheme so that the CSP's 'self' and fetch work. */
export const APP_SCHEME_PRIVILEGES = Object.freeze({
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: true,
});

export const APP_CONTENT_SECURITY_POLICY = contentSecurityPolicy();

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: true,
    // Middle-click would open links in a new window behind the window-open handler's back.
    disableBlinkFeatures: 'Auxclick',
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return { width: 1280, height: 820, minWidth: 900, minHeight: 600, show: false, title: 'Fieldrun', webPreferences: secureWebPreferences(preloadPath) };
}

/** True for URLs of our own renderer: app://fieldrun/… exactly (no credentials, no port). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** The renderer routes inside one page: every navigation away from it (or to anywhere) is refused. */
export function navigationAllowed(_url: string): false {
  return false;
}

/** window.open and target=_blank open nothing. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Camera, notifications, geolocation, clipboard reads…: the renderer needs none of them. */
export function permissionGranted(_permission: string): false {
  return false;
}

/** Only http(s) links the technician clicks go to the system browser; nothing else leaves the app. */
export function externalLinkAllowed(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:';
  } catch {
    return false;
  }
}

/** The part of an IPC message's sender that the check looks at. */
export interface IpcSender {
  readonly senderFrame: Pick<WebFrameMain, 'url' | 'parent'> | null;
  readonly sender: Pick<WebContents, 'id'>;
}

/**
 * An IPC message is served only when it comes from the main frame (no parent) of our window's
 * web contents and that frame shows our app:// renderer. A frame that navigated elsewhere, an
 * iframe, a detached frame or another window gets nothing.
 */
export function ipcSenderTrusted(event: IpcSender, window: { readonly webContentsId: number } | undefined): boolean {
  if (window === undefined) return false;
  const frame = event.senderFrame;
  if (frame === null) return false;
  return event.sender.id === window.webContentsId && frame.parent === null && isAppUrl(frame.url);
}

/** Response headers of every app:// answer. */
export function appResponseHeaders(mimeType: string): Record<string, string> {
  return { ...RENDERER_RESPONSE_HEADERS, 'Content-Type': mimeType, 'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY };
}

/** Applies the per-window rules to a window's web contents. */
export function secureWebContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAllowed(url)) openExternal(url);
    return windowOpenDecision();
  });
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applies the session-wide rules: permissions refused, checked or requested. */
export function secureSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionGranted(permission)));
  session.setPermissionCheckHandler((_contents, permission) => permissionGranted(permission));
  session.setDevicePermissionHandler(() => false);
}
