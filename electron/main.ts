/**
 * Electron entry point, kept thin: the kiosk host (electron/host/) does the work; this file
 * only opens the locked-down window and bridges window.kiosk over IPC.
 * Electron's security checklist: context isolation, sandbox, no Node in the page, CSP (in the
 * page and as a header), navigation and new windows blocked, permission requests denied, IPC
 * sender frames validated.
 * Faults (electron/README.md, "The host's own faults"): one instance only; a renderer gone is a
 * host fault (the session ends through the clean-up, the page reloads), past the supervisor's
 * limit the process exits non-zero; a quit waits for the clean-up.
 */
import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_GET_SNAPSHOT, IPC_SEND_INTENT, IPC_SNAPSHOT } from './ipc-channels.ts';
import { KIOSK_SCREEN } from './kiosk-screen.ts';
import { whenSessionEnds } from './host/page-data.ts';
import { createQuitGate, isRendererFault, superviseProcess } from './host/process-supervision.ts';
import { startKioskHostFromEnvironment } from './host/start-from-environment.ts';

const rendererIndex = join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

function fromOurPage(event: IpcMainInvokeEvent): boolean {
  return event.senderFrame?.url === rendererUrl;
}

async function main(): Promise<void> {
  // A second kiosk would fight the first for the reader, the printer and the journal.
  if (!app.requestSingleInstanceLock()) {
    app.exit(0);
    return;
  }
  app.enableSandbox();
  // The page's own storage (cache, local storage, …) in a folder of this start only (page-data.ts).
  const pageData = mkdtempSync(join(tmpdir(), 'kiosk-page-data-'));
  app.setPath('sessionData', pageData);
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const running = await startKioskHostFromEnvironment(process.env);
  const window = new BrowserWindow({
    width: KIOSK_SCREEN.widthPx,
    height: KIOSK_SCREEN.heightPx,
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
  window.webContents.on('render-process-gone', (_event, details: { reason: string }) => {
    if (!isRendererFault(details.reason)) return;
    // The session ends through the clean-up; the reloaded page shows its error (or out-of-service) screen.
    running.host.reportFault('renderer-gone');
    void window.loadURL(rendererUrl);
  });

  ipcMain.handle(IPC_GET_SNAPSHOT, (event) => (fromOurPage(event) ? running.host.getSnapshot() : undefined));
  ipcMain.handle(IPC_SEND_INTENT, (event, intent: unknown) =>
    fromOurPage(event) ? running.host.send(intent) : { accepted: false, reason: 'invalid' },
  );
  running.host.onSnapshot((snapshot) => window.webContents.send(IPC_SNAPSHOT, snapshot));
  whenSessionEnds(running.host, () => {
    void session.defaultSession.clearStorageData();
    void session.defaultSession.clearCache();
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= running.close().finally(() => rmSync(pageData, { recursive: true, force: true })));
  superviseProcess({
    host: running.host,
    close,
    exit: (code) => app.exit(code),
    logger: running.logger,
  });
  app.on('before-quit', createQuitGate({ close, quit: () => app.quit(), logger: running.logger }));
  await window.loadURL(rendererUrl);
}

main().catch((error: unknown) => {
  console.error('kiosk failed to start:', error instanceof Error ? error.message : 'unknown error');
  app.exit(1);
});
