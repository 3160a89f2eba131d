// The only main-process file that touches ipcMain. One channel per contract method, derived from
// the contract; every message's sender is checked; the core's dispatch validates every argument
// and answers errors as data, so nothing is ever thrown across IPC.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { eventChannel, methodChannel } from '../../shared/api/channels';
import { METHOD_NAMES } from '../../shared/contract';
import type { DispatchResult, EventName } from '../../shared/contract';
import { ipcSenderTrusted } from './security';

export interface IpcCore {
  dispatch(method: unknown, input: unknown): Promise<DispatchResult>;
  readonly events: { subscribe(listener: (name: EventName, payload: unknown) => void): () => void };
}

const refused: DispatchResult = {
  ok: false,
  error: { code: 'IPC_SENDER_REFUSED', message: 'This call came from a page that is not Fieldrun’s own window and was refused. Restart the app.' },
};

/** Serves the contract to one window; returns what undoes it. */
export function serveContractOverIpc(core: IpcCore, window: () => WebContents | undefined, onCall?: (method: string) => void): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(methodChannel(method), async (event: IpcMainInvokeEvent, input: unknown): Promise<DispatchResult> => {
      const contents = window();
      if (!ipcSenderTrusted(event, contents === undefined ? undefined : { webContentsId: contents.id })) return refused;
      onCall?.(method);
      return core.dispatch(method, input);
    });
  }
  const unsubscribe = core.events.subscribe((name, payload) => {
    const contents = window();
    if (contents !== undefined && !contents.isDestroyed()) contents.send(eventChannel(name), payload);
  });
  return () => {
    unsubscribe();
    for (const method of METHOD_NAMES) ipcMain.removeHandler(methodChannel(method));
  };
}
