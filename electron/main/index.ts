// The Electron shell: lifecycle, one window, the menu, file dialogs, the power-save blocker and
// the core started in-process. Every security setting lives in security.ts; IPC in ipcBridge.ts.
import { join } from 'node:path';
import { app, type BrowserWindow, dialog, Menu, powerSaveBlocker, protocol, safeStorage, session } from 'electron';
import { createCore, type Core } from '../core/core';
import { NATIVE_DIR_ENV } from '../core/store/nativeBinding';
import { answerAppRequest } from './appProtocol';
import { KeychainSecretStore, keychainSecretsPath, secretStoreKindFor } from './keychainSecretStore';
import { serveContractOverIpc } from './ipcBridge';
import { keepAwakeWanted, powerSaveToggle } from './powerPolicy';
import { createMainWindow, enforceContentSecurityPolicy } from './mainWindow';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_START_URL, secureSession } from './security';

const here = import.meta.dirname;
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/index.cjs');
// better-sqlite3's Electron build: beside the app when packaged, in node_modules/.electron-native in development.
process.env[NATIVE_DIR_ENV] = app.isPackaged ? join(process.resourcesPath, 'native') : join(app.getAppPath(), 'node_modules', '.electron-native');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
// A second instance would find the data folder locked: it hands over to the first and quits.
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();

let core: Core | undefined;
let window: BrowserWindow | undefined;

function openWindow(): void {
  window = createMainWindow(preloadPath);
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => (window = undefined));
  void window.loadURL(APP_START_URL);
}

async function importPlanFromDialog(): Promise<void> {
  if (core === undefined || window === undefined) return;
  const picked = await dialog.showOpenDialog(window, {
    title: 'Import an installation plan',
    properties: ['openFile'],
    filters: [{ name: 'Installation plans', extensions: ['yaml', 'yml', 'tar', 'tgz'] }],
  });
  const path = picked.filePaths[0];
  if (picked.canceled || path === undefined) return;
  const result = await core.dispatch('plans.import', { source: { kind: 'path', path } });
  if (!result.ok) await dialog.showMessageBox(window, { type: 'warning', message: 'The plan was not imported.', detail: result.error.message });
}

function buildMenu(): Menu {
  return Menu.buildFromTemplate([
    {
      label: 'File',
      submenu: [{ label: 'Import plan…', accelerator: 'CmdOrCtrl+O', click: () => void importPlanFromDialog() }, { type: 'separator' }, { role: 'quit' }],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }] },
    { role: 'windowMenu' },
  ]);
}

function startCore(): Core {
  const dataDir = join(app.getPath('userData'), 'data');
  // The OS keychain when it really protects (not Linux's `basic_text`); otherwise the core's key
  // vault keeps a passphrase-protected file that the technician unlocks each session.
  const keychain = secretStoreKindFor(process.platform, safeStorage) === 'os-keychain';
  const started = createCore(keychain ? { dataDir, secretStore: new KeychainSecretStore(safeStorage, keychainSecretsPath(dataDir)) } : { dataDir });
  const keepAwake = powerSaveToggle(powerSaveBlocker);
  started.events.subscribe((name) => {
    if (name === 'runs.changed') keepAwake(keepAwakeWanted(started.runner.list().map((r) => r.phase)));
  });
  return started;
}

app.on('second-instance', () => window?.focus());
app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => core?.close());

void app.whenReady().then(() => {
  if (!primaryInstance) return;
  secureSession(session.defaultSession);
  enforceContentSecurityPolicy(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(rendererDir, request));
  try {
    core = startCore();
  } catch (error) {
    dialog.showErrorBox('Fieldrun cannot open its data folder', error instanceof Error ? error.message : String(error));
    app.quit();
    return;
  }
  serveContractOverIpc(core, () => window?.webContents);
  Menu.setApplicationMenu(buildMenu());
  openWindow();
});
