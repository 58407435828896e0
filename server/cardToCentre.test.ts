import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate, randomUUID } from 'node:crypto';
import { testCard, sharedTestCa } from '../native/test-pki/fixtures.ts';
import { VirtualMyNumberCard } from '../native/virtual-card/virtual-my-number-card.ts';
import { InProcessCardReader } from '../native/virtual-card/in-process-reader.ts';
import { JpkiClient, pinFromDigits } from '../native/jpki/jpki-client.ts';
import { isCardError } from '../native/card-transport.ts';
import type { CardPersonalisation } from '../native/virtual-card/personalisation.ts';
import { authenticationMessage, sha256DigestInfo } from '../protocol/auth-message.ts';
import { AuthenticateResponseSchema, ChallengeResponseSchema, IssueResponseSchema } from '../protocol/api.ts';
import { createCentre, type Centre } from './centre.ts';
import { testSealKeyStore } from './test-support/seal-keys.ts';
import { sha256Hex } from './auth/trustStore.ts';

/** The contract between the card (native/) and the centre: what the card signs, the centre accepts. */
describe('virtual My Number card → centre', () => {
  let centre: Centre;
  let personalisation: CardPersonalisation;

  beforeAll(async () => {
    const ca = await sharedTestCa();
    personalisation = await testCard({ holderId: 'H0007' });
    const caDer = new Uint8Array(ca.auth.certificate.rawData);
    const serialNumberHex = new X509Certificate(Buffer.from(personalisation.authCertificate)).serialNumber;
    centre = await createCentre({
      databasePath: ':memory:',
      trustedCaCertificates: [caDer],
      certificateRegistry: [{ caCertificateDer: caDer, serialNumberHex, holderId: 'H0007' }],
      sealKeys: { store: await testSealKeyStore() },
      now: () => new Date('2026-11-25T03:00:00Z'),
      logger: false,
    });
  });
  afterAll(async () => centre?.close());

  async function call(url: string, payload: object) {
    const res = await centre.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
    return { status: res.statusCode, json: res.json() as unknown };
  }

  it('authenticates with the card’s own signature and issues a document bound to its certificate', async () => {
    const reader = new InProcessCardReader();
    reader.insert(new VirtualMyNumberCard({ personalisation }));
    const session = await reader.connect();
    if (isCardError(session)) throw new Error(session.kind);
    try {
      const transactionId = randomUUID();
      const terminalId = 'S0042-T02';
      const { challenge } = ChallengeResponseSchema.parse(
        (await call('/v1/challenge', { transactionId, terminalId })).json,
      );
      const digestInfo = sha256DigestInfo(
        authenticationMessage(terminalId, Buffer.from(challenge, 'base64')),
      );
      const result = await new JpkiClient(session.transport).authenticate({
        pin: pinFromDigits([1, 2, 3, 4]),
        digestInfo,
      });
      if (result.kind !== 'authenticated') throw new Error(result.kind);
      const auth = await call('/v1/authenticate', {
        transactionId,
        terminalId,
        challenge,
        certificate: Buffer.from(result.certificate).toString('base64'),
        signature: Buffer.from(result.signature).toString('base64'),
        signatureAlgorithm: 'RS256',
      });
      expect(auth.status, JSON.stringify(auth.json)).toBe(200);
      expect(AuthenticateResponseSchema.parse(auth.json).municipality.code).toBe('131016');
      const issued = await call('/v1/issue', {
        transactionId,
        terminalId,
        certificateType: 'juminhyo',
        copies: 1,
      });
      const { document } = IssueResponseSchema.parse(issued.json);
      expect(document.holderBinding).toBe(sha256Hex(result.certificate));
      if (document.content.kind !== 'juminhyo')
        throw new Error(`expected a 住民票, got ${document.content.kind}`);
      expect(document.content.members[0]).toMatchObject({ name: 'グエン ヴァン アン', tsusho: '中村 安' });
    } finally {
      await session.close();
      await reader.close();
    }
  });
});
