/**
 * The phone's endpoints (issue 11, step 1) under /v1/phone/. No terminal certificate: a phone has
 * none (see "PIN reset: the phone" in server/README.md for the threat model). Bodies are
 * zod-validated; a refusal is `{ error: { code } }` with an HTTP status; nothing of a body is logged.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
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
    default:
      return 403;
  }
}

export function registerPhoneRoutes(app: FastifyInstance, service: PhoneService): void {
  app.post(`${PHONE_PREFIX}/challenge`, async () => service.challenge());

  app.post(`${PHONE_PREFIX}/pin-reset`, { bodyLimit: PIN_RESET_BODY_LIMIT }, async (request, reply) => {
    const parsed = PhonePinResetRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: { code: 'bad-request' } });
    const result = await service.pinReset(parsed.data);
    if (!result.ok)
      return reply.code(statusFor(result.error.kind)).send({ error: { code: result.error.kind } });
    return result.value;
  });
}
