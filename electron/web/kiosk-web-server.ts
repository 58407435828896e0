import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KioskHost } from '../host/kiosk-host.ts';
import {
  BRIDGE_PATH,
  BRIDGE_SCRIPT_PATH,
  type BridgeMessage,
  type BridgeRequest,
} from './bridge-messages.ts';
import {
  createDeveloperRoutes,
  DEVELOPER_PANEL_SCRIPT_PATH,
  type DeveloperControls,
} from './developer-controls.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/** Bundles the page-side window.kiosk bridge (TypeScript) into one classic script. */
export function bundleKioskBridge(): Promise<string> {
  return bundlePageScript('./kiosk-bridge.ts');
}

/** Bundles one page-side script of this folder (TypeScript) into one classic script. */
async function bundlePageScript(file: string): Promise<string> {
  const entry = fileURLToPath(new URL(file, import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    minify: true,
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`${file}: the bundle is empty`);
  return output.text;
}

/**
 * Serves the built renderer on loopback with window.kiosk bridged over a WebSocket to the host
 * running in this Node process. Only loopback origins may connect. With `developer` controls, the
 * page also gets the developer panel (place / remove the virtual card) and its routes.
 */
export async function startKioskWebServer(options: {
  host: KioskHost;
  rendererDir: string;
  port?: number;
  developer?: DeveloperControls;
}): Promise<{ url: string; close(): Promise<void> }> {
  const rendererRoot = resolve(options.rendererDir);
  const bridge = await bundleKioskBridge();
  const developerPanel = options.developer ? await bundlePageScript('./dev-panel.ts') : undefined;
  const developerRoutes = options.developer ? createDeveloperRoutes(options.developer) : undefined;
  const panelTag = developerPanel ? `<script src="${DEVELOPER_PANEL_SCRIPT_PATH}" defer></script>` : '';
  const indexHtml = (await readFile(join(rendererRoot, 'index.html'), 'utf8')).replace(
    /<head>/i,
    `<head><script src="${BRIDGE_SCRIPT_PATH}"></script>${panelTag}`,
  );

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (developerRoutes && (await developerRoutes(request, response, path))) return;
    if (developerPanel && path === DEVELOPER_PANEL_SCRIPT_PATH) {
      response
        .writeHead(200, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES['.js'] })
        .end(developerPanel);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, SECURITY_HEADERS).end();
      return;
    }
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES['.html'] }).end(indexHtml);
      return;
    }
    if (path === BRIDGE_SCRIPT_PATH) {
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES['.js'] }).end(bridge);
      return;
    }
    const file = normalize(join(rendererRoot, path));
    if (!file.startsWith(rendererRoot + sep)) {
      response.writeHead(404, SECURITY_HEADERS).end();
      return;
    }
    try {
      const body = await readFile(file);
      response
        .writeHead(200, {
          ...SECURITY_HEADERS,
          'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        })
        .end(body);
    } catch {
      response.writeHead(404, SECURITY_HEADERS).end();
    }
  }

  const server = createServer((request, response) => {
    serve(request, response).catch(() => response.writeHead(500, SECURITY_HEADERS).end());
  });
  const sockets = new WebSocketServer({
    server,
    path: BRIDGE_PATH,
    maxPayload: 4096,
    verifyClient: ({ origin }: { origin?: string }) =>
      !origin || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin),
  });

  sockets.on('connection', (socket: WebSocket) => {
    const push = (message: BridgeMessage) => socket.send(JSON.stringify(message));
    push({ type: 'snapshot', snapshot: options.host.getSnapshot() });
    const unsubscribe = options.host.onSnapshot((snapshot) => push({ type: 'snapshot', snapshot }));
    socket.on('close', unsubscribe);
    socket.on('message', (data) => {
      let message: BridgeRequest;
      try {
        message = JSON.parse(String(data)) as BridgeRequest;
      } catch {
        return;
      }
      if (typeof message?.id !== 'number') return;
      if (message.type === 'get')
        push({ type: 'reply', id: message.id, snapshot: options.host.getSnapshot() });
      else if (message.type === 'intent')
        push({ type: 'result', id: message.id, result: options.host.send(message.intent) });
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((done) => sockets.close(() => done()));
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
