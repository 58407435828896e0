/**
 * Electron's binary cannot be downloaded on these machines, so the built main process
 * (dist/electron/main.cjs, made by `npm run build`) is loaded under Node with a stand-in for the
 * `electron` module that records what main.ts asks of it. This checks that the bundle's whole
 * module graph loads, and that the window is locked down as Electron's security checklist asks.
 */
import { createRequire } from 'node:module';
import Module from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPaymentSim, type RunningPaymentSim } from '../../scripts/dev/payment-sim/launch.ts';
import { PROJECT_ROOT } from '../support/run-command.ts';

interface Recorded {
  sandboxEnabled: boolean;
  windowOptions?: { webPreferences?: Record<string, unknown> };
  windowOpen?: unknown;
  navigationPrevented?: boolean;
  permissionGranted?: boolean;
  permissionCheck?: boolean;
  handlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  loadedUrl?: string;
  loads: number;
  sent: Array<{ channel: string; payload: unknown }>;
  singleInstanceLock: boolean;
  appHandlers: Map<string, (event: { preventDefault(): void }) => void>;
  contentsHandlers: Map<string, (event: unknown, details: { reason: string }) => void>;
  quits: number;
  paths: Map<string, string>;
}

function standInElectron(recorded: Recorded, ready: Promise<void>) {
  class BrowserWindow {
    webContents = {
      setWindowOpenHandler: (handler: () => unknown) => {
        recorded.windowOpen = handler();
      },
      on: (event: string, listener: (e: { preventDefault(): void }, details?: unknown) => void) => {
        if (event === 'will-navigate')
          listener({ preventDefault: () => (recorded.navigationPrevented = true) });
        else recorded.contentsHandlers.set(event, listener as never);
      },
      send: (channel: string, payload: unknown) => recorded.sent.push({ channel, payload }),
    };
    constructor(options: Recorded['windowOptions']) {
      recorded.windowOptions = options;
    }
    loadURL(url: string) {
      recorded.loadedUrl = url;
      recorded.loads += 1;
      return Promise.resolve();
    }
    reload() {}
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (handler: (c: unknown, p: string, cb: (ok: boolean) => void) => void) =>
        handler(null, 'media', (ok) => (recorded.permissionGranted = ok)),
      setPermissionCheckHandler: (handler: () => boolean) => (recorded.permissionCheck = handler()),
      clearStorageData: () => Promise.resolve(),
      clearCache: () => Promise.resolve(),
    },
  };
  return {
    app: {
      enableSandbox: () => (recorded.sandboxEnabled = true),
      whenReady: () => ready,
      exit: (code: number) => {
        throw new Error(`main.ts exited with ${code}`);
      },
      requestSingleInstanceLock: () => (recorded.singleInstanceLock = true),
      setPath: (name: string, path: string) => recorded.paths.set(name, path),
      on: (event: string, listener: (e: { preventDefault(): void }) => void) =>
        recorded.appHandlers.set(event, listener),
      quit: () => (recorded.quits += 1),
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: Recorded['handlers'] extends Map<string, infer H> ? H : never) =>
        recorded.handlers.set(channel, handler),
    },
    session,
  };
}

