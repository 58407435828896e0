/**
 * The centre's side of the PIN reset's step 1 (issue 11), "the phone": card + 4-digit PIN proven
 * by a JPKI signature over the centre's challenge (the kiosk's checks: chain, validity, usage,
 * revocation, registry), the signed 券面AP photo against a selfie with a face-recognition model,
 * the preconditions, then a one-time password (or, in bound-card mode, the card bound for 24 h).
 * Photos and selfies stay in memory for one request; only decisions and scores are logged.
 */
import { randomUUID } from 'node:crypto';
import type { CentreErrorCode } from '../../protocol/errors.ts';
import { issueChallenge } from '../auth/challenges.ts';
import type { RevocationChecker } from '../auth/revocation.ts';
import { sha256Hex, type TrustStore } from '../auth/trustStore.ts';
import { verifyAuthentication, type AuthenticatedHolder } from '../auth/verifyAuthentication.ts';
import type { SigningCertificateRefusal } from '../auth/verifySigningCertificate.ts';
import { changedFacts, registerFacts, verifySigningProof } from '../auth/verifySigningProof.ts';
import type { CentreRepository } from '../db/repository.ts';
import type { OneTimePasswordStore } from '../pin-reset/one-time-passwords.ts';
import type { PhoneAttemptLimits } from './attempt-limit.ts';
import { parseBasicInfo, verifyCardFace, type CardBasicInfo } from './card-face.ts';
import { decodeJpeg2000, decodeSelfie } from './card-photo.ts';
import { FACE_MATCH_THRESHOLD, faceDistance, type FaceModel } from './face-model.ts';

/**
 * What the phone's card signs with its challenge: SHA-256("PHONE-APP") ‖ SHA-256(challenge). No
 * kiosk has this id (a terminal certificate names a store), so a phone signature never passes at
 * a kiosk and a kiosk's never here; challenges are bound to it as to a terminal.
 */
export const PHONE_TERMINAL_ID = 'PHONE-APP';

export interface PhoneOptions {
  /** DER of the JPKI 署名用 CA certificates: the keys that sign a card's 券面AP. */
  signingCaCertificates: Uint8Array[];
  /** 'password' (a typed one-time password, the 2020 plan) or 'bound-card' (the live service). */
  pinResetMode?: 'password' | 'bound-card';
  /** The phone listener's attempt limits on the face check (default PHONE_ATTEMPT_LIMITS). */
  attemptLimits?: PhoneAttemptLimits;
  /** The phone listener's front ends, trusted for X-Forwarded-For (the per-source limit's address). */
  trustProxy?: string[];
}

export type PhoneRefusalCode =
  | CentreErrorCode
  | 'card-face-invalid' // the 券面AP or 入力補助AP files do not parse, or the face's signature does not verify
  | SigningCertificateRefusal
  | 'basic-information-changed' // name, address, birth date or sex differ from the register
  | 'photo-unreadable'
  | 'selfie-unreadable'
  | 'no-face-on-card'
  | 'no-face-in-selfie'
  | 'several-faces-in-selfie'
  | 'face-mismatch'
  | 'too-many-attempts'; // the routes' attempt limit (per source, per card): HTTP 429, the service not asked

export type PhoneResult<T> =
  { ok: true; value: T } | { ok: false; error: { kind: PhoneRefusalCode; detail?: string } };

export interface PhoneChallenge {
  sessionId: string;
  challenge: string;
  terminalId: string;
  expiresAt: string;
}

export interface PhonePinResetRequest {
  sessionId: string;
  challenge: string;
  /**
   * The PIN the resident forgot: 'signing' (default; proven with the 4-digit PIN and the auth key)
   * or 'auth' (proven with the signing PIN and the signing key, `signingCertificate` given).
   */
  target?: 'signing' | 'auth';
  /** base64 DER of the 利用者証明用 certificate (readable without a PIN: it names the card). */
  certificate: string;
  /** base64 DER of the 署名用 certificate (target 'auth' only; read after the signing PIN). */
  signingCertificate?: string;
  /**
   * base64 RSASSA-PKCS1-v1_5 over SHA-256(PHONE_TERMINAL_ID) ‖ SHA-256(challenge): by the auth key
   * (target 'signing') or by the signing key (target 'auth').
   */
  signature: string;
  signatureAlgorithm: 'RS256';
  /** base64 of 券面AP EF 0002 (read with 照合番号B). */
  cardFace: string;
  /**
   * base64 of 券面入力補助AP EF 0002 (read with the 4-digit PIN; target 'signing' only — for 'auth'
   * the signing certificate's holder facts stand in for it).
   */
  basicInfo?: string;
  /** base64 of the selfie (JPEG, PNG, WebP). */
  selfie: string;
}

