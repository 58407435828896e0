/**
 * The phone's listener (issue 11, step 1): the phone's web page at /phone/ and its endpoints
 * /v1/phone/… on a Fastify app of its own — never on the kiosks' mutual-TLS listener, as a phone
 * has no terminal certificate. HTTPS with the centre's server certificate and no client
 * certificate asked, or plain HTTP (loopback, development). The page's script is a port: the
 * composition hands over the bundled text (scripts/phone/page-bundle.ts bundles
 * scripts/phone/web/page.ts); without it, the page is not served and the endpoints still are.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { REDACTED_LOG_PATHS, type CentreHttpOptions } from '../http/app.ts';
import type { PhoneAttemptLimits } from './attempt-limit.ts';
import { registerPhoneRoutes } from './phone-routes.ts';
import type { PhoneService } from './phone-service.ts';
import { PHONE_PAGE_HTML } from './phone-page.ts';

export const PHONE_PAGE_PATH = '/phone/';

export interface PhoneAppOptions {
  service: PhoneService;
  /** HTTPS, server-authenticated only. Absent = plain HTTP (loopback). */
  https?: { certificatePem: string; privateKeyPem: string };
  /**
   * Development: the page may open a WebSocket to a card bridge on loopback
   * (`npm run phone -- --web`). Never in production, where the card is the app's NFC.
   */
  allowLoopbackCardBridge?: boolean;
  /** The face check's attempt limits (default PHONE_ATTEMPT_LIMITS) and the clock they count by. */
  attemptLimits?: PhoneAttemptLimits;
  now?: () => Date;
  /**
   * Behind the site's TLS front end: the front end's addresses, whose X-Forwarded-For then names
   * the source the per-source limit counts (Fastify's trustProxy). Absent: the connection's address.
   */
  trustProxy?: string[];
  /** As the kiosk app's: false = silent, else pino, always redacted (bodies are never written). */
  logger?: CentreHttpOptions['logger'];
}

export interface PhoneApp {
  app: FastifyInstance;
  /** Serves /phone/ with this script (the bundled page); call before the app listens. */
  servePage(script: string): void;
}

function contentSecurityPolicy(allowBridge: boolean): string {
  const connect = allowBridge ? "'self' ws://127.0.0.1:*" : "'self'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    `connect-src ${connect}`,
    "img-src 'self' blob:",
    "media-src 'self' blob:",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function buildPhoneApp(options: PhoneAppOptions): PhoneApp {
  const logger: FastifyServerOptions['logger'] =
    options.logger === false
      ? false
      : {
          level: options.logger?.level ?? 'info',
          redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
          ...(options.logger?.stream ? { stream: options.logger.stream } : {}),
        };
  // The body limit is the pin-reset route's (a selfie); the page itself takes no upload.
  const common = { logger, ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}) };
  const app = (options.https
    ? Fastify({
        ...common,
        https: {
          cert: options.https.certificatePem,
          key: options.https.privateKeyPem,
          minVersion: 'TLSv1.2',
        },
      })
    : Fastify(common)) as unknown as FastifyInstance;
  const csp = contentSecurityPolicy(options.allowLoopbackCardBridge === true);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cache-control', 'no-store');
    reply.header('content-security-policy', csp);
  });
  registerPhoneRoutes(app, options.service, {
    ...(options.attemptLimits ? { attemptLimits: options.attemptLimits } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: { code: 'not-found' } }));
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: { code: status < 500 ? 'bad-request' : 'internal' } });
  });
  return {
    app,
    servePage(script) {
      app.get('/phone', async (_request, reply) => reply.redirect(PHONE_PAGE_PATH));
      app.get(PHONE_PAGE_PATH, async (_request, reply) =>
        reply.type('text/html; charset=utf-8').send(PHONE_PAGE_HTML),
      );
      app.get(`${PHONE_PAGE_PATH}phone.js`, async (_request, reply) =>
        reply.type('text/javascript; charset=utf-8').send(script),
      );
    },
  };
}
