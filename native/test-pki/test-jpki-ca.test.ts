import { X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CERTIFICATE_PROBLEMS, problemCard, sharedTestCa, testCard } from './fixtures.ts';
import { JPKI_SAN_OID, readOtherNames } from './jpki-extensions.ts';
import * as x509 from './x509.ts';
import {
  createTestJpkiCa,
  issueAuthCertificate,
  JPKI_AUTH_POLICY_OID,
  JPKI_TEST_AUTH_CA_DN,
  JPKI_TEST_AUTH_CRL_DN,
  JPKI_SIGNING_POLICY_OID,
  loadTestJpkiCa,
  WRONG_POLICY_OID,
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

  it('gives the auth certificate a CRL distribution point by directory name and a real card’s size', async () => {
    const card = await testCard();
    expect(card.authCertificate.length).toBeGreaterThanOrEqual(1450);
    expect(card.authCertificate.length).toBeLessThanOrEqual(1650);
    const parsed = new x509.X509Certificate(Uint8Array.from(card.authCertificate));
    const crl = parsed.getExtension(x509.CRLDistributionPointsExtension);
    const name = crl?.distributionPoints[0]?.distributionPoint?.fullName?.[0]?.directoryName;
    expect(name).toBeDefined();
    expect(new x509.Name(name!).toString()).toBe(new x509.Name(JPKI_TEST_AUTH_CRL_DN).toString());
    // no personal data in the auth certificate
    expect(Buffer.from(card.authCertificate).includes(Buffer.from(card.face!.name, 'utf8'))).toBe(false);
    expect(parsed.getExtension('2.5.29.17')).toBeNull();
  });

  it('puts name, birth date, sex and address in the signing certificate’s SubjectAltName (UTF-8)', async () => {
    const card = await testCard({
      holder: { name: '署名 次郎', birthDate: '20010203', sex: '1', address: '大阪府大阪市北区中之島1-3-20' },
    });
    const parsed = new x509.X509Certificate(Uint8Array.from(card.signingCertificate));
    expect(parsed.getExtension(x509.CertificatePolicyExtension)?.policies).toEqual([JPKI_SIGNING_POLICY_OID]);
    const san = parsed.getExtension('2.5.29.17');
    expect(san).not.toBeNull();
    const names = readOtherNames(san!.value);
    expect(names.get(JPKI_SAN_OID.NAME)).toBe('署名 次郎');
    expect(names.get(JPKI_SAN_OID.BIRTH_DATE)).toBe('20010203');
    expect(names.get(JPKI_SAN_OID.SEX)).toBe('1');
    expect(names.get(JPKI_SAN_OID.ADDRESS)).toBe('大阪府大阪市北区中之島1-3-20');
    expect([...names.keys()].sort()).toEqual(Object.values(JPKI_SAN_OID).sort());
    expect(new X509Certificate(Buffer.from(card.signingCertificate)).subjectAltName).toContain('othername');
  });

  it('makes test cards whose auth certificate is wrong in each way the centre must refuse', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const ca = await sharedTestCa();
    const trusted = new X509Certificate(Buffer.from(ca.auth.certificate.rawData));
    const seen = new Map<string, X509Certificate>();
    for (const problem of CERTIFICATE_PROBLEMS) {
      const p = await problemCard(problem, now);
      expect(p.problem).toBe(problem);
      seen.set(problem, new X509Certificate(Buffer.from(p.card.authCertificate)));
      expect(p.serialNumberHex).toBe(seen.get(problem)!.serialNumber);
    }
    const expired = seen.get('expired')!;
    expect(new Date(expired.validTo).getTime()).toBeLessThan(now.getTime());
    const early = seen.get('not-yet-valid')!;
    expect(new Date(early.validFrom).getTime()).toBeGreaterThan(now.getTime());
    const policy = new x509.X509Certificate(seen.get('wrong-policy')!.raw).getExtension(
      x509.CertificatePolicyExtension,
    );
    expect(policy?.policies).toEqual([WRONG_POLICY_OID]);
    const unknown = seen.get('unknown-ca')!;
    expect(unknown.issuer).toBe(trusted.subject); // same DN …
    expect(unknown.verify(trusted.publicKey)).toBe(false); // … another key
    for (const problem of ['expired', 'not-yet-valid', 'revoked', 'wrong-policy'] as const)
      expect(seen.get(problem)!.verify(trusted.publicKey), problem).toBe(true);
  });
});
