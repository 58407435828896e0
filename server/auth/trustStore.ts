import { X509Certificate, createHash, type KeyObject } from 'node:crypto';

export interface TrustedCa {
  /** SHA-256 hex of the CA certificate DER: its identity (generations share one DN). */
  fingerprint: string;
  certificate: X509Certificate;
  /**
   * The CA certificate's DER, read once when the store is built: the OCSP and CRL checks name
   * the issuer by these bytes on every authentication. The store's own copy; never written to.
   */
  der: Uint8Array;
}

/** What `issuerOf` compares on every request, read from OpenSSL once per CA instead of per call. */
interface CaFacts {
  subject: string;
  validFromMs: number;
  validToMs: number;
  /** undefined when OpenSSL cannot read the key: such a CA verifies nothing. */
  publicKey: KeyObject | undefined;
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

function verifiesWith(certificate: X509Certificate, caKey: KeyObject | undefined): boolean {
  if (!caKey) return false;
  try {
    return certificate.verify(caKey);
  } catch {
    return false; // an algorithm OpenSSL cannot check is not one we trust
  }
}

function publicKeyOf(ca: X509Certificate): KeyObject | undefined {
  try {
    return ca.publicKey;
  } catch {
    return undefined;
  }
}

/** The JPKI CA certificates the centre trusts, several generations at once. */
export class TrustStore {
  readonly authorities: readonly TrustedCa[];
  private readonly facts: readonly CaFacts[];

  constructor(caCertificatesDer: readonly Uint8Array[]) {
    this.authorities = caCertificatesDer.map((der) => {
      const certificate = new X509Certificate(Buffer.from(der));
      if (!certificate.ca) throw new TypeError('a trusted JPKI CA certificate must be a CA certificate');
      return { fingerprint: sha256Hex(der), certificate, der: new Uint8Array(certificate.raw) };
    });
    this.facts = this.authorities.map(({ certificate }) => ({
      subject: certificate.subject,
      validFromMs: new Date(certificate.validFrom).getTime(),
      validToMs: new Date(certificate.validTo).getTime(),
      publicKey: publicKeyOf(certificate),
    }));
  }

  /**
   * The trusted CA whose key verifies this certificate's signature, chosen by signature and
   * not by name. The CA must itself be within its validity at `now`.
   */
  issuerOf(certificate: X509Certificate, now: Date): TrustedCa | undefined {
    const issuer = certificate.issuer;
    const at = now.getTime();
    return this.authorities.find((_ca, i) => {
      const facts = this.facts[i] as CaFacts;
      return (
        facts.subject === issuer &&
        facts.validToMs >= at &&
        facts.validFromMs <= at &&
        verifiesWith(certificate, facts.publicKey)
      );
    });
  }
}
