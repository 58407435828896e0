import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEVELOPER_HEADER, DEVELOPER_PATH, type DeveloperCardState } from './developer-paths.ts';
import { isStartSecret } from './start-secret.ts';

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

/**
 * What kiosk:web's developer panel may do besides the resident's screens: put the virtual card on
 * the reader and take it off, so card-removed paths can be walked in a browser. Never in Electron,
 * never in production: only the Node host of kiosk:web (and the tests' driver) has these.
 */
export interface DeveloperCard {
  holderId: string;
  insert(): Promise<void>;
  remove(): Promise<void>;
}

export interface DeveloperControls {
  card?: DeveloperCard;
}

export {
  DEVELOPER_HEADER,
  DEVELOPER_PANEL_SCRIPT_PATH,
  DEVELOPER_PATH,
  type DeveloperCardState,
} from './developer-paths.ts';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * The developer routes: `GET /dev/card` (state), `POST /dev/card/place`, `POST /dev/card/remove`.
 * Each request must carry DEVELOPER_HEADER with `secret` and, when the browser sends one, a loopback Origin.
 * Returns false when the request is not a developer route.
 */
export function createDeveloperRoutes(controls: DeveloperControls, secret: string) {
  let onReader = controls.card !== undefined; // the stack puts the card on at start
  let busy: Promise<void> = Promise.resolve();

  const state = (): DeveloperCardState | null =>
    controls.card ? { holderId: controls.card.holderId, onReader } : null;

  return async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
  ): Promise<boolean> {
    if (path !== `${DEVELOPER_PATH}/card` && !path.startsWith(`${DEVELOPER_PATH}/card/`)) return false;
    const origin = request.headers.origin;
    if (
      !isStartSecret(headerValue(request.headers[DEVELOPER_HEADER]), secret) ||
      (origin !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin))
    ) {
      response.writeHead(403, JSON_HEADERS).end(JSON.stringify({ error: 'forbidden' }));
      return true;
    }
    const card = controls.card;
    if (!card) {
      response.writeHead(404, JSON_HEADERS).end(JSON.stringify({ error: 'no-card' }));
      return true;
    }
    if (request.method === 'GET' && path === `${DEVELOPER_PATH}/card`) {
      response.writeHead(200, JSON_HEADERS).end(JSON.stringify(state()));
      return true;
    }
    const action = path.slice(`${DEVELOPER_PATH}/card/`.length);
    if (request.method !== 'POST' || (action !== 'place' && action !== 'remove')) {
      response.writeHead(405, JSON_HEADERS).end(JSON.stringify({ error: 'method' }));
      return true;
    }
    // One card movement at a time, in the order asked.
    const move = busy.then(async () => {
      if (action === 'place') await card.insert();
      else await card.remove();
      onReader = action === 'place';
    });
    busy = move.catch(() => undefined);
    try {
      await move;
      response.writeHead(200, JSON_HEADERS).end(JSON.stringify(state()));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      response.writeHead(500, JSON_HEADERS).end(JSON.stringify({ error: 'card', detail }));
    }
    return true;
  };
}
