/**
 * The phone's endpoints (issue 11, step 1) under /v1/phone/. No terminal certificate: a phone has
 * none (see "PIN reset: the phone" in server/README.md for the threat model). Bodies are
 * zod-validated; a refusal is `{ error: { code } }` with an HTTP status; nothing of a body is logged.
 * The face check is limited per source address and per card (attempt-limit.ts): beyond, 429
 * `too-many-attempts` with `retryAfterSeconds` (and Retry-After), before the service is asked.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createAttemptLimiter,
  PHONE_ATTEMPT_LIMITS,
  TOO_MANY_ATTEMPTS,
  type PhoneAttemptLimits,
} from './attempt-limit.ts';
import type { PhoneRefusalCode, PhoneService } from './phone-service.ts';

export const PHONE_PREFIX = '/v1/phone';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const PhonePinResetRequestSchema = z.object({
  sessionId: z.uuid(),
  challenge: base64.max(64),
  target: z.enum(['signing', 'auth']).optional(),
  certificate: base64.max(8192),
  signingCertificate: base64.max(8192).optional(),
  signature: base64.max(1024),
  signatureAlgorithm: z.literal('RS256'),
  cardFace: base64.max(96 * 1024),
  basicInfo: base64.max(4096).optional(),
  selfie: base64.max(11 * 1024 * 1024),
});

/** A selfie from a phone camera: up to 8 MB (base64 in JSON). */
const PIN_RESET_BODY_LIMIT = 12 * 1024 * 1024;

function statusFor(code: PhoneRefusalCode): number {
  switch (code) {
    case 'bad-request':
    case 'card-face-invalid':
    case 'signing-certificate-invalid':
    case 'photo-unreadable':
    case 'selfie-unreadable':
    case 'no-face-in-selfie':
    case 'several-faces-in-selfie':
    case 'no-face-on-card':
      return 400;
    case 'internal':
      return 500;
    case TOO_MANY_ATTEMPTS:
      return 429;
    default:
      return 403;
  }
}

export interface PhoneRouteOptions {
  /** Default PHONE_ATTEMPT_LIMITS. */
  attemptLimits?: PhoneAttemptLimits;
  /** The clock the limits count by (the centre's `now`); default the system clock. */
  now?: () => Date;
}

/** The card a request names: SHA-256 of the 利用者証明用 certificate's DER (as grants are bound). */
function cardKey(certificateBase64: string): string {
  return createHash('sha256').update(Buffer.from(certificateBase64, 'base64')).digest('hex');
}

export function registerPhoneRoutes(
  app: FastifyInstance,
  service: PhoneService,
  options: PhoneRouteOptions = {},
): void {
  const limits = options.attemptLimits ?? PHONE_ATTEMPT_LIMITS;
  const perSource = createAttemptLimiter(limits.perSource);
  const perCard = createAttemptLimiter(limits.perCard);
  const now = () => (options.now ?? (() => new Date()))().getTime();

  app.post(`${PHONE_PREFIX}/challenge`, async () => service.challenge());

  app.post(`${PHONE_PREFIX}/pin-reset`, { bodyLimit: PIN_RESET_BODY_LIMIT }, async (request, reply) => {
    const parsed = PhonePinResetRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: { code: 'bad-request' } });
    const at = now();
    const bySource = perSource.take(`source:${request.ip}`, at);
    const decision = bySource.allowed ? perCard.take(cardKey(parsed.data.certificate), at) : bySource;
    if (!decision.allowed) {
      const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      request.log.info(
        { route: 'phone-pin-reset', limit: bySource.allowed ? 'card' : 'source', retryAfterSeconds },
        'phone attempt limited',
      );
      return reply
        .code(statusFor(TOO_MANY_ATTEMPTS))
        .header('retry-after', String(retryAfterSeconds))
        .send({ error: { code: TOO_MANY_ATTEMPTS, retryAfterSeconds } });
    }
    const result = await service.pinReset(parsed.data);
    if (!result.ok)
      return reply.code(statusFor(result.error.kind)).send({ error: { code: result.error.kind } });
    return result.value;
  });
}
