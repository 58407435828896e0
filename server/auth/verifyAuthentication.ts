import { X509Certificate as NodeX509Certificate, constants, verify, type KeyObject } from 'node:crypto';
import type { AuthenticateRequest } from '../../protocol/api.ts';
import { authenticationMessage } from '../../protocol/auth-message.ts';
import type { CentreRepository } from '../db/repository.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import {
  KEY_USAGE_BIT,
  basicConstraintsCa,
  extendedKeyUsagesOf,
  hexOf,
  keyUsageHas,
  ocspUrlOf,
  policiesOf,
  readCertificateDer,
  type CertificateDer,
} from './certificate-der.ts';
import { readPlainCertificate, type PlainCertificate } from './plain-certificate.ts';
import type { RevocationChecker } from './revocation.ts';
import { normaliseSerialHex, sha256Hex, type TrustStore } from './trustStore.ts';

/** 利用者証明用 certificate policy. */
export const JPKI_AUTH_POLICY_OID = '1.2.392.200149.8.5.1.3.30';
/** 署名用 certificate policy: never accepted for authentication. */
export const DISALLOWED_POLICY_OIDS: readonly string[] = ['1.2.392.200149.8.5.1.1.10', '2.5.29.32.0'];
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
const SHA256_WITH_RSA_OID = '1.2.840.113549.1.1.11';
const EXTENSION = {
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  certificatePolicies: '2.5.29.32',
  basicConstraints: '2.5.29.19',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;
export const CHALLENGE_BYTES = 32;
export const MIN_CERTIFICATE_BYTES = 256;
export const MAX_CERTIFICATE_BYTES = 6144;
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 4096;
const MAX_SIGNATURE_BYTES = MAX_RSA_BITS / 8;
/** Extensions this verifier understands; any other critical extension refuses the certificate. */
const KNOWN_EXTENSIONS = new Set([
  '2.5.29.15', // key usage
  '2.5.29.37', // extended key usage
  '2.5.29.32', // certificate policies
  '2.5.29.19', // basic constraints
  '2.5.29.35', // authority key identifier
  '2.5.29.14', // subject key identifier
  '2.5.29.17', // subject alternative name
  '2.5.29.31', // CRL distribution points
  '1.3.6.1.5.5.7.1.1', // authority information access
]);
/** CRLReason codes J-LIS uses for a card revoked because its holder moved abroad / died (our mapping). */
const REASON_MOVED_OUT = 3; // affiliationChanged
const REASON_DECEASED = 5; // cessationOfOperation

export interface AuthenticatedHolder {
  holderId: string;
  /** SHA-256 hex of the DER certificate: the holder binding of every document in this session. */
  certificateFingerprint: string;
  caFingerprint: string;
  serialNumberHex: string;
}

export interface AuthVerifierDeps {
  repository: CentreRepository;
  trustStore: TrustStore;
  now: () => Date;
  /** OCSP with CRL fallback; when absent only the register's own revocation list is consulted. */
  revocation?: RevocationChecker;
}

function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** On success, the certificate's key: the one KeyObject the signature is checked with (each `publicKey` read makes a new one). */
type UsageCheck = { ok: true; publicKey: KeyObject } | { ok: false; detail: string };

/** The extension's value, when the certificate has it. */
function extensionValue(certificate: CertificateDer, oid: string): Uint8Array | undefined {
  return certificate.extensions.find((e) => e.oid === oid)?.value;
}

/** What checkUsage reads of OpenSSL's view of the certificate: its key and whether it is a CA. */
interface KeyFacts {
  readonly publicKey: KeyObject;
  readonly ca: boolean;
}

/**
 * A plain certificate's key facts without OpenSSL: its RSA key, and `ca` false because OpenSSL's
 * CA flag is never set without a basicConstraints cA TRUE, which checkUsage reads itself (a plain
 * certificate's basicConstraints reads strictly).
 */
const plainKeyFacts = (plain: PlainCertificate): KeyFacts => ({ publicKey: plain.publicKey, ca: false });

/**
 * The certificate as one DER certificate: read without OpenSSL when plain, else as before
 * (OpenSSL's reading, its DER compared with the request's, then the strict reader).
 */
type CardCertificateReading =
  | { ok: true; certificate: CertificateDer; plain?: PlainCertificate; openssl?: NodeX509Certificate }
  | { ok: false; detail: string };

function readCardCertificate(der: Buffer): CardCertificateReading {
  const plain = readPlainCertificate(der);
  if (plain) return { ok: true, certificate: plain.certificate, plain };
  let node: NodeX509Certificate;
  try {
    node = new NodeX509Certificate(der);
  } catch {
    return { ok: false, detail: 'does not decode as X.509' };
  }
  // OpenSSL also accepts PEM text and ignores bytes after the certificate: the request must
  // carry exactly one DER certificate, or one card would have many fingerprints.
  if (!node.raw.equals(der)) return { ok: false, detail: 'not exactly one DER certificate' };
  try {
    return { ok: true, certificate: readCertificateDer(der), openssl: node };
  } catch {
    return { ok: false, detail: 'does not decode as X.509' };
  }
}

function checkUsage(certificate: CertificateDer, node: KeyFacts): UsageCheck {
  if (
    certificate.signatureAlgorithmOid !== SHA256_WITH_RSA_OID ||
    certificate.tbsSignatureAlgorithmOid !== SHA256_WITH_RSA_OID
  ) {
    return { ok: false, detail: 'signature algorithm is not sha256WithRSAEncryption' };
  }
  const key = node.publicKey;
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    return { ok: false, detail: 'key is not RSA-2048 or larger' };
  }
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) > MAX_RSA_BITS) {
    return { ok: false, detail: 'RSA key larger than 4096 bits' };
  }
  const basicConstraints = extensionValue(certificate, EXTENSION.basicConstraints);
  if (node.ca || (basicConstraints !== undefined && basicConstraintsCa(basicConstraints))) {
    return { ok: false, detail: 'a CA certificate' };
  }
  // RFC 5280 §4.2: one instance per extension; a second key usage or policies extension would
  // otherwise go unchecked.
  const types = certificate.extensions.map((e) => e.oid);
  if (new Set(types).size !== types.length) return { ok: false, detail: 'a duplicated extension' };
  const unknownCritical = certificate.extensions.find((e) => e.critical && !KNOWN_EXTENSIONS.has(e.oid));
  if (unknownCritical) return { ok: false, detail: 'an unknown critical extension' };
  const keyUsage = extensionValue(certificate, EXTENSION.keyUsage);
  if (!keyUsage || !keyUsageHas(keyUsage, KEY_USAGE_BIT.digitalSignature)) {
    return { ok: false, detail: 'no digitalSignature key usage' };
  }
  if (keyUsageHas(keyUsage, KEY_USAGE_BIT.keyCertSign) || keyUsageHas(keyUsage, KEY_USAGE_BIT.cRLSign)) {
    return { ok: false, detail: 'key usage allows certificate or CRL signing' };
  }
  const extendedKeyUsage = extensionValue(certificate, EXTENSION.extendedKeyUsage);
  if (!extendedKeyUsage || !extendedKeyUsagesOf(extendedKeyUsage).includes(CLIENT_AUTH_OID)) {
    return { ok: false, detail: 'no clientAuth extended key usage' };
  }
  const policiesValue = extensionValue(certificate, EXTENSION.certificatePolicies);
  const policies = policiesValue ? policiesOf(policiesValue) : [];
  if (!policies.includes(JPKI_AUTH_POLICY_OID)) {
    return { ok: false, detail: 'not the 利用者証明用 policy' };
  }
  if (policies.some((p) => DISALLOWED_POLICY_OIDS.includes(p))) {
    return { ok: false, detail: 'a disallowed policy' };
  }
  return { ok: true, publicKey: key };
}

