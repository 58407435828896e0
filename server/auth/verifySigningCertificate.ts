/**
 * The 署名用 (signing) certificate as the centre checks it when the signing key is the proof
 * (the 4-digit PIN's reset on the phone, issue 11): exactly one DER certificate, within its
 * validity, signed by one of the configured 署名用 CA certificates (by signature, the CA within its
 * own validity), RSA-2048…4096 with sha256WithRSAEncryption, not a CA, nonRepudiation key usage
 * and the JPKI signing policy, not revoked (the register's list, then OCSP / CRL when configured).
 * Answers the key to verify the card's signature with and the holder facts the certificate
 * carries (SubjectAltName otherNames 1.2.392.200149.8.5.5.x) in the card's form.
 */
import 'reflect-metadata'; // @peculiar/x509 needs it loaded first
import { X509Certificate as NodeX509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as x509 from '@peculiar/x509';
import type { CentreRepository } from '../db/repository.ts';
import type { RevocationChecker } from './revocation.ts';
import { normaliseSerialHex, sha256Hex, TrustStore } from './trustStore.ts';
import { MAX_CERTIFICATE_BYTES, MIN_CERTIFICATE_BYTES } from './verifyAuthentication.ts';

export const JPKI_SIGNING_POLICY_OID = '1.2.392.200149.8.5.1.1.10';
const SAN_OID = '2.5.29.17';
const HOLDER_OID = {
  name: '1.2.392.200149.8.5.5.1',
  birthDate: '1.2.392.200149.8.5.5.3',
  sex: '1.2.392.200149.8.5.5.4',
  address: '1.2.392.200149.8.5.5.5',
} as const;
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 4096;

/** Name, address, birth date (YYYYMMDD) and sex (ISO 5218) as the certificate states them. */
export interface SigningHolderFacts {
  name: string;
  address: string;
  birthDate: string;
  sex: string;
}

export interface VerifiedSigningCertificate {
  publicKey: KeyObject;
  /** SHA-256 hex of the issuing 署名用 CA certificate's DER. */
  caFingerprint: string;
  issuerCaDer: Uint8Array;
  serialNumberHex: string;
  holder: SigningHolderFacts;
}

export type SigningCertificateRefusal =
  | 'signing-certificate-invalid' // not one DER certificate, wrong usage, no holder facts
  | 'signing-certificate-untrusted' // no configured 署名用 CA signed it, or revocation could not be checked
  | 'signing-certificate-expired' // outside its validity
  | 'signing-certificate-revoked';

export type SigningCertificateResult =
  | { ok: true; value: VerifiedSigningCertificate }
  | { ok: false; error: { kind: SigningCertificateRefusal; detail?: string } };

export interface SigningCertificateDeps {
  /** DER of the 署名用 CA certificates the centre trusts. */
  signingCaCertificates: readonly Uint8Array[];
  repository: Pick<CentreRepository, 'isCertificateRevoked'>;
  /** OCSP with CRL fallback; when absent only the register's own revocation list is consulted. */
  revocation?: RevocationChecker;
  now: () => Date;
}

const refuse = (kind: SigningCertificateRefusal, detail?: string) =>
  ({ ok: false, error: detail === undefined ? { kind } : { kind, detail } }) as const;

/** The otherName UTF8String values of a SubjectAltName extension, by type id. */
function otherNames(extensionValue: ArrayBuffer): Map<string, string> {
  const out = new Map<string, string>();
  const parsed = asn1js.fromBER(extensionValue);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return out;
  for (const name of parsed.result.valueBlock.value) {
    if (name.idBlock.tagClass !== 3 || name.idBlock.tagNumber !== 0 || !(name instanceof asn1js.Constructed))
      continue;
    const [oid, wrapped] = name.valueBlock.value;
    const inner = wrapped instanceof asn1js.Constructed ? wrapped.valueBlock.value[0] : undefined;
    if (oid instanceof asn1js.ObjectIdentifier && inner instanceof asn1js.Utf8String)
      out.set(oid.valueBlock.toString(), inner.valueBlock.value);
  }
  return out;
}

function usageProblem(certificate: x509.X509Certificate, node: NodeX509Certificate): string | undefined {
  const algorithm = certificate.signatureAlgorithm as { name?: string; hash?: { name?: string } };
  if (algorithm.name !== 'RSASSA-PKCS1-v1_5' || algorithm.hash?.name !== 'SHA-256')
    return 'signature algorithm is not sha256WithRSAEncryption';
  const bits = node.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (node.publicKey.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS)
    return 'key is not RSA of 2048 to 4096 bits';
  if (node.ca || certificate.getExtension(x509.BasicConstraintsExtension)?.ca) return 'a CA certificate';
  const types = certificate.extensions.map((e) => e.type);
  if (new Set(types).size !== types.length) return 'a duplicated extension';
  const keyUsage = certificate.getExtension(x509.KeyUsagesExtension);
  if (!keyUsage || (keyUsage.usages & x509.KeyUsageFlags.nonRepudiation) === 0)
    return 'no nonRepudiation key usage';
  if ((keyUsage.usages & (x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign)) !== 0)
    return 'key usage allows certificate or CRL signing';
  const policies = certificate.getExtension(x509.CertificatePolicyExtension);
  if (!policies || !policies.policies.includes(JPKI_SIGNING_POLICY_OID)) return 'not the 署名用 policy';
  return undefined;
}

export async function verifySigningCertificate(
  deps: SigningCertificateDeps,
  der: Uint8Array,
  context: { transactionId: string },
): Promise<SigningCertificateResult> {
  const now = deps.now();
  if (der.length < MIN_CERTIFICATE_BYTES || der.length > MAX_CERTIFICATE_BYTES)
    return refuse('signing-certificate-invalid', 'size out of bounds');
  let node: NodeX509Certificate;
  let certificate: x509.X509Certificate;
  try {
    node = new NodeX509Certificate(Buffer.from(der));
    certificate = new x509.X509Certificate(Uint8Array.from(der));
  } catch {
    return refuse('signing-certificate-invalid', 'does not decode as X.509');
  }
  if (!node.raw.equals(Buffer.from(der)))
    return refuse('signing-certificate-invalid', 'not exactly one DER certificate');
  if (now < certificate.notBefore || now > certificate.notAfter) return refuse('signing-certificate-expired');

  const issuer = new TrustStore(deps.signingCaCertificates).issuerOf(node, now);
  if (!issuer) return refuse('signing-certificate-untrusted', 'no configured 署名用 CA signed it');
  let problem: string | undefined;
  try {
    problem = usageProblem(certificate, node);
  } catch {
    problem = 'extensions or algorithms do not decode';
  }
  if (problem) return refuse('signing-certificate-invalid', problem);

  const san = certificate.extensions.find((e) => e.type === SAN_OID);
  const names = san ? otherNames(san.value) : new Map<string, string>();
  const holder = {
    name: names.get(HOLDER_OID.name),
    address: names.get(HOLDER_OID.address),
    birthDate: names.get(HOLDER_OID.birthDate),
    sex: names.get(HOLDER_OID.sex),
  };
  if (!holder.name || !holder.address || !holder.birthDate || !holder.sex)
    return refuse('signing-certificate-invalid', 'no holder facts in the subject alternative name');

  const serialNumberHex = normaliseSerialHex(certificate.serialNumber);
  const issuerCaDer = new Uint8Array(issuer.certificate.raw);
  const caFingerprint = sha256Hex(issuerCaDer);
  if (await deps.repository.isCertificateRevoked(caFingerprint, serialNumberHex))
    return refuse('signing-certificate-revoked', 'register');
  if (deps.revocation) {
    const ocsp = certificate.getExtension(x509.AuthorityInfoAccessExtension)?.ocsp[0];
    const verdict = await deps.revocation.check(
      {
        certificateDer: Uint8Array.from(der),
        issuerDer: issuerCaDer,
        issuerFingerprint: caFingerprint,
        serialNumberHex,
        ...(ocsp?.type === 'url' ? { aiaOcspUrl: ocsp.value } : {}),
      },
      now,
      context,
    );
    if (verdict.status === 'unverified')
      return refuse('signing-certificate-untrusted', `revocation: ${verdict.problem}`);
    if (verdict.status === 'revoked') return refuse('signing-certificate-revoked', 'jpki');
  }
  return {
    ok: true,
    value: {
      publicKey: node.publicKey,
      caFingerprint,
      issuerCaDer,
      serialNumberHex,
      holder: { name: holder.name, address: holder.address, birthDate: holder.birthDate, sex: holder.sex },
    },
  };
}
