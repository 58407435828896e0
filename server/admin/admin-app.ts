import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { MunicipalityKeyRecord, SealKeyEvent } from '../db/records.ts';
import type { CentreRepository } from '../db/repository.ts';
import type { SealKeyring, SealKeyringFailure } from '../keys/seal-keyring.ts';
import { japanIsoDateTime } from '../municipal/japanTime.ts';
import type { ConsoleStore } from '../console/store.ts';
import type { RegisterStore } from '../municipal/register-store.ts';
import { municipalOperations, type Actor } from './operations.ts';
import type { KosekiUseRegistration } from '../seed/types.ts';

/**
 * The municipalities' admin API (not the kiosk's): each municipality's staff, with that
 * municipality's bearer token, decide 利用登録 requests filed with them as 本籍地, abolish 印鑑登録,
 * replace their kiosk rules (validated; a refusal lists every problem), and look after their seal
 * keys (list, rotate, revoke; every change audited with the municipality as actor). Answers carry
 * ids and statuses, never names or addresses.
 */
export interface AdminAppOptions {
  repository: CentreRepository;
  registers: RegisterStore;
  keyring: SealKeyring;
  /** Bearer token per municipality code. */
  tokens: Readonly<Record<string, string>>;
  /** The audit trail every change is appended to (actor `admin-token:<code>`); the centre always passes it. */
  store?: ConsoleStore;
  now?: () => Date;
  logger?: boolean;
}

export const ADMIN_PREFIX = '/admin/v1';

type AdminError =
  | 'unauthorized'
  | 'not-found'
  | 'bad-request'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'already-decided'
  | 'invalid-rules'
  | 'already-revoked'
  | 'invalid-revocation'
  | 'concurrent-change'
  | 'internal';

const STATUS: Record<AdminError, number> = {
  unauthorized: 401,
  'not-found': 404,
  'bad-request': 400,
  'already-decided': 409,
  'invalid-rules': 422,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  internal: 500,
  'already-revoked': 409,
  'invalid-revocation': 422,
  'concurrent-change': 409,
};

const KEY_FAILURE: Record<SealKeyringFailure['kind'], AdminError> = {
  'no-root-key': 'concurrent-change',
  'root-key-ambiguous': 'concurrent-change',
  'unknown-municipality': 'not-found',
  'unknown-key': 'not-found',
  'already-revoked': 'already-revoked',
  'revocation-time-invalid': 'invalid-revocation',
  'concurrent-change': 'concurrent-change',
};

/**
 * What a failure outside the handlers' own refusals is: the request's fault only when Fastify says
 * so (unreadable JSON 400, too large 413, wrong media type 415); anything else — a database that
 * failed, a bug — is ours (500), never blamed on the caller.
 */
