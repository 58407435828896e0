/**
 * A resident's virtual card for centre-level tests, and the kiosk's authentication with it:
 * challenge, the card's signature over it, authenticate. The caller posts (over `app.inject` or
 * real HTTP) and judges the answer.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { issueAuthCertificate, opaqueSubjectId } from '../../native/test-pki/test-jpki-ca.ts';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import { ChallengeResponseSchema } from '../../protocol/api.ts';
import { cardSignature } from '../auth/testCertificates.ts';
import type { CertificateRegistration } from '../centre.ts';

export interface TestCard {
  privateKey: KeyObject;
  /** The card's authentication certificate (DER), issued by the shared test CA. */
  certificate: Uint8Array;
  /** DER of the shared test CA that issued it, for `trustedCaCertificates`. */
  caDer: Uint8Array;
  /** The card's line in the centre's `certificateRegistry`, for `holderId`. */
  registration(holderId: string): CertificateRegistration;
}

/** A new RSA-2048 card whose certificate (valid 2024–2029) has the serial `serialNumberHex`. */
export async function testCard(serialNumberHex: string): Promise<TestCard> {
  const ca = await sharedTestCa();
  const caDer = new Uint8Array(ca.auth.certificate.rawData);
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = await issueAuthCertificate(ca, {
    publicKey: new Uint8Array(keys.publicKey.export({ format: 'der', type: 'spki' })),
    serialNumber: serialNumberHex,
    subjectCn: opaqueSubjectId(),
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2029-01-01T00:00:00Z'),
  });
  return {
    privateKey: keys.privateKey,
    certificate,
    caDer,
    registration: (holderId) => ({ caCertificateDer: caDer, serialNumberHex, holderId }),
  };
}

/** One POST to the centre's kiosk API, however the test reaches it. */
export type Post<R extends { json: unknown }> = (url: string, payload: Record<string, unknown>) => Promise<R>;

/** A JSON POST over real HTTP to `url` (a listening centre's URL and path). */
export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/**
 * Asks a challenge (through `post`), signs it with `card` and authenticates (through
 * `authenticatePost`, by default the same centre): returns the authenticate answer.
 */
export async function authenticateWithCard<R extends { json: unknown }>(
  card: Pick<TestCard, 'privateKey' | 'certificate'>,
  at: { transactionId: string; terminalId: string },
  post: Post<R>,
  authenticatePost: Post<R> = post,
): Promise<R> {
  const { transactionId, terminalId } = at;
  const { challenge } = ChallengeResponseSchema.parse(
    (await post('/v1/challenge', { transactionId, terminalId })).json,
  );
  return authenticatePost('/v1/authenticate', {
    transactionId,
    terminalId,
    challenge,
    certificate: Buffer.from(card.certificate).toString('base64'),
    signature: cardSignature(card.privateKey, terminalId, challenge),
    signatureAlgorithm: 'RS256',
  });
}
