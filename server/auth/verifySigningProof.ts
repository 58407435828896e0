/**
 * The card proven with its 署名用 key and PIN instead of the 4-digit PIN (the 4-digit PIN's reset,
 * issue 11): the 署名用 certificate verified (verifySigningCertificate), the signature over the
 * challenge checked with its key while the 利用者証明用 certificate — readable without a PIN —
 * goes through every check of the kiosk's authentication (challenge, chain, validity, usage,
 * revocation, registry: verifyAuthentication with `signedBy`), and the two tied to one holder: the
 * signing certificate's name, address, birth date and sex must be the register's for the holder
 * the auth certificate names. Used by the phone (`/v1/phone/pin-reset`) and the kiosk
 * (`/v1/pin-reset/authenticate`); see "PIN reset" in server/README.md for the threat model.
 */
import type { CentreErrorCode } from '../../protocol/errors.ts';
import type { CentreRepository } from '../db/repository.ts';
import type { RevocationChecker } from './revocation.ts';
import type { TrustStore } from './trustStore.ts';
import { verifyAuthentication, type AuthenticatedHolder } from './verifyAuthentication.ts';
import {
  verifySigningCertificate,
  type SigningCertificateRefusal,
  type SigningHolderFacts,
  type VerifiedSigningCertificate,
} from './verifySigningCertificate.ts';

export type SigningProofRefusal = CentreErrorCode | SigningCertificateRefusal | 'basic-information-changed';

export interface SigningProofDeps {
  repository: CentreRepository;
  trustStore: TrustStore;
  revocation?: RevocationChecker;
  signingCaCertificates: readonly Uint8Array[];
  now: () => Date;
}

export interface SigningProofRequest {
  terminalId: string;
  transactionId: string;
  /** The centre's challenge (base64, from /v1/challenge or /v1/phone/challenge). */
  challenge: string;
  /** base64 DER of the 利用者証明用 certificate. */
  certificate: string;
  /** base64 DER of the 署名用 certificate. */
  signingCertificate: string;
  /** base64 signature by the 署名用 key over SHA-256(terminalId) ‖ SHA-256(challenge). */
  signature: string;
}

export type SigningProofResult =
  | {
      ok: true;
      value: { holder: AuthenticatedHolder; signing: VerifiedSigningCertificate; municipalityCode: string };
    }
  | { ok: false; error: { kind: SigningProofRefusal; detail?: string } };

const refuse = (kind: SigningProofRefusal, detail?: string) =>
  ({ ok: false, error: detail === undefined ? { kind } : { kind, detail } }) as const;

function strictBase64(text: string): Uint8Array | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text && bytes.length > 0 ? new Uint8Array(bytes) : undefined;
}

/** The register's 4 facts in the certificate's form (YYYYMMDD, ISO 5218). */
export function registerFacts(
  resident: { name: string; birthDate: string; sex: '男' | '女' },
  address: string,
): SigningHolderFacts {
  return {
    name: resident.name,
    address,
    birthDate: resident.birthDate.replaceAll('-', ''),
    sex: resident.sex === '男' ? '1' : '2',
  };
}

/** The facts that differ between the register and the card (names only, never values). */
export function changedFacts(register: SigningHolderFacts, card: SigningHolderFacts): string[] {
  return (Object.keys(register) as Array<keyof SigningHolderFacts>).filter((k) => register[k] !== card[k]);
}

export async function verifySigningProof(
  deps: SigningProofDeps,
  request: SigningProofRequest,
): Promise<SigningProofResult> {
  const signingDer = strictBase64(request.signingCertificate);
  if (!signingDer) return refuse('bad-request', 'the signing certificate is not base64');
  const signing = await verifySigningCertificate(
    {
      signingCaCertificates: deps.signingCaCertificates,
      repository: deps.repository,
      ...(deps.revocation ? { revocation: deps.revocation } : {}),
      now: deps.now,
    },
    signingDer,
    { transactionId: request.transactionId },
  );
  if (!signing.ok) return signing;
  const holder = await verifyAuthentication(
    deps,
    {
      terminalId: request.terminalId,
      transactionId: request.transactionId,
      challenge: request.challenge,
      certificate: request.certificate,
      signature: request.signature,
      signatureAlgorithm: 'RS256',
    },
    { signedBy: signing.value.publicKey },
  );
  if (!holder.ok) return holder;
  const resident = await deps.repository.getResident(holder.value.holderId);
  if (!resident) return refuse('resident-unknown');
  if (resident.status === 'moved-out') return refuse('resident-moved-out');
  if (resident.status === 'deceased') return refuse('resident-deceased');
  const household = await deps.repository.getHousehold(resident.householdId);
  const changed = changedFacts(registerFacts(resident, household?.address ?? ''), signing.value.holder);
  if (changed.length > 0) return refuse('basic-information-changed', `fields: ${changed.join(', ')}`);
  return {
    ok: true,
    value: { holder: holder.value, signing: signing.value, municipalityCode: resident.municipalityCode },
  };
}
