import { X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedTestCa, testCard } from './fixtures.ts';
import * as x509 from './x509.ts';
import {
  createTestJpkiCa,
  issueAuthCertificate,
  JPKI_AUTH_POLICY_OID,
  JPKI_TEST_AUTH_CA_DN,
  loadTestJpkiCa,
  opaqueSubjectId,
  saveTestJpkiCa,
} from './test-jpki-ca.ts';

describe('test JPKI CA', () => {
  it('issues 利用者証明用 certificates shaped like the real card’s', async () => {
    const ca = await sharedTestCa();
    const card = await testCard({ serialNumber: 0x4d2 });
    const cert = new X509Certificate(Buffer.from(card.authCertificate));
    const caCert = new X509Certificate(Buffer.from(card.authCaCertificate));
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.subject).toMatch(/^C=JP\nCN=[A-Z0-9]{23}$/);
    expect(cert.serialNumber).toBe('04D2');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.publicKey.asymmetricKeyDetails?.publicExponent).toBe(65537n);
    expect(Buffer.from(card.authCertificate.subarray(0, 2)).toString('hex')).toBe('3082');

    const parsed = new x509.X509Certificate(Uint8Array.from(card.authCertificate));
    expect(parsed.issuer).toBe(JPKI_TEST_AUTH_CA_DN);
    expect(parsed.signatureAlgorithm.name).toBe('RSASSA-PKCS1-v1_5');
    const ku = parsed.getExtension(x509.KeyUsagesExtension);
    expect(ku?.critical).toBe(true);
    expect(ku?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(parsed.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      x509.ExtendedKeyUsage.clientAuth,
    ]);
    const policy = parsed.getExtension(x509.CertificatePolicyExtension);
    expect(policy?.critical).toBe(true);
    expect(policy?.policies).toEqual([JPKI_AUTH_POLICY_OID]);
    const aia = parsed.getExtension(x509.AuthorityInfoAccessExtension);
    expect(aia?.ocsp.map((g) => g.value)).toEqual([ca.ocspUrl]);
  });

  it('keeps the same DN across generations; the issuer is told apart by signature', async () => {
    const older = await createTestJpkiCa({
      generation: 2019,
      notBefore: new Date('2019-01-01'),
      notAfter: new Date('2039-01-01'),
    });
    const newer = await sharedTestCa();
    expect(older.auth.certificate.subject).toBe(newer.auth.certificate.subject);
    const der = await issueAuthCertificate(older, {
      publicKey: new Uint8Array(newer.auth.certificate.publicKey.rawData),
      serialNumber: 7,
      subjectCn: opaqueSubjectId(),
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2025-01-01'),
    });
    const cert = new X509Certificate(Buffer.from(der));
    expect(cert.verify(new X509Certificate(Buffer.from(older.auth.certificate.rawData)).publicKey)).toBe(
      true,
    );
    expect(cert.verify(new X509Certificate(Buffer.from(newer.auth.certificate.rawData)).publicKey)).toBe(
      false,
    );
  });

  it('saves and loads a CA that can still issue', async () => {
    const ca = await sharedTestCa();
    const dir = mkdtempSync(join(tmpdir(), 'ca-'));
    await saveTestJpkiCa(ca, dir);
    const loaded = await loadTestJpkiCa(dir);
    expect(loaded.generation).toBe(2023);
    expect(loaded.auth.certificate.equal(ca.auth.certificate)).toBe(true);
    const der = await issueAuthCertificate(loaded, {
      publicKey: new Uint8Array(ca.signing.certificate.publicKey.rawData),
      serialNumber: 'abcdef',
      subjectCn: opaqueSubjectId(),
      notBefore: new Date('2024-01-01'),
      notAfter: new Date('2029-01-01'),
    });
    expect(
      new X509Certificate(Buffer.from(der)).verify(
        new X509Certificate(Buffer.from(ca.auth.certificate.rawData)).publicKey,
      ),
    ).toBe(true);
  });

  it('refuses a subject id that is not the opaque 23-character form', async () => {
    const ca = await sharedTestCa();
    await expect(
      issueAuthCertificate(ca, {
        publicKey: new Uint8Array(ca.signing.certificate.publicKey.rawData),
        serialNumber: 1,
        subjectCn: 'Yamada Taro',
        notBefore: new Date(),
        notAfter: new Date(),
      }),
    ).rejects.toThrow(RangeError);
  });
});
