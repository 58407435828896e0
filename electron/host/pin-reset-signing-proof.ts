/**
 * The 4-digit PIN's reset at the kiosk (issue 11): the resident forgot that PIN, so the kiosk
 * cannot authenticate with it. Instead: a challenge bound to this terminal and transaction
 * (`/v1/challenge`), the card's signature over hash(terminal id) ‖ hash(challenge) with its 署名用
 * key after the signing PIN, and both certificates to `/v1/pin-reset/authenticate`, which ties the
 * transaction to the card's grant for the 4-digit PIN. The signing PIN is wiped here.
 */
import { authenticationMessage, sha256DigestInfo } from '../../protocol/index.ts';
import type { KioskErrorCode } from '../kiosk-api.ts';
import type { CardHandle, CardResult } from './card-port.ts';
import type { CentreClient } from './centre-client.ts';
import { kioskErrorForCard, kioskErrorForCentre } from './kiosk-errors.ts';
import type { PinResetCentre } from './pin-reset-client.ts';

export type SigningKeyAuthentication =
  | { kind: 'authenticated' }
  | { kind: 'wrong-signing-pin'; triesLeft: number }
  | { kind: 'signing-pin-locked' }
  /** The centre's typed refusal: no grant for the 4-digit PIN, the signing certificate, the holder. */
  | { kind: 'refused'; reason: string }
  | { kind: 'error'; error: KioskErrorCode };

export async function authenticateWithSigningKey(input: {
  card: CardHandle;
  certificate: Promise<CardResult<Uint8Array>>;
  centre: CentreClient;
  pinReset: PinResetCentre;
  terminalId: string;
  transactionId: string;
  signingPin: Uint8Array;
}): Promise<SigningKeyAuthentication> {
  const { card, centre, terminalId, transactionId } = input;
  try {
    if (!card.proveWithSigningKey) return { kind: 'error', error: 'card-unsupported' };
    const certificate = await input.certificate;
    if (!certificate.ok) return { kind: 'error', error: kioskErrorForCard(certificate.failure) };
    const challenge = await centre.challenge({ transactionId, terminalId });
    if (!challenge.ok) return { kind: 'error', error: kioskErrorForCentre(challenge.failure) };
    const digestInfo = sha256DigestInfo(
      authenticationMessage(terminalId, Buffer.from(challenge.value.challenge, 'base64')),
    );
    const proof = await card.proveWithSigningKey(input.signingPin, digestInfo);
    if (!proof.ok) return { kind: 'error', error: kioskErrorForCard(proof.failure) };
    if (proof.value.kind === 'wrong')
      return proof.value.triesLeft > 0
        ? { kind: 'wrong-signing-pin', triesLeft: proof.value.triesLeft }
        : { kind: 'signing-pin-locked' };
    if (proof.value.kind === 'locked') return { kind: 'signing-pin-locked' };
    const answer = await input.pinReset.authenticate({
      transactionId,
      terminalId,
      challenge: challenge.value.challenge,
      certificate: Buffer.from(certificate.value).toString('base64'),
      signingCertificate: Buffer.from(proof.value.signingCertificate).toString('base64'),
      signature: Buffer.from(proof.value.signature).toString('base64'),
    });
    if (!answer.ok) return { kind: 'error', error: kioskErrorForCentre(answer.failure) };
    if (answer.value.kind === 'authenticated') return { kind: 'authenticated' };
    return {
      kind: 'refused',
      reason: answer.value.kind === 'signing-certificate-refused' ? answer.value.reason : answer.value.kind,
    };
  } finally {
    input.signingPin.fill(0);
  }
}