/**
 * Verifies an authenticate request (the Web eID order, adapted): size bounds; the challenge
 * (exists, bound to this terminal + transaction, unexpired, unused — consumed here); the
 * certificate decodes; validity at now; chains to a trusted JPKI CA chosen by signature;
 * algorithms, key size, not a CA, no unknown critical extension, key usage, EKU and policy
 * (and no disallowed policy); the card's signature over authenticationMessage(terminalId,
 * challenge); not revoked, by the register's own list AND by OCSP (CRL fallback); and finally
 * (CA, serial) → registered holder. Cheap local checks run before the network call.
 */
export async function verifyAuthentication(
  deps: AuthVerifierDeps,
  request: AuthenticateRequest,
  /**
   * `signedBy`: the key the signature is checked with instead of the certificate's own — the
   * 4-digit PIN's reset, where the card signs with its 署名用 key (verified by
   * verifySigningCertificate) and the 利用者証明用 certificate, readable without a PIN, still
   * names the card and its holder through every other check here.
   */
  options: { signedBy?: KeyObject } = {},
): Promise<CentreResult<AuthenticatedHolder>> {
  const now = deps.now();
  if ((request.signatureAlgorithm as string) !== 'RS256')
    return fail('bad-request', 'signature algorithm not on the allow-list');
  if (request.certificate.length > Math.ceil(MAX_CERTIFICATE_BYTES / 3) * 4)
    return fail('certificate-malformed', 'certificate size out of bounds');
  if (request.signature.length > Math.ceil(MAX_SIGNATURE_BYTES / 3) * 4)
    return fail('signature-invalid', 'signature size out of bounds');
  const challenge = strictBase64(request.challenge);
  const certificateDer = strictBase64(request.certificate);
  const signature = strictBase64(request.signature);
  if (!challenge || challenge.length !== CHALLENGE_BYTES)
    return fail('bad-request', 'challenge is not 32 bytes of base64');
  if (!certificateDer || !signature || signature.length === 0)
    return fail('bad-request', 'certificate or signature is not base64');
  if (signature.length > MAX_SIGNATURE_BYTES)
    return fail('signature-invalid', 'signature size out of bounds');
  if (certificateDer.length < MIN_CERTIFICATE_BYTES || certificateDer.length > MAX_CERTIFICATE_BYTES) {
    return fail('certificate-malformed', 'certificate size out of bounds');
  }

  const consumed = await deps.repository.consumeChallenge(
    challenge.toString('base64'),
    request.terminalId,
    request.transactionId,
    now.getTime(),
  );
  switch (consumed.kind) {
    case 'consumed':
      break;
    case 'unknown':
    case 'wrong-binding':
      return fail('challenge-unknown', consumed.kind);
    case 'expired':
      return fail('challenge-expired');
    case 'used':
      return fail('challenge-used');
  }

  const read = readCardCertificate(certificateDer);
  if (!read.ok) return fail('certificate-malformed', read.detail);
  const { certificate } = read;

  if (now.getTime() < certificate.notBefore.getTime()) return fail('certificate-not-yet-valid');
  if (now.getTime() > certificate.notAfter.getTime()) return fail('certificate-expired');

  let openssl = read.openssl;
  let issuer = read.plain ? deps.trustStore.issuerOfPlain(read.plain, now) : undefined;
  if (!issuer) {
    // Not plain, or no CA matched its issuer name byte for byte: OpenSSL's reading decides.
    try {
      openssl ??= new NodeX509Certificate(certificateDer);
    } catch {
      return fail('certificate-malformed', 'does not decode as X.509');
    }
    issuer = deps.trustStore.issuerOf(openssl, now);
  }
  if (!issuer) return fail('certificate-untrusted', 'no trusted CA signed it');

  let usage: UsageCheck;
  try {
    usage = checkUsage(certificate, openssl ?? plainKeyFacts(read.plain as PlainCertificate));
  } catch {
    usage = { ok: false, detail: 'extensions or algorithms do not decode' };
  }
  if (!usage.ok) return fail('certificate-wrong-usage', usage.detail);

  const serialNumberHex = normaliseSerialHex(hexOf(certificate.serialNumber));
  const signingKey = options.signedBy ?? usage.publicKey;
  const modulusBytes = (signingKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  const signatureValid =
    signature.length === modulusBytes &&
    verify(
      'sha256',
      authenticationMessage(request.terminalId, challenge),
      { key: signingKey, padding: constants.RSA_PKCS1_PADDING },
      signature,
    );
  if (!signatureValid) return fail('signature-invalid');

  // Revocation: the register's own list (moved out, died) and JPKI's OCSP/CRL must both say good.
  const { holderId, revoked } = await deps.repository.certificateStanding(
    issuer.fingerprint,
    serialNumberHex,
  );
  if (revoked) {
    return revokedFailure(deps, holderId, undefined, 'register');
  }
  if (deps.revocation) {
    let aiaOcspUrl: string | undefined;
    try {
      const aia = extensionValue(certificate, EXTENSION.authorityInfoAccess);
      aiaOcspUrl = aia ? ocspUrlOf(aia) : undefined;
    } catch {
      aiaOcspUrl = undefined; // an unreadable AIA leaves the configured responder
    }
    const verdict = await deps.revocation.check(
      {
        certificateDer: new Uint8Array(certificateDer),
        issuerDer: issuer.der,
        issuerFingerprint: issuer.fingerprint,
        serialNumberHex,
        serialNumber: certificate.serialNumber,
        ...(aiaOcspUrl ? { aiaOcspUrl } : {}),
      },
      now,
      { transactionId: request.transactionId },
    );
    if (verdict.status === 'unverified')
      return fail('certificate-untrusted', `revocation: ${verdict.problem}`);
    if (verdict.status === 'revoked') return revokedFailure(deps, holderId, verdict.reason, verdict.source);
  }

  if (!holderId) return fail('resident-unknown', 'certificate not in the registry');
  return succeed({
    holderId,
    certificateFingerprint: sha256Hex(certificateDer),
    caFingerprint: issuer.fingerprint,
    serialNumberHex,
  });
}

/**
 * A revoked certificate, answered as J-LIS's mapping does: the holder's register entry says why
 * (moved out → resident-moved-out, died → resident-deceased); failing that the CRLReason does
 * (affiliationChanged / cessationOfOperation); otherwise plain certificate-revoked.
 */
async function revokedFailure(
  deps: AuthVerifierDeps,
  holderId: string | undefined,
  reason: number | undefined,
  source: string,
): Promise<{
  ok: false;
  error: { kind: 'certificate-revoked' | 'resident-moved-out' | 'resident-deceased'; detail: string };
}> {
  const resident = holderId ? await deps.repository.getResident(holderId) : undefined;
  const detail = `revoked (${source})`;
  if (resident?.status === 'moved-out' || (!resident && reason === REASON_MOVED_OUT))
    return { ok: false, error: { kind: 'resident-moved-out', detail } };
  if (resident?.status === 'deceased' || (!resident && reason === REASON_DECEASED))
    return { ok: false, error: { kind: 'resident-deceased', detail } };
  return { ok: false, error: { kind: 'certificate-revoked', detail } };
}