function adminErrorFor(error: { statusCode?: number }): AdminError {
  switch (error.statusCode) {
    case 400:
      return 'bad-request';
    case 413:
      return 'payload-too-large';
    case 415:
      return 'unsupported-media-type';
    case 404:
      return 'not-found';
    default:
      return 'internal';
  }
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

const DecisionSchema = z.strictObject({ decision: z.enum(['approved', 'rejected']) });
const AbolishSchema = z.strictObject({ onDate: z.iso.date().optional() });
const RotateSchema = z.strictObject({ reason: z.enum(['scheduled', 'superseded']).optional() });
/** RFC 5280 reason names; the instant defaults to now and may lie in the past (a late-found compromise). */
const RevokeSchema = z.strictObject({
  reason: z.enum(['key-compromise', 'superseded', 'cessation-of-operation']),
  revokedAt: z.iso.datetime({ offset: true }).optional(),
});

function sealKeyView(k: MunicipalityKeyRecord) {
  return {
    kid: k.kid,
    status: k.status,
    createdAt: japanIsoDateTime(new Date(k.createdAt)),
    validFrom: japanIsoDateTime(new Date(k.validFrom)),
    validTo: japanIsoDateTime(new Date(k.validTo)),
    ...(k.revokedAt === undefined ? {} : { revokedAt: japanIsoDateTime(new Date(k.revokedAt)) }),
    publicKeySpki: Buffer.from(k.publicKeySpkiDer).toString('base64'),
  };
}

function sealKeyEventView(e: SealKeyEvent) {
  return {
    at: japanIsoDateTime(new Date(e.at)),
    actor: e.actor,
    action: e.action,
    kid: e.kid,
    detail: e.detail,
  };
}

function registrationView(r: KosekiUseRegistration) {
  return {
    requestId: r.requestId,
    holderId: r.holderId,
    status: r.status,
    filedAt: japanIsoDateTime(new Date(r.filedAt)),
    ...(r.decidedAt !== undefined ? { decidedAt: japanIsoDateTime(new Date(r.decidedAt)) } : {}),
  };
}

export function buildAdminApp(options: AdminAppOptions): FastifyInstance {
  const now = options.now ?? (() => new Date());
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 256 * 1024 });
  const operations = municipalOperations({
    repository: options.repository,
    registers: options.registers,
    now,
    ...(options.store ? { store: options.store } : {}),
  });
  const actorFor = (code: string): Actor => ({ municipalityCode: code, name: `admin-token:${code}` });
  const tokenDigests = new Map(Object.entries(options.tokens).map(([code, token]) => [code, digest(token)]));

  function refuse(reply: FastifyReply, error: AdminError, details?: string[]) {
    return reply.code(STATUS[error]).send({ error, ...(details ? { details } : {}) });
  }

  /** The path's municipality, when the bearer token is that municipality's. */
  function authorised(request: FastifyRequest): string | undefined {
    const code = (request.params as { code?: string }).code ?? '';
    const expected = tokenDigests.get(code);
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!expected || !match?.[1]) return undefined;
    return timingSafeEqual(expected, digest(match[1])) ? code : undefined;
  }

  app.get(`${ADMIN_PREFIX}/municipalities/:code/koseki-registrations`, async (request, reply) => {
    const code = authorised(request);
    if (!code) return refuse(reply, 'unauthorized');
    const all = await options.registers.listUseRegistrations(code);
    const status = (request.query as { status?: string }).status;
    return { registrations: all.filter((r) => !status || r.status === status).map(registrationView) };
  });

  app.post(
    `${ADMIN_PREFIX}/municipalities/:code/koseki-registrations/:requestId/decision`,
    async (request, reply) => {
      const code = authorised(request);
      if (!code) return refuse(reply, 'unauthorized');
      const body = DecisionSchema.safeParse(request.body);
      if (!body.success) return refuse(reply, 'bad-request');
      const { requestId } = request.params as { requestId: string };
      const decided = await operations.decideRegistration(actorFor(code), requestId, body.data.decision);
      if (!decided.ok)
        return refuse(reply, decided.failure.kind === 'not-found' ? 'not-found' : 'already-decided');
      return registrationView(decided.value);
    },
  );

  app.post(`${ADMIN_PREFIX}/municipalities/:code/inkan/:holderId/abolish`, async (request, reply) => {
    const code = authorised(request);
    if (!code) return refuse(reply, 'unauthorized');
    const body = AbolishSchema.safeParse(request.body ?? {});
    if (!body.success) return refuse(reply, 'bad-request');
    const { holderId } = request.params as { holderId: string };
    const result = await operations.abolishInkan(actorFor(code), holderId, body.data.onDate);
    if (!result.ok)
      return refuse(reply, result.failure.kind === 'not-found' ? 'not-found' : 'already-decided');
    return { holderId, status: 'abolished' };
  });

  app.put(`${ADMIN_PREFIX}/municipalities/:code/rules`, async (request, reply) => {
    const code = authorised(request);
    if (!code) return refuse(reply, 'unauthorized');
    const saved = await operations.saveRules(actorFor(code), request.body);
    if (!saved.ok)
      return refuse(
        reply,
        saved.failure.kind === 'invalid-rules' ? 'invalid-rules' : 'not-found',
        saved.failure.kind === 'invalid-rules' ? saved.failure.errors : undefined,
      );
    const setAt = saved.value.setAt;
    return { code, status: 'saved', setAt: japanIsoDateTime(new Date(setAt)) };
  });

  app.get(`${ADMIN_PREFIX}/municipalities/:code/seal-keys`, async (request, reply) => {
    const code = authorised(request);
    if (!code) return refuse(reply, 'unauthorized');
    return { keys: (await options.keyring.keysOf(code)).map(sealKeyView) };
  });

  app.get(`${ADMIN_PREFIX}/municipalities/:code/seal-keys/events`, async (request, reply) => {
    const code = authorised(request);
    if (!code) return refuse(reply, 'unauthorized');
    return { events: (await options.keyring.events(code)).map(sealKeyEventView) };
  });

  app.post(`${ADMIN_PREFIX}/municipalities/:code/seal-keys/rotate`, async (request, reply) => {
    const code = authorised(request);
    if (!code) return refuse(reply, 'unauthorized');
    const body = RotateSchema.safeParse(request.body ?? {});
    if (!body.success) return refuse(reply, 'bad-request');
    const result = await options.keyring.rotate(code, `admin:${code}`, body.data.reason ?? 'rotation');
    if (!result.ok) return refuse(reply, KEY_FAILURE[result.failure.kind]);
    return { keys: result.keys.map(sealKeyView) };
  });

  app.post(`${ADMIN_PREFIX}/municipalities/:code/seal-keys/:kid/revoke`, async (request, reply) => {
    const code = authorised(request);
    if (!code) return refuse(reply, 'unauthorized');
    const body = RevokeSchema.safeParse(request.body);
    if (!body.success) return refuse(reply, 'bad-request');
    const { kid } = request.params as { kid: string };
    const result = await options.keyring.revoke(code, kid, {
      actor: `admin:${code}`,
      reason: body.data.reason,
      ...(body.data.revokedAt === undefined ? {} : { revokedAt: new Date(body.data.revokedAt) }),
    });
    if (!result.ok) {
      const failure = result.failure;
      return refuse(
        reply,
        KEY_FAILURE[failure.kind],
        failure.kind === 'revocation-time-invalid' ? [`revokedAt: ${failure.detail}`] : undefined,
      );
    }
    return { keys: result.keys.map(sealKeyView) };
  });

  app.setNotFoundHandler((_request, reply) => refuse(reply, 'not-found'));
  app.setErrorHandler((error: { statusCode?: number; name?: string }, request, reply) => {
    const kind = adminErrorFor(error);
    if (kind === 'internal') request.log.error({ err: { type: error.name } }, 'admin failure');
    return refuse(reply, kind);
  });
  return app;
}
