import { authenticationMessage, sha256DigestInfo, type AuthenticateResponse } from '../../protocol/index.ts';
import type { KioskErrorCode } from '../kiosk-api.ts';
import type { CardHandle, CardResult } from './card-port.ts';
import type { CentreClient } from './centre-client.ts';
import { kioskErrorForCard, kioskErrorForCentre } from './kiosk-errors.ts';

export type AuthenticationResult =
  | { ok: true; response: AuthenticateResponse; authCertificate: Uint8Array }
  | { ok: false; error: KioskErrorCode };

/**
 * After a successful VERIFY: fetch a challenge bound to this terminal and transaction, have the
 * card sign hash(terminal id) ‖ hash(challenge) with the auth key, and send the signature with
 * the certificate to the centre.
 */
export async function authenticateResident(input: {
  card: CardHandle;
  certificate: Promise<CardResult<Uint8Array>>;
  centre: CentreClient;
  terminalId: string;
  transactionId: string;
}): Promise<AuthenticationResult> {
  const { card, centre, terminalId, transactionId } = input;
  const certificate = await input.certificate;
  if (!certificate.ok) return { ok: false, error: kioskErrorForCard(certificate.failure) };

  const challenge = await centre.challenge({ transactionId, terminalId });
  if (!challenge.ok) return { ok: false, error: kioskErrorForCentre(challenge.failure) };
  const challengeBytes = Buffer.from(challenge.value.challenge, 'base64');

  const signature = await card.signWithAuthKey(
    sha256DigestInfo(authenticationMessage(terminalId, challengeBytes)),
  );
  if (!signature.ok) return { ok: false, error: kioskErrorForCard(signature.failure) };

  const response = await centre.authenticate({
    transactionId,
    terminalId,
    challenge: challenge.value.challenge,
    certificate: Buffer.from(certificate.value).toString('base64'),
    signature: Buffer.from(signature.value).toString('base64'),
    signatureAlgorithm: 'RS256',
  });
  if (!response.ok) return { ok: false, error: kioskErrorForCentre(response.failure) };
  return { ok: true, response: response.value, authCertificate: certificate.value };
}
