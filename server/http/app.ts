import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { TLSSocket } from 'node:tls';
import type { z } from 'zod';
import {
  API_PREFIX,
  AuthenticateRequestSchema,
  ChallengeRequestSchema,
  DeliveryRequestSchema,
  IssueRequestSchema,
  TransactionIdSchema,
  PROTOCOL_VERSION,
} from '../../protocol/api.ts';
import { messageKeyFor, type CentreErrorBody, type CentreErrorCode } from '../../protocol/errors.ts';
import type { CentreResult } from '../errors.ts';
import type { KioskService } from '../kioskService.ts';
import { centreTlsServerOptions, type CentreTlsOptions } from '../tls/serverTls.ts';
import { connectionTerminalIdentity, refuseRenegotiation } from '../tls/terminalIdentity.ts';
import { HTTP_STATUS_FOR } from './statusCodes.ts';
import { redactDeep } from '../../protocol/redaction.ts';
import { registerRegistrationRoutes } from './registration-routes.ts';

/** Log fields that may carry personal data or card material: never written. */
export const REDACTED_LOG_PATHS = [
  'req.body',
  'body',
  '*.certificate',
  '*.signature',
  '*.challenge',
  '*.document',
  '*.seal',
  '*.name',
  '*.address',
  'req.headers.authorization',
];

export interface CentreHttpOptions {
  /** false = silent; otherwise pino at `level` (default info) to `stream` (default stdout), always redacted. */
  logger?: false | { level?: string; stream?: { write(line: string): void } };
  /**
   * HTTPS with mutual TLS: only kiosks with a valid terminal certificate connect, and every
   * request's terminalId must be the certificate's (else 403 terminal-unknown). Without it the
   * app speaks plain HTTP (tests and loopback tools only).
   */
  tls?: CentreTlsOptions;
  /** Extra fields for `GET /v1/health` (the terminal CRL's state): operators' monitoring, never personal data. */
  healthDetails?: () => Record<string, unknown>;
}

function errorBody(code: CentreErrorCode): CentreErrorBody {
  return { error: { code, messageKey: messageKeyFor(code) } };
}

function transactionIdOf(body: unknown, params?: unknown): string | undefined {
  for (const source of [body, params]) {
    if (source && typeof source === 'object' && 'transactionId' in source) {
      const id = (source as { transactionId: unknown }).transactionId;
      if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return id;
    }
  }
  return undefined;
}

function terminalIdClaimedBy(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'terminalId' in body) {
    const id = (body as { terminalId: unknown }).terminalId;
    return typeof id === 'string' ? id : '';
  }
  return undefined;
}

/** mTLS: the caller is a known terminal, and speaks only for itself. */
async function requireTerminal(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const identity = connectionTerminalIdentity(request.raw.socket as TLSSocket);
  const claimed = terminalIdClaimedBy(request.body);
  const refusal = !identity.ok
    ? identity.problem
    : claimed !== undefined && claimed !== identity.identity.terminalId
      ? 'terminal-id-mismatch'
      : undefined;
  if (refusal === undefined) return;
  request.log.info(
    {
      transactionId: transactionIdOf(request.body),
      statusCode: 403,
      code: 'terminal-unknown',
      detail: refusal,
    },
    'refused',
  );
  await reply.code(HTTP_STATUS_FOR['terminal-unknown']).send(errorBody('terminal-unknown'));
}