describe('Electron main process (built bundle, stand-in electron module)', () => {
  const recorded: Recorded = {
    sandboxEnabled: false,
    handlers: new Map(),
    sent: [],
    loads: 0,
    singleInstanceLock: false,
    appHandlers: new Map(),
    contentsHandlers: new Map(),
    quits: 0,
    paths: new Map(),
  };
  const bundle = join(PROJECT_ROOT, 'dist', 'electron', 'main.cjs');
  let spool: string;
  let paymentSim: RunningPaymentSim | undefined;
  const saved = { ...process.env };
  const moduleInternals = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  const resolveFilename = moduleInternals._resolveFilename;

  beforeAll(async () => {
    expect(existsSync(bundle), 'run `npm run build` first').toBe(true);
    spool = await mkdtemp(join(tmpdir(), 'kiosk-electron-spool-'));
    paymentSim = await launchPaymentSim();
    const sealRoots = join(spool, 'seal-root-keys.pem');
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(sealRoots, publicKey.export({ format: 'pem', type: 'spki' }));
    Object.assign(process.env, {
      KIOSK_PAYMENT_SERIAL: paymentSim.devicePath,
      KIOSK_SEAL_ROOT_KEYS: sealRoots,
      KIOSK_CENTRE_URL: 'http://127.0.0.1:9',
      KIOSK_TERMINAL_ID: 'S0001-T01',
      KIOSK_SPOOL_DIR: spool,
      KIOSK_LOG_LEVEL: 'silent',
    });
    const standIn = join(spool, 'electron-stand-in.cjs');
    const require = createRequire(import.meta.url);
    require.cache[standIn] = {
      id: standIn,
      filename: standIn,
      loaded: true,
      exports: standInElectron(recorded, Promise.resolve()),
    } as unknown as NodeJS.Module;
    moduleInternals._resolveFilename = function (request: string, ...rest: unknown[]) {
      return request === 'electron' ? standIn : resolveFilename.call(this, request, ...rest);
    };
    require(bundle);
    const deadline = Date.now() + 20_000;
    while (!recorded.loadedUrl && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    moduleInternals._resolveFilename = resolveFilename;
    process.env = saved;
    await paymentSim?.stop();
    await rm(spool, { recursive: true, force: true });
  });

  it('opens one locked-down window on the built renderer', () => {
    expect(recorded.sandboxEnabled).toBe(true);
    expect(recorded.windowOptions?.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String(recorded.windowOptions?.webPreferences?.preload)).toMatch(/preload\.cjs$/);
    expect(recorded.loadedUrl).toMatch(/^file:\/\/.*\/dist\/renderer\/index\.html$/);
    expect(recorded.windowOpen).toEqual({ action: 'deny' });
    expect(recorded.navigationPrevented).toBe(true);
    expect(recorded.permissionGranted).toBe(false);
    expect(recorded.permissionCheck).toBe(false);
    // Chromium's storage in a folder of this start only, not the user's profile.
    const pageData = recorded.paths.get('sessionData') ?? '';
    expect(pageData.startsWith(join(tmpdir(), 'kiosk-page-data-'))).toBe(true);
    expect(existsSync(pageData)).toBe(true);
  });

  it('answers window.kiosk over IPC only for its own page', async () => {
    const getSnapshot = recorded.handlers.get('kiosk:get-snapshot');
    const sendIntent = recorded.handlers.get('kiosk:send-intent');
    expect(getSnapshot && sendIntent).toBeTruthy();
    const ours = { senderFrame: { url: recorded.loadedUrl } };
    const stranger = { senderFrame: { url: 'https://example.invalid/' } };
    expect(await getSnapshot?.(ours)).toMatchObject({ transactionId: null, view: { screen: 'welcome' } });
    expect(await getSnapshot?.(stranger)).toBeUndefined();
    expect(await sendIntent?.(stranger, { type: 'start' })).toEqual({ accepted: false, reason: 'invalid' });
    expect(await sendIntent?.(ours, { type: 'pin-submit' })).toEqual({
      accepted: false,
      reason: 'bad-state',
    });
  });

  it('runs as one instance; a crashed renderer is reloaded, a page closing with the app is not', () => {
    expect(recorded.singleInstanceLock).toBe(true);
    const gone = recorded.contentsHandlers.get('render-process-gone');
    expect(gone).toBeTruthy();
    const loads = recorded.loads;
    gone?.({}, { reason: 'clean-exit' });
    expect(recorded.loads).toBe(loads);
    gone?.({}, { reason: 'crashed' });
    expect(recorded.loads).toBe(loads + 1);
  });

  it('holds the quit until the host has closed, then quits', async () => {
    const beforeQuit = recorded.appHandlers.get('before-quit');
    expect(beforeQuit).toBeTruthy();
    let prevented = false;
    beforeQuit?.({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(recorded.quits).toBe(0);
    const deadline = Date.now() + 20_000;
    while (recorded.quits === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(recorded.quits).toBe(1);
    // The page's storage folder of this start is gone with it.
    expect(existsSync(recorded.paths.get('sessionData') ?? '')).toBe(false);
    let preventedAgain = false;
    beforeQuit?.({ preventDefault: () => (preventedAgain = true) });
    expect(preventedAgain).toBe(false);
  });
});
