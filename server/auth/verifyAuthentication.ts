import 'reflect-metadata'; // @peculiar/x509 needs it loaded first
import { X509Certificate as NodeX509Certificate, constants, verify } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { AuthenticateRequest } from '../../protocol/api.ts';
import { authenticationMessage } from '../../protocol/auth-message.ts';
import type { CentreRepository } from '../db/repository.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import { normaliseSerialHex, sha256Hex, type TrustStore } from './trustStore.ts';

/** 利用者証明用 certificate policy. */
export const JPKI_AUTH_POLICY_OID = '1.2.392.200149.8.5.1.3.30';
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
export const CHALLENGE_BYTES = 32;
const MIN_CERTIFICATE_BYTES = 256;
const MAX_CERTIFICATE_BYTES = 6144;
const MIN_RSA_BITS = 2048;

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
}

function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

type UsageCheck = { ok: true } | { ok: false; detail: string };

function checkUsage(certificate: x509.X509Certificate, node: NodeX509Certificate): UsageCheck {
  const algorithm = certificate.signatureAlgorithm as { name?: string; hash?: { name?: string } };
  if (algorithm.name !== 'RSASSA-PKCS1-v1_5' || algorithm.hash?.name !== 'SHA-256') {
    return { ok: false, detail: 'signature algorithm is not sha256WithRSAEncryption' };
  }
  const key = node.publicKey;
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    return { ok: false, detail: 'key is not RSA-2048 or larger' };
  }
  if (node.ca) return { ok: false, detail: 'a CA certificate' };
  const keyUsage = certificate.getExtension(x509.KeyUsagesExtension);
  if (!keyUsage || (keyUsage.usages & x509.KeyUsageFlags.digitalSignature) === 0) {
    return { ok: false, detail: 'no digitalSignature key usage' };
  }
  const extendedKeyUsage = certificate.getExtension(x509.ExtendedKeyUsageExtension);
  if (!extendedKeyUsage || !extendedKeyUsage.usages.map(String).includes(CLIENT_AUTH_OID)) {
    return { ok: false, detail: 'no clientAuth extended key usage' };
  }
  const policies = certificate.getExtension(x509.CertificatePolicyExtension);
  if (!policies || !policies.policies.includes(JPKI_AUTH_POLICY_OID)) {
    return { ok: false, detail: 'not the 利用者証明用 policy' };
  }
  return { ok: true };
}

/**
 * Verifies an authenticate request (the Web eID order, adapted): size bounds; the challenge
 * (exists, bound to this terminal + transaction, unexpired, unused — consumed here); the
 * certificate decodes; validity at now; chains to a trusted JPKI CA chosen by signature;
 * algorithms, key usage, EKU and policy; not revoked; the card's signature over
 * authenticationMessage(terminalId, challenge); and finally (CA, serial) → registered holder.
 */
export async function verifyAuthentication(
  deps: AuthVerifierDeps,
  request: AuthenticateRequest,
): Promise<CentreResult<AuthenticatedHolder>> {
  const now = deps.now();
  const challenge = strictBase64(request.challenge);
  const certificateDer = strictBase64(request.certificate);
  const signature = strictBase64(request.signature);
  if (!challenge || challenge.length !== CHALLENGE_BYTES)
    return fail('bad-request', 'challenge is not 32 bytes of base64');
  if (!certificateDer || !signature || signature.length === 0)
    return fail('bad-request', 'certificate or signature is not base64');
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

  let node: NodeX509Certificate;
  let certificate: x509.X509Certificate;
  try {
    node = new NodeX509Certificate(certificateDer);
    certificate = new x509.X509Certificate(new Uint8Array(certificateDer));
  } catch {
    return fail('certificate-malformed', 'does not decode as X.509');
  }

  if (now.getTime() < certificate.notBefore.getTime()) return fail('certificate-not-yet-valid');
  if (now.getTime() > certificate.notAfter.getTime()) return fail('certificate-expired');

  const issuer = deps.trustStore.issuerOf(node, now);
  if (!issuer) return fail('certificate-untrusted', 'no trusted CA signed it');

  let usage: UsageCheck;
  try {
    usage = checkUsage(certificate, node);
  } catch {
    usage = { ok: false, detail: 'extensions or algorithms do not decode' };
  }
  if (!usage.ok) return fail('certificate-wrong-usage', usage.detail);

  const serialNumberHex = normaliseSerialHex(certificate.serialNumber);
  if (await deps.repository.isCertificateRevoked(issuer.fingerprint, serialNumberHex))
    return fail('certificate-revoked');

  const modulusBytes = (node.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  const signatureValid =
    signature.length === modulusBytes &&
    verify(
      'sha256',
      authenticationMessage(request.terminalId, challenge),
      { key: node.publicKey, padding: constants.RSA_PKCS1_PADDING },
      signature,
    );
  if (!signatureValid) return fail('signature-invalid');

  const holderId = await deps.repository.findCertificateHolder(issuer.fingerprint, serialNumberHex);
  if (!holderId) return fail('resident-unknown', 'certificate not in the registry');
  return succeed({
    holderId,
    certificateFingerprint: sha256Hex(certificateDer),
    caFingerprint: issuer.fingerprint,
    serialNumberHex,
  });
}