export interface PhonePinResetGranted {
  mode: 'password' | 'bound-card';
  /** The PIN the grant resets at the kiosk. */
  target: 'signing' | 'auth';
  /** 8 digits, shown once (mode 'password' only). */
  password?: string;
  expiresAt: string;
}

export interface PhoneDecisionLog {
  info(fields: object, message: string): void;
}

export interface PhoneServiceDeps {
  repository: CentreRepository;
  trustStore: TrustStore;
  revocation?: RevocationChecker;
  oneTimePasswords: OneTimePasswordStore;
  now: () => Date;
  options: PhoneOptions;
  /** Loads the face model (once, lazily). */
  faceModel: () => Promise<FaceModel>;
  log: PhoneDecisionLog;
  /** Defaults to FACE_MATCH_THRESHOLD. */
  faceThreshold?: number;
}

export interface PhoneService {
  challenge(): Promise<PhoneChallenge>;
  pinReset(request: PhonePinResetRequest): Promise<PhoneResult<PhonePinResetGranted>>;
}

const refuse = (kind: PhoneRefusalCode, detail?: string) =>
  ({ ok: false, error: detail === undefined ? { kind } : { kind, detail } }) as const;

function base64Bytes(text: string): Uint8Array | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text && bytes.length > 0 ? new Uint8Array(bytes) : undefined;
}

