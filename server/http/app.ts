import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { z } from 'zod';
import {
  API_PREFIX,
  AuthenticateRequestSchema,
  ChallengeRequestSchema,
  IssueRequestSchema,
  PROTOCOL_VERSION,
} from '../../protocol/api.ts';
import { messageKeyFor, type CentreErrorBody, type CentreErrorCode } from '../../protocol/errors.ts';
import type { CentreResult } from '../errors.ts';
import type { KioskService } from '../kioskService.ts';
import { HTTP_STATUS_FOR } from './statusCodes.ts';

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
}

function errorBody(code: CentreErrorCode): CentreErrorBody {
  return { error: { code, messageKey: messageKeyFor(code) } };
}

function transactionIdOf(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'transactionId' in body) {
    const id = (body as { transactionId: unknown }).transactionId;
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return id;
  }
  return undefined;
}

/** The kiosk API over HTTP: zod-validated bodies, CentreErrorBody refusals, logs with transaction ids only. */
export function buildCentreHttpApp(service: KioskService, options: CentreHttpOptions = {}): FastifyInstance {
  const logger: FastifyServerOptions['logger'] =
    options.logger === false
      ? false
      : {
          level: options.logger?.level ?? 'info',
          redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
          ...(options.logger?.stream ? { stream: options.logger.stream } : {}),
        };
  const app = Fastify({
    logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
  });

  async function answer<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    route: string,
    work: () => Promise<CentreResult<T>>,
  ): Promise<T | CentreErrorBody> {
    const transactionId = transactionIdOf(request.body);
    let result: CentreResult<T>;
    try {
      result = await work();
    } catch (error) {
      request.log.error(
        {
          route,
          transactionId,
          err: error instanceof Error ? { type: error.name, message: error.message } : 'unknown',
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
  app.get(`${API_PREFIX}/municipality-keys`, (request, reply) =>
    answer(request, reply, 'municipality-keys', () => service.municipalityKeys()),
  );
  app.get(`${API_PREFIX}/health`, async () => ({ status: 'ok', protocolVersion: PROTOCOL_VERSION }));

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
