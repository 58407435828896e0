import { X509Certificate, constants, createHash, verify, type KeyObject } from 'node:crypto';
import { readCertificateDer } from './certificate-der.ts';
import type { PlainCertificate } from './plain-certificate.ts';

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
  /** Only an RSA key verifies a sha256WithRSAEncryption signature (OpenSSL checks the key's type). */
  rsa: boolean;
}

/** What `issuerOfPlain` compares, read on its first call (a store made per call never pays for it). */
interface PlainNames {
  /** Each CA's subject Name DER, by the store's order; undefined when the strict reader refuses it. */
  subjects: readonly (Buffer | undefined)[];
  /**
   * Whether a name's bytes decide as OpenSSL's text of it does: no two CAs whose subjects read
   * alike are encoded differently. Otherwise every certificate is matched by OpenSSL's text.
   */
  byBytes: boolean;
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

/** Both names read, and encoded alike. */
const sameName = (a: Buffer | undefined, b: Buffer | undefined): boolean =>
  a !== undefined && b !== undefined && a.equals(b);

function subjectDerOf(der: Uint8Array): Buffer | undefined {
  try {
    return Buffer.from(readCertificateDer(der).subjectName);
  } catch {
    return undefined;
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
  private plainNames: PlainNames | undefined;

  constructor(caCertificatesDer: readonly Uint8Array[]) {
    this.authorities = caCertificatesDer.map((der) => {
      const certificate = new X509Certificate(Buffer.from(der));
      if (!certificate.ca) throw new TypeError('a trusted JPKI CA certificate must be a CA certificate');
      return { fingerprint: sha256Hex(der), certificate, der: new Uint8Array(certificate.raw) };
    });
    this.facts = this.authorities.map(({ certificate }) => {
      const publicKey = publicKeyOf(certificate);
      return {
        subject: certificate.subject,
        validFromMs: new Date(certificate.validFrom).getTime(),
        validToMs: new Date(certificate.validTo).getTime(),
        publicKey,
        rsa: publicKey?.asymmetricKeyType === 'rsa',
      };
    });
  }

  private namesForPlain(): PlainNames {
    if (this.plainNames) return this.plainNames;
    const subjects = this.authorities.map((ca) => subjectDerOf(ca.der));
    const byBytes = this.facts.every((a, i) =>
      this.facts.every((b, j) => a.subject !== b.subject || sameName(subjects[i], subjects[j])),
    );
    this.plainNames = { subjects, byBytes };
    return this.plainNames;
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

  /**
   * `issuerOf` for a plain certificate (./plain-certificate.ts) without OpenSSL's reading of it:
   * the CA named by the same bytes, within its validity, whose key verifies the signature over
   * the TBS. Equal bytes read as equal text, and no two CAs read alike but differ in bytes, so
   * the CA found is the one `issuerOf` finds; `undefined` leaves the decision to `issuerOf`
   * (another encoding of the name may still read alike).
   */
  issuerOfPlain(certificate: PlainCertificate, now: Date): TrustedCa | undefined {
    const names = this.namesForPlain();
    if (!names.byBytes) return undefined;
    const issuer = certificate.certificate.issuerName;
    const at = now.getTime();
    return this.authorities.find((_ca, i) => {
      const facts = this.facts[i] as CaFacts;
      const subject = names.subjects[i];
      return (
        facts.rsa &&
        subject !== undefined &&
        subject.equals(issuer) &&
        facts.validToMs >= at &&
        facts.validFromMs <= at &&
        signedBy(certificate, facts.publicKey as KeyObject)
      );
    });
  }
}

/** sha256WithRSAEncryption (PKCS#1 v1.5) over the TBS: what OpenSSL's X509_verify checks for a plain certificate. */
function signedBy(certificate: PlainCertificate, caKey: KeyObject): boolean {
  try {
    return verify(
      'sha256',
      certificate.tbs,
      { key: caKey, padding: constants.RSA_PKCS1_PADDING },
      certificate.signature,
    );
  } catch {
    return false;
  }
}
