import 'reflect-metadata';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import {
  createTestJpkiCa,
  issueAuthCertificate,
  opaqueSubjectId,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';
import { readPlainCertificate } from './plain-certificate.ts';
import { flawedAuthCertificate } from './testCertificates.ts';
import { TrustStore } from './trustStore.ts';

const VALID = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2029-01-01T00:00:00Z') };
const spki = () =>
  new Uint8Array(
    generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'spki' }),
  );
const der = (ca: TestJpkiCa) => new Uint8Array(ca.auth.certificate.rawData);
const issue = (ca: TestJpkiCa, serialNumber: string) =>
  issueAuthCertificate(ca, { ...VALID, publicKey: spki(), serialNumber, subjectCn: opaqueSubjectId() });

let ca2023: TestJpkiCa;
let ca2019: TestJpkiCa;
let rogue: TestJpkiCa;

beforeAll(async () => {
  [ca2023, ca2019, rogue] = await Promise.all([
    sharedTestCa(),
    createTestJpkiCa({
      generation: 2019,
      notBefore: new Date('2019-01-01T00:00:00Z'),
      notAfter: new Date('2039-01-01T00:00:00Z'),
    }),
    createTestJpkiCa({
      generation: 2023,
      notBefore: new Date('2023-01-01T00:00:00Z'),
      notAfter: new Date('2043-01-01T00:00:00Z'),
    }),
  ]);
});

describe('plain certificates', () => {
  it('reads what the test JPKI CA issues, and nothing in another shape', async () => {
    const good = await issue(ca2023, '0d01');
    expect(readPlainCertificate(good)).toBeDefined();
    const pem = Buffer.from(new X509Certificate(Buffer.from(good)).toString());
    for (const other of [
      pem,
      Buffer.concat([good, Buffer.from([0x00])]),
      good.subarray(0, -1),
      await flawedAuthCertificate(ca2023, {
        ...VALID,
        publicKeySpki: spki(),
        serialNumber: '0d06',
        flaw: 'sha1',
      }),
    ])
      expect(readPlainCertificate(other)).toBeUndefined();
  });

  it('finds the issuer issuerOf finds: by generation, within the CA’s validity, never the rogue CA of the same name', async () => {
    const store = new TrustStore([der(ca2023), der(ca2019)]);
    const certificates = await Promise.all([
      issue(ca2023, '0d02'),
      issue(ca2019, '0d03'),
      issue(rogue, '0d04'),
    ]);
    const times = [
      '2018-12-31T23:59:59Z',
      '2022-06-01T00:00:00Z',
      '2026-11-25T03:00:00Z',
      '2039-01-01T00:00:01Z',
    ];
    let found = 0;
    for (const certificate of certificates) {
      const plain = readPlainCertificate(certificate);
      expect(plain).toBeDefined();
      const node = new X509Certificate(Buffer.from(certificate));
      for (const iso of times) {
        const expected = store.issuerOf(node, new Date(iso));
        expect(store.issuerOfPlain(plain!, new Date(iso))).toBe(expected);
        if (expected) found++;
        if (certificate === certificates[2]) expect(expected).toBeUndefined();
      }
    }
    expect(found).toBeGreaterThanOrEqual(3); // 2023 at 2026; 2019 at 2022 and 2026
  });

  it('leaves the choice to OpenSSL when two trusted CAs read alike but are encoded differently', async () => {
    // The same DN text in UTF8String, with the 2023 CA's own key: OpenSSL's text matches both CAs,
    // and issuerOf takes the first in the store's order — the UTF8String one.
    const utf8Name = new x509.Name(
      [
        ['2.5.4.6', 'JP'],
        ['2.5.4.10', 'JPKI-TEST'],
        ['2.5.4.11', 'JPKI for user authentication'],
        ['2.5.4.11', 'Japan Agency for Local Authority Information Systems'],
      ].map(([type, text]) => ({ [type as string]: [{ utf8String: text as string }] })),
    );
    const twin = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '7777',
      name: utf8Name,
      notBefore: new Date('2023-01-01T00:00:00Z'),
      notAfter: new Date('2043-01-01T00:00:00Z'),
      keys: { privateKey: ca2023.auth.privateKey, publicKey: ca2023.auth.publicKey },
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
    });
    const twinDer = new Uint8Array(twin.rawData);
    expect(Buffer.from(twinDer).includes(Buffer.from([0x0c, 0x02, 0x4a, 0x50]))).toBe(true); // UTF8String "JP"
    const certificate = await issue(ca2023, '0d05');
    const plain = readPlainCertificate(certificate)!;
    const node = new X509Certificate(Buffer.from(certificate));
    const now = new Date('2026-11-25T03:00:00Z');
    const store = new TrustStore([twinDer, der(ca2023)]);
    expect(store.issuerOf(node, now)?.der).toEqual(twinDer);
    expect(store.issuerOfPlain(plain, now)).toBeUndefined();
    // control: without the twin, the plain reading decides, as issuerOf does
    const alone = new TrustStore([der(ca2023)]);
    expect(alone.issuerOfPlain(plain, now)).toBe(alone.issuerOf(node, now));
    expect(alone.issuerOfPlain(plain, now)).toBeDefined();
  });
});
