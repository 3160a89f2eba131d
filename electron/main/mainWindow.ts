// The few lines that create Electron objects from the settings in security.ts. The settings are
// written out here as literals, not spread from security.ts, so that electronegativity (which
// cannot follow a function call) can check them; test/main/mainWindow.test.ts holds them equal to
// security.ts, where each setting has its own unit test.
import { BrowserWindow, shell, type Session } from 'electron';
import { externalLinkAllowed, secureWebContents } from './security';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Fieldrun',
    webPreferences: {
      // Reviewed preload: it exposes only one frozen function per contract method and an
      // allow-listed subscribe (test/preload/fieldrunApi.test.ts), never ipcRenderer or Node.
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
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
      disableBlinkFeatures: 'Auxclick',
    },
  });
  secureWebContents(window.webContents, openInSystemBrowser);
  return window;
}

function openInSystemBrowser(url: string): void {
  // Only https links reach the system browser: externalLinkAllowed is checked right here and
  // unit-tested in test/main/security.test.ts, so the scanner's warning on a variable URL is answered.
  if (externalLinkAllowed(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
}

/**
 * The same CSP again on every response of the session (app:// answers carry it already): a
 * second layer should a response ever come from elsewhere.
 */
export function enforceContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': ["default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-src 'none'; frame-ancestors 'none'; form-action 'none'"] } });
  });
}
