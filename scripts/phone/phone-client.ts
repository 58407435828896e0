/**
 * The phone's side of the PIN reset's step 1 against the centre's /v1/phone endpoints: the
 * challenge, the card's signature with the 4-digit PIN, the card's basic information and signed
 * face, the selfie. Used by `npm run phone` (with the virtual card) and the tests.
 */
import { authenticationMessage, sha256DigestInfo } from '../../protocol/auth-message.ts';
import type { CardTransport } from '../../native/card-transport.ts';
import { JpkiClient, pinFromDigits } from '../../native/jpki/jpki-client.ts';
import { readBasicInfo, readCardFace } from './card-reading.ts';

export type PhonePost = (path: string, body: unknown) => Promise<{ status: number; json: unknown }>;

export type PhoneOutcome =
  | { kind: 'granted'; mode: 'password' | 'bound-card'; password?: string; expiresAt: string }
  | { kind: 'refused'; code: string; status: number }
  | { kind: 'card'; detail: string };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export async function phonePinReset(input: {
  transport: CardTransport;
  /** The 4-digit PIN (利用者証明用, and the 券面入力補助AP's on the test card). */
  pin: string;
  collationB: string;
  selfie: Uint8Array;
  post: PhonePost;
}): Promise<PhoneOutcome> {
  if (!/^[0-9]{4}$/.test(input.pin)) return { kind: 'card', detail: 'the PIN is 4 digits' };
  const started = await input.post('/v1/phone/challenge', {});
  const { sessionId, challenge, terminalId } = started.json as Record<string, string>;
  if (started.status !== 200 || !sessionId || !challenge || !terminalId)
    return { kind: 'refused', code: 'challenge', status: started.status };

  const digestInfo = sha256DigestInfo(authenticationMessage(terminalId, Buffer.from(challenge, 'base64')));
  const signed = await new JpkiClient(input.transport).authenticate({
    pin: pinFromDigits([...input.pin].map(Number)),
    digestInfo,
  });
  if (signed.kind !== 'authenticated') return { kind: 'card', detail: `authentication: ${signed.kind}` };
  const basicInfo = await readBasicInfo(input.transport, input.pin);
  if (basicInfo.kind !== 'read')
    return { kind: 'card', detail: `${basicInfo.step}: SW ${basicInfo.sw.toString(16)}` };
  const cardFace = await readCardFace(input.transport, input.collationB);
  if (cardFace.kind !== 'read')
    return { kind: 'card', detail: `${cardFace.step}: SW ${cardFace.sw.toString(16)}` };

  const answer = await input.post('/v1/phone/pin-reset', {
    sessionId,
    challenge,
    certificate: b64(signed.certificate),
    signature: b64(signed.signature),
    signatureAlgorithm: 'RS256',
    cardFace: b64(cardFace.bytes),
    basicInfo: b64(basicInfo.bytes),
    selfie: b64(input.selfie),
  });
  const json = answer.json as {
    mode?: 'password' | 'bound-card';
    password?: string;
    expiresAt?: string;
    error?: { code: string };
  };
  if (answer.status === 200 && json.mode && json.expiresAt)
    return {
      kind: 'granted',
      mode: json.mode,
      expiresAt: json.expiresAt,
      ...(json.password ? { password: json.password } : {}),
    };
  return { kind: 'refused', code: json.error?.code ?? 'unknown', status: answer.status };
}