export function createPhoneService(deps: PhoneServiceDeps): PhoneService {
  const threshold = deps.faceThreshold ?? FACE_MATCH_THRESHOLD;
  const mode = deps.options.pinResetMode ?? 'password';

  return {
    async challenge() {
      const sessionId = randomUUID();
      const issued = await issueChallenge(
        deps.repository,
        { terminalId: PHONE_TERMINAL_ID, transactionId: sessionId },
        deps.now(),
      );
      return { sessionId, terminalId: PHONE_TERMINAL_ID, ...issued };
    },

    async pinReset(request) {
      const decided = await decide(request);
      const fields = {
        phoneSession: request.sessionId,
        decision: decided.ok ? 'granted' : decided.error.kind,
      };
      deps.log.info(
        decided.ok ? fields : { ...fields, detail: decided.error.detail },
        'phone pin-reset decision',
      );
      return decided;
    },
  };

  async function decide(request: PhonePinResetRequest): Promise<PhoneResult<PhonePinResetGranted>> {
    const target = request.target ?? 'signing';
    const cardFaceFile = base64Bytes(request.cardFace);
    const selfieBytes = base64Bytes(request.selfie);
    if (!cardFaceFile || !selfieBytes) return refuse('bad-request', 'a file is not base64');

    // 1. Card and PIN: the kiosk's authentication checks on the 利用者証明用 certificate, bound to
    // the phone's challenge; the signature by the auth key (4-digit PIN) or, for the 4-digit PIN's
    // reset, by the signing key (signing PIN) of a verified 署名用 certificate of the same holder.
    const face = verifyCardFace(cardFaceFile, deps.options.signingCaCertificates);
    let holder: AuthenticatedHolder;
    let card: CardBasicInfo;
    let municipalityCode: string;
    const proofRequest = {
      terminalId: PHONE_TERMINAL_ID,
      transactionId: request.sessionId,
      challenge: request.challenge,
      certificate: request.certificate,
      signature: request.signature,
    };
    if (target === 'auth') {
      if (!request.signingCertificate) return refuse('bad-request', 'the signing certificate is missing');
      const proven = await verifySigningProof(
        {
          ...deps,
          signingCaCertificates: deps.options.signingCaCertificates,
        },
        { ...proofRequest, signingCertificate: request.signingCertificate },
      );
      if (!proven.ok) return proven;
      holder = proven.value.holder;
      municipalityCode = proven.value.municipalityCode;
      // 2. The signed face, from the CA generation that issued the signing certificate.
      if (!face.ok) return refuse('card-face-invalid', face.detail);
      if (sha256Hex(face.value.issuerCaDer) !== proven.value.signing.caFingerprint)
        return refuse('card-face-invalid', 'face and signing certificate from different CAs');
      card = proven.value.signing.holder;
    } else {
      const verified = await verifyAuthentication(deps, {
        ...proofRequest,
        signatureAlgorithm: request.signatureAlgorithm,
      });
      if (!verified.ok) return verified;
      holder = verified.value;
      const resident = await deps.repository.getResident(holder.holderId);
      if (!resident) return refuse('resident-unknown');
      if (resident.status === 'moved-out') return refuse('resident-moved-out');
      if (resident.status === 'deceased') return refuse('resident-deceased');
      municipalityCode = resident.municipalityCode;

      // 2. The signed face, and the card's basic information (入力補助AP, read with the 4-digit PIN).
      if (!face.ok) return refuse('card-face-invalid', face.detail);
      const basicInfoFile = request.basicInfo ? base64Bytes(request.basicInfo) : undefined;
      if (!basicInfoFile) return refuse('bad-request', 'the basic information is missing');
      const basic = parseBasicInfo(basicInfoFile);
      if (!basic.ok) return refuse('card-face-invalid', basic.detail);
      card = basic.value;

      // 3. Preconditions: the 署名用 certificate (same serial as the card's 利用者証明用 one, from
      // the CA that signed the face) not revoked; the 4 facts unchanged since the card was issued.
      const signingRevoked = await deps.repository.isCertificateRevoked(
        sha256Hex(face.value.issuerCaDer),
        holder.serialNumberHex,
      );
      if (signingRevoked) return refuse('signing-certificate-revoked');
      const household = await deps.repository.getHousehold(resident.householdId);
      const changed = changedFacts(registerFacts(resident, household?.address ?? ''), card);
      if (changed.length > 0) return refuse('basic-information-changed', `fields: ${changed.join(', ')}`);
    }
    // Birth date and sex on the signed face agree with the card's other data.
    if (face.value.birthDate !== card.birthDate || face.value.sex !== card.sex)
      return refuse('basic-information-changed', 'fields: birthDate');

    // 4. The face check.
    const photo = await decodeJpeg2000(face.value.photo);
    if (photo.kind !== 'image') return refuse('photo-unreadable', photo.detail);
    const selfie = await decodeSelfie(selfieBytes);
    if (selfie.kind !== 'image') return refuse('selfie-unreadable', selfie.detail);
    const model = await deps.faceModel();
    const onCard = await model.describe(photo.image);
    if (onCard.kind !== 'face') return refuse('no-face-on-card', onCard.kind);
    const taken = await model.describe(selfie.image);
    if (taken.kind === 'no-face') return refuse('no-face-in-selfie');
    if (taken.kind === 'several-faces') return refuse('several-faces-in-selfie', `${taken.count} faces`);
    const distance = faceDistance(onCard.descriptor, taken.descriptor);
    deps.log.info(
      {
        phoneSession: request.sessionId,
        faceDistance: Number(distance.toFixed(4)),
        threshold,
        backend: model.backend,
      },
      'phone face comparison',
    );
    if (distance > threshold) return refuse('face-mismatch', `distance ${distance.toFixed(3)}`);

    // 5. The grant.
    const issued = await deps.oneTimePasswords.issue(
      {
        cardBinding: holder.certificateFingerprint,
        holderId: holder.holderId,
        municipalityCode,
        mode,
        target,
      },
      deps.now(),
    );
    return {
      ok: true,
      value:
        mode === 'password'
          ? { mode, target, password: issued.password, expiresAt: issued.expiresAt }
          : { mode, target, expiresAt: issued.expiresAt },
    };
  }
}
