/**
 * The phone's side of the PIN reset's step 1 against the centre's /v1/phone endpoints: the
 * challenge, the card's signature with the 4-digit PIN, the card's basic information and signed
 * face, the selfie. The one place this protocol is spoken: `npm run phone` (the virtual card in
 * process), the phone's web page (scripts/phone/web/, the card behind a `CardTransport` the page
 * gets from its card reader) and the tests use it. No Node module: hashing is WebCrypto's,
 * base64 is `btoa`, so the page bundles it as it is.
 */
import type { CardTransport } from '../../native/card-transport.ts';
import { JpkiClient, pinFromDigits } from '../../native/jpki/jpki-client.ts';
import { readBasicInfo, readCardFace, signWithSigningKey, type CardReadResult } from './card-reading.ts';

export type PhonePost = (path: string, body: unknown) => Promise<{ status: number; json: unknown }>;

/** Why the card stopped the phone before the centre decided anything (never a PIN or 照合番号). */
export type PhoneCardProblem =
  | { reason: 'wrong-pin'; triesLeft: number }
  /** The 署名用 PIN (the 4-digit PIN's reset). */
  | { reason: 'wrong-signing-pin'; triesLeft: number }
  | { reason: 'pin-locked' }
  | { reason: 'collation-refused'; triesLeft?: number }
  | { reason: 'card-error' };

export type PhoneOutcome =
  | {
      kind: 'granted';
      mode: 'password' | 'bound-card';
      /** The PIN the kiosk may reset with this grant. */
      target: 'signing' | 'auth';
      password?: string;
      expiresAt: string;
    }
  | { kind: 'refused'; code: string; status: number }
  | ({ kind: 'card'; detail: string } & PhoneCardProblem);

/** DER of a SHA-256 DigestInfo up to the digest. */
const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
  0x20,
]);

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/**
 * The DigestInfo the card signs: SHA-256 of SHA-256(terminalId) ‖ SHA-256(challenge), as
 * protocol/auth-message.ts builds it with node:crypto (a unit test holds the two equal).
 */
export async function phoneDigestInfo(terminalId: string, challenge: Uint8Array): Promise<Uint8Array> {
  const message = new Uint8Array(64);
  message.set(await sha256(new TextEncoder().encode(terminalId)), 0);
  message.set(await sha256(challenge), 32);
  const digest = await sha256(message);
  const out = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + digest.length);
  out.set(SHA256_DIGEST_INFO_PREFIX, 0);
  out.set(digest, SHA256_DIGEST_INFO_PREFIX.length);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function readProblem(read: Exclude<CardReadResult, { kind: 'read' }>): PhoneOutcome {
  const detail = `${read.step}: SW ${read.sw.toString(16)}`;
  if (read.step === 'signing: verify') {
    if ((read.sw & 0xfff0) === 0x63c0)
      return { kind: 'card', detail, reason: 'wrong-signing-pin', triesLeft: read.sw & 0x0f };
    if (read.sw === 0x6983) return { kind: 'card', detail, reason: 'pin-locked' };
  }
  if (read.step === 'card face: verify') {
    if ((read.sw & 0xfff0) === 0x63c0)
      return { kind: 'card', detail, reason: 'collation-refused', triesLeft: read.sw & 0x0f };
    if (read.sw === 0x6983) return { kind: 'card', detail, reason: 'collation-refused' };
  }
  return { kind: 'card', detail, reason: 'card-error' };
}

export async function phonePinReset(input: {
  transport: CardTransport;
  /** The 4-digit PIN (利用者証明用, and the 券面入力補助AP's on the test card): resets the signing PIN. */
  pin?: string;
  /** The 署名用 PIN instead: resets the 4-digit PIN. */
  signingPin?: string;
  collationB: string;
  selfie: Uint8Array;
  post: PhonePost;
}): Promise<PhoneOutcome> {
  const target = input.signingPin !== undefined ? 'auth' : 'signing';
  if (target === 'signing' && !/^[0-9]{4}$/.test(input.pin ?? ''))
    return { kind: 'card', detail: 'the PIN is 4 digits', reason: 'card-error' };
  if (target === 'auth' && !/^[A-Z0-9]{6,16}$/.test(input.signingPin ?? ''))
    return { kind: 'card', detail: 'the signing PIN is 6-16 of A-Z 0-9', reason: 'card-error' };
  const started = await input.post('/v1/phone/challenge', {});
  const { sessionId, challenge, terminalId } = started.json as Record<string, string>;
  if (started.status !== 200 || !sessionId || !challenge || !terminalId)
    return { kind: 'refused', code: 'challenge', status: started.status };
  const digestInfo = await phoneDigestInfo(terminalId, fromBase64(challenge));

  let proof: Record<string, string>;
  if (target === 'auth') {
    // The 利用者証明用 certificate is free to read; the signing key and its certificate need the signing PIN.
    const client = new JpkiClient(input.transport);
    const authCertificate = await client.readAuthCertificate();
    if (authCertificate.kind !== 'certificate')
      return { kind: 'card', detail: `auth certificate: ${authCertificate.kind}`, reason: 'card-error' };
    const signed = await signWithSigningKey(input.transport, input.signingPin!, digestInfo);
    if (signed.kind !== 'signed') return readProblem(signed);
    proof = {
      target,
      certificate: toBase64(authCertificate.der),
      signingCertificate: toBase64(signed.certificate),
      signature: toBase64(signed.signature),
    };
  } else {
    const signed = await new JpkiClient(input.transport).authenticate({
      pin: pinFromDigits([...input.pin!].map(Number)),
      digestInfo,
    });
    if (signed.kind === 'wrong-pin')
      return {
        kind: 'card',
        detail: 'authentication: wrong-pin',
        reason: 'wrong-pin',
        triesLeft: signed.triesLeft,
      };
    if (signed.kind === 'locked')
      return { kind: 'card', detail: 'authentication: locked', reason: 'pin-locked' };
    if (signed.kind !== 'authenticated')
      return { kind: 'card', detail: `authentication: ${signed.kind}`, reason: 'card-error' };
    const basicInfo = await readBasicInfo(input.transport, input.pin!);
    if (basicInfo.kind !== 'read') return readProblem(basicInfo);
    proof = {
      certificate: toBase64(signed.certificate),
      signature: toBase64(signed.signature),
      basicInfo: toBase64(basicInfo.bytes),
    };
  }
  const cardFace = await readCardFace(input.transport, input.collationB);
  if (cardFace.kind !== 'read') return readProblem(cardFace);

  const answer = await input.post('/v1/phone/pin-reset', {
    sessionId,
    challenge,
    ...proof,
    signatureAlgorithm: 'RS256',
    cardFace: toBase64(cardFace.bytes),
    selfie: toBase64(input.selfie),
  });
  const json = answer.json as {
    mode?: 'password' | 'bound-card';
    target?: 'signing' | 'auth';
    password?: string;
    expiresAt?: string;
    error?: { code: string };
  };
  if (answer.status === 200 && json.mode && json.expiresAt)
    return {
      kind: 'granted',
      mode: json.mode,
      target: json.target ?? 'signing',
      expiresAt: json.expiresAt,
      ...(json.password ? { password: json.password } : {}),
    };
  return { kind: 'refused', code: json.error?.code ?? 'unknown', status: answer.status };
}
