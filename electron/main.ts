/**
 * Electron entry point, kept thin: the kiosk host (electron/host/) does the work; this file
 * only opens the locked-down window and bridges window.kiosk over IPC.
 * Electron's security checklist: context isolation, sandbox, no Node in the page, CSP (in the
 * page and as a header), navigation and new windows blocked, permission requests denied, IPC
 * sender frames validated.
 */
import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_GET_SNAPSHOT, IPC_SEND_INTENT, IPC_SNAPSHOT } from './ipc-channels.ts';
import { startKioskHostFromEnvironment } from './host/start-from-environment.ts';

const rendererIndex = join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

function fromOurPage(event: IpcMainInvokeEvent): boolean {
  return event.senderFrame?.url === rendererUrl;
}

async function main(): Promise<void> {
  app.enableSandbox();
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const running = await startKioskHostFromEnvironment(process.env);
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    kiosk: process.env.KIOSK_FULLSCREEN !== '0',
    autoHideMenuBar: true,
    backgroundColor: '#f6f4ef',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // The card reminder chimes and speaks after printing, without waiting for another touch.
      autoplayPolicy: 'no-user-gesture-required',
    },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('render-process-gone', () => window.reload());

  ipcMain.handle(IPC_GET_SNAPSHOT, (event) => (fromOurPage(event) ? running.host.getSnapshot() : undefined));
  ipcMain.handle(IPC_SEND_INTENT, (event, intent: unknown) =>
    fromOurPage(event) ? running.host.send(intent) : { accepted: false, reason: 'invalid' },
  );
  running.host.onSnapshot((snapshot) => window.webContents.send(IPC_SNAPSHOT, snapshot));

  app.on('before-quit', () => {
    void running.close();
  });
  await window.loadURL(rendererUrl);
}

main().catch((error: unknown) => {
  console.error('kiosk failed to start:', error instanceof Error ? error.message : 'unknown error');
  app.exit(1);
});
