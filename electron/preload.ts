/**
 * Electron preload: exposes exactly window.kiosk (electron/kiosk-api.ts) to the sandboxed page
 * over IPC. Nothing else of Electron or Node reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IntentResult, KioskApi, KioskIntent, KioskSnapshot } from './kiosk-api.ts';
import { IPC_GET_SNAPSHOT, IPC_SEND_INTENT, IPC_SNAPSHOT } from './ipc-channels.ts';

const kiosk: KioskApi = {
  getSnapshot: () => ipcRenderer.invoke(IPC_GET_SNAPSHOT) as Promise<KioskSnapshot>,
  onSnapshot(listener) {
    const handler = (_event: IpcRendererEvent, snapshot: KioskSnapshot) => listener(snapshot);
    ipcRenderer.on(IPC_SNAPSHOT, handler);
    return () => ipcRenderer.removeListener(IPC_SNAPSHOT, handler);
  },
  send: (intent: KioskIntent) => ipcRenderer.invoke(IPC_SEND_INTENT, intent) as Promise<IntentResult>,
};

contextBridge.exposeInMainWorld('kiosk', kiosk);
