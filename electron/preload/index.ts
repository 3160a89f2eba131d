// The sandboxed preload (bundled to CommonJS): the only renderer-side file that touches
// ipcRenderer. The page gets `window.fieldrun`: one frozen function per contract method and an
// allow-listed `subscribe`, never ipcRenderer or a generic invoke.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildFieldrunApi } from '../../shared/api/fieldrunApi';
import { eventChannel, methodChannel } from '../../shared/api/channels';

const api = buildFieldrunApi({
  call: (method, input) => ipcRenderer.invoke(methodChannel(method), input),
  listen: (event, listener) => {
    const channel = eventChannel(event);
    // The IpcRendererEvent carries `sender` (ipcRenderer itself): it must never reach the page.
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

contextBridge.exposeInMainWorld('fieldrun', api);
