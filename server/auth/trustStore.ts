import { X509Certificate, createHash } from 'node:crypto';

export interface TrustedCa {
  /** SHA-256 hex of the CA certificate DER: its identity (generations share one DN). */
  fingerprint: string;
  certificate: X509Certificate;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Serial numbers as the registry keys them: lower-case hex, no leading zeros. */
export function normaliseSerialHex(serial: string): string {
  const hex = serial
    .toLowerCase()
    .replace(/^0x/, '')
    .replace(/[^0-9a-f]/g, '');
  return hex.replace(/^0+(?=.)/, '') || '0';
}

function verifiesWith(certificate: X509Certificate, ca: X509Certificate): boolean {
  try {
    return certificate.verify(ca.publicKey);
  } catch {
    return false; // an algorithm OpenSSL cannot check is not one we trust
  }
}

/** The JPKI CA certificates the centre trusts, several generations at once. */
export class TrustStore {
  readonly authorities: readonly TrustedCa[];

  constructor(caCertificatesDer: readonly Uint8Array[]) {
    this.authorities = caCertificatesDer.map((der) => {
      const certificate = new X509Certificate(Buffer.from(der));
      if (!certificate.ca) throw new TypeError('a trusted JPKI CA certificate must be a CA certificate');
      return { fingerprint: sha256Hex(der), certificate };
    });
  }

  /**
   * The trusted CA whose key verifies this certificate's signature, chosen by signature and
   * not by name. The CA must itself be within its validity at `now`.
   */
  issuerOf(certificate: X509Certificate, now: Date): TrustedCa | undefined {
    return this.authorities.find(
      (ca) =>
        ca.certificate.subject === certificate.issuer &&
        new Date(ca.certificate.validTo).getTime() >= now.getTime() &&
        new Date(ca.certificate.validFrom).getTime() <= now.getTime() &&
        verifiesWith(certificate, ca.certificate),
    );
  }
}
