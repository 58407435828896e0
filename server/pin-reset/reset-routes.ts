/**
 * The reset's routes on the centre's kiosk app (protocol/pin-reset.ts), behind the same mutual
 * TLS terminal check as every kiosk route (app.ts's preHandler): zod-validated bodies, typed
 * answers, and logs with the route, transaction id and outcome only — the body carries the new
 * PIN and the one-time password and is never logged.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { messageKeyFor, type CentreErrorBody } from '../../protocol/errors.ts';
import {
  PIN_RESET_AUTHENTICATE_PATH,
  PIN_RESET_COMMAND_PATH,
  PIN_RESET_CONFIRM_PATH,
  PIN_RESET_RELEASE_PATH,
  PIN_RESET_START_PATH,
  PinResetAuthenticateRequestSchema,
  PinResetCommandRequestSchema,
  PinResetConfirmRequestSchema,
  PinResetReleaseRequestSchema,
  PinResetStartRequestSchema,
} from '../../protocol/pin-reset.ts';
import type { CentreResult } from '../errors.ts';
import { HTTP_STATUS_FOR } from '../http/statusCodes.ts';
import type { PinResetService } from './reset-service.ts';

function handler<S extends z.ZodType, T>(
  schema: S,
  route: string,
  handle: (body: z.infer<S>) => Promise<CentreResult<T>>,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<T | CentreErrorBody> => {
    const parsed = schema.safeParse(request.body);
    let result: CentreResult<T>;
    try {
      result = parsed.success
        ? await handle(parsed.data)
        : { ok: false, error: { kind: 'bad-request', detail: 'body does not match the schema' } };
    } catch (error) {
      request.log.error({ route, err: error instanceof Error ? error.name : 'unknown' }, 'centre failure');
      result = { ok: false, error: { kind: 'internal' } };
    }
    const transactionId = parsed.success
      ? (parsed.data as { transactionId?: string }).transactionId
      : undefined;
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
    return { error: { code: result.error.kind, messageKey: messageKeyFor(result.error.kind) } };
  };
}

/** Registers `POST /v1/pin-reset/authenticate`, `/start`, `/command`, `/confirm` and `/release` (before the app listens). */
export function registerPinResetRoutes(app: FastifyInstance, service: PinResetService): void {
  app.post(
    PIN_RESET_AUTHENTICATE_PATH,
    handler(PinResetAuthenticateRequestSchema, 'pin-reset-authenticate', (b) => service.authenticate(b)),
  );
  app.post(
    PIN_RESET_START_PATH,
    handler(PinResetStartRequestSchema, 'pin-reset-start', (b) => service.start(b)),
  );
  app.post(
    PIN_RESET_COMMAND_PATH,
    handler(PinResetCommandRequestSchema, 'pin-reset-command', (b) => service.command(b)),
  );
  app.post(
    PIN_RESET_CONFIRM_PATH,
    handler(PinResetConfirmRequestSchema, 'pin-reset-confirm', (b) => service.confirm(b)),
  );
  app.post(
    PIN_RESET_RELEASE_PATH,
    handler(PinResetReleaseRequestSchema, 'pin-reset-release', (b) => service.release(b)),
  );
}
