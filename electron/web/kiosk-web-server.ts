import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KioskHost } from '../host/kiosk-host.ts';
import {
  BRIDGE_KEY_PARAM,
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
import { isStartSecret, newStartSecret } from './start-secret.ts';

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

/** Largest frame a page may send: intents are small JSON objects. */
export const BRIDGE_MAX_PAYLOAD = 4096;

/** Answers an upgrade it refuses with a plain HTTP status, then hangs up. */
function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404): void {
  const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Serves the built renderer on loopback (127.0.0.1 only) with window.kiosk bridged over a
 * WebSocket to the host running in this Node process. The bridge is the session's remote control,
 * so it takes a connection only with this start's secret (`url` carries it; `key` by itself
 * when given none) and an Origin of this server's own page; a malformed frame (over
 * BRIDGE_MAX_PAYLOAD, invalid UTF-8, binary, not JSON) closes that connection only. With
 * `developer` controls, the page also gets the developer panel (place / remove the virtual card)
 * and its routes.
 */
export async function startKioskWebServer(options: {
  host: KioskHost;
  rendererDir: string;
  port?: number;
  developer?: DeveloperControls;
  /** The per-start secret; default 32 random bytes. */
  key?: string;
  /** Told of each connection closed for a malformed frame (the type of error only). */
  onBadFrame?: (problem: string) => void;
}): Promise<{ url: string; key: string; close(): Promise<void> }> {
  const key = options.key ?? newStartSecret();
  const rendererRoot = resolve(options.rendererDir);
  const bridge = await bundleKioskBridge();
  const developerPanel = options.developer ? await bundlePageScript('./dev-panel.ts') : undefined;
  const developerRoutes = options.developer ? createDeveloperRoutes(options.developer, key) : undefined;
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
  server.on('clientError', (_error, socket: Duplex) => socket.destroy());
  let port = 0;
  const ownOrigins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const sockets = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_PAYLOAD });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== BRIDGE_PATH) return refuseUpgrade(socket, 404);
    const origin = request.headers.origin;
    if (
      !isStartSecret(url.searchParams.get(BRIDGE_KEY_PARAM), key) ||
      !origin ||
      !ownOrigins().includes(origin)
    )
      return refuseUpgrade(socket, 403);
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  sockets.on('connection', (socket: WebSocket) => {
    const push = (message: BridgeMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    // A frame ws refuses (too large, invalid UTF-8) ends this connection, never the host.
    socket.on('error', (error: Error & { code?: string }) => {
      options.onBadFrame?.(error.code ?? error.name);
      socket.terminate();
    });
    push({ type: 'snapshot', snapshot: options.host.getSnapshot() });
    const unsubscribe = options.host.onSnapshot((snapshot) => push({ type: 'snapshot', snapshot }));
    socket.on('close', unsubscribe);
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        options.onBadFrame?.('binary');
        socket.close(1003, 'text frames only');
        return;
      }
      let message: BridgeRequest;
      try {
        message = JSON.parse(String(data)) as BridgeRequest;
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null || typeof message.id !== 'number') return;
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
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/?${BRIDGE_KEY_PARAM}=${key}`,
    key,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((done) => sockets.close(() => done()));
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