/** The kiosk API over HTTP: zod-validated bodies, CentreErrorBody refusals, logs with transaction ids only. */
export function buildCentreHttpApp(service: KioskService, options: CentreHttpOptions = {}): FastifyInstance {
  const logger: FastifyServerOptions['logger'] =
    options.logger === false
      ? false
      : {
          level: options.logger?.level ?? 'info',
          redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
          formatters: {
            log: (fields: Record<string, unknown>) => redactDeep(fields) as Record<string, unknown>,
          },
          ...(options.logger?.stream ? { stream: options.logger.stream } : {}),
        };
  const common = {
    logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
  };
  // One app type for both transports: the routes never touch the server object.
  const app = options.tls
    ? (Fastify({ ...common, https: centreTlsServerOptions(options.tls) }) as unknown as FastifyInstance)
    : Fastify(common);
  if (options.tls) {
    app.server.on('secureConnection', refuseRenegotiation);
    app.addHook('preHandler', requireTerminal);
  }

  async function answer<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    route: string,
    work: () => Promise<CentreResult<T>>,
  ): Promise<T | CentreErrorBody> {
    const transactionId = transactionIdOf(request.body, request.params);
    let result: CentreResult<T>;
    try {
      result = await work();
    } catch (error) {
      request.log.error(
        {
          route,
          transactionId,
          // Type and code only (protocol/redaction.ts): a message may quote personal data.
          err: error instanceof Error ? error : 'unknown',
        },
        'centre failure',
      );
      result = { ok: false, error: { kind: 'internal' } };
    }
    if (result.ok) {
      request.log.info({ route, transactionId, statusCode: 200 }, 'answered');
      return result.value;
    }
    const status = HTTP_STATUS_FOR[result.error.kind];
    request.log.info(
      { route, transactionId, statusCode: status, code: result.error.kind, detail: result.error.detail },
      'refused',
    );
    void reply.code(status);
    return errorBody(result.error.kind);
  }

  function validated<S extends z.ZodType, T>(
    schema: S,
    route: string,
    handle: (body: z.infer<S>) => Promise<CentreResult<T>>,
  ) {
    return async (request: FastifyRequest, reply: FastifyReply) =>
      answer(request, reply, route, async () => {
        const parsed = schema.safeParse(request.body);
        if (!parsed.success)
          return { ok: false, error: { kind: 'bad-request', detail: 'body does not match the schema' } };
        return handle(parsed.data);
      });
  }

  app.post(
    `${API_PREFIX}/challenge`,
    validated(ChallengeRequestSchema, 'challenge', (b) => service.challenge(b)),
  );
  app.post(
    `${API_PREFIX}/authenticate`,
    validated(AuthenticateRequestSchema, 'authenticate', (b) => service.authenticate(b)),
  );
  app.post(
    `${API_PREFIX}/issue`,
    validated(IssueRequestSchema, 'issue', (b) => service.issue(b)),
  );
  app.post(`${API_PREFIX}/transactions/:transactionId/delivery`, (request, reply) =>
    answer(request, reply, 'delivery', async () => {
      const id = TransactionIdSchema.safeParse((request.params as { transactionId?: unknown }).transactionId);
      const body = DeliveryRequestSchema.safeParse(request.body);
      if (!id.success || !body.success)
        return {
          ok: false,
          error: { kind: 'bad-request', detail: 'path or body does not match the schema' },
        };
      // Under mutual TLS the report must be signed by the key of the certificate the handshake proved.
      const peer = connectionTerminalIdentity(request.raw.socket as Partial<TLSSocket>);
      return service.delivery(
        id.data,
        body.data,
        peer.ok ? { terminalCertificateDer: peer.certificateDer } : undefined,
      );
    }),
  );
  registerRegistrationRoutes(app, service, validated);
  app.get(`${API_PREFIX}/municipality-keys`, (request, reply) =>
    answer(request, reply, 'municipality-keys', () => service.municipalityKeys()),
  );
  app.get(`${API_PREFIX}/health`, async () => ({
    status: 'ok',
    protocolVersion: PROTOCOL_VERSION,
    ...(options.healthDetails?.() ?? {}),
  }));

  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('bad-request')));
  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    request.log.info({ statusCode: status, fastifyCode: error.code }, 'rejected before the handler');
    return reply.code(status).send(errorBody(status === 500 ? 'internal' : 'bad-request'));
  });
  return app;
}
