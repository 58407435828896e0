import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  issueAuthCertificate,
  opaqueSubjectId,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import {
  DerError,
  TAG,
  booleanOf,
  childrenOf,
  encodeElement,
  encodeOid,
  integerBytesOf,
  oidOf,
  readElement,
  readWhole,
  timeOf,
} from './der.ts';
import {
  KEY_USAGE_BIT,
  extendedKeyUsagesOf,
  hexOf,
  keyUsageHas,
  ocspUrlOf,
  policiesOf,
  readCertificateDer,
} from './certificate-der.ts';
import { normaliseSerialHex } from './trustStore.ts';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('the strict DER reader', () => {
  it('reads short and long lengths and the children of a SEQUENCE', () => {
    const long = encodeElement(TAG.octetString, new Uint8Array(300));
    expect([...long.subarray(0, 4)]).toEqual([0x04, 0x82, 0x01, 0x2c]);
    const sequence = encodeElement(TAG.sequence, encodeElement(TAG.boolean, bytes(0xff)), long);
    const children = childrenOf(readWhole(sequence));
    expect(children.map((c) => c.tag)).toEqual([TAG.boolean, TAG.octetString]);
    expect(booleanOf(children[0]!)).toBe(true);
    expect(children[1]!.end - children[1]!.contentStart).toBe(300);
  });

  it.each<[string, Uint8Array]>([
    ['an indefinite length (BER)', bytes(0x30, 0x80, 0x00, 0x00)],
    ['a long-form length that fits the short form', bytes(0x04, 0x81, 0x01, 0x00)],
    ['a length with a leading zero octet', bytes(0x04, 0x82, 0x00, 0x81, ...new Array(0x81).fill(0))],
    ['a length longer than four octets', bytes(0x04, 0x85, 1, 0, 0, 0, 0)],
    ['content running past the bytes', bytes(0x04, 0x05, 0x01)],
    ['a multi-byte tag', bytes(0x1f, 0x81, 0x01, 0x00)],
    ['a header cut short', bytes(0x30)],
    ['bytes after the one element', bytes(0x05, 0x00, 0x00)],
  ])('refuses %s', (_name, input) => {
    expect(() => readWhole(input)).toThrow(DerError);
  });

  it('keeps a child inside its parent: a child claiming more than the parent holds is refused', () => {
    const lying = bytes(0x30, 0x03, 0x04, 0x05, 0x00, 0x00, 0x00, 0x00);
    expect(() => childrenOf(readElement(lying))).toThrow(DerError);
  });

  it('round-trips object identifiers, large arcs included, and refuses padded arcs', () => {
    for (const oid of ['1.2.392.200149.8.5.1.3.30', '2.5.29.32.0', '1.3.6.1.5.5.7.48.1.2', '2.999.1']) {
      expect(oidOf(readWhole(encodeOid(oid)))).toBe(oid);
    }
    expect(() => oidOf(readWhole(bytes(0x06, 0x02, 0x80, 0x01)))).toThrow(DerError);
    expect(() => oidOf(readWhole(bytes(0x06, 0x01, 0x81)))).toThrow(DerError);
  });

  it('refuses integers and booleans not in their DER form', () => {
    expect([...integerBytesOf(readWhole(bytes(0x02, 0x02, 0x00, 0x80)))]).toEqual([0x00, 0x80]);
    expect(() => integerBytesOf(readWhole(bytes(0x02, 0x02, 0x00, 0x7f)))).toThrow(DerError);
    expect(() => integerBytesOf(readWhole(bytes(0x02, 0x00)))).toThrow(DerError);
    expect(() => booleanOf(readWhole(bytes(0x01, 0x01, 0x01)))).toThrow(DerError);
  });

  it('reads UTCTime and GeneralizedTime in DER form only', () => {
    const time = (tag: number, text: string) => readWhole(encodeElement(tag, Buffer.from(text, 'latin1')));
    expect(timeOf(time(TAG.utcTime, '491231235959Z')).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(timeOf(time(TAG.utcTime, '500101000000Z')).toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(timeOf(time(TAG.generalizedTime, '20261202031500.25Z')).toISOString()).toBe(
      '2026-12-02T03:15:00.250Z',
    );
    for (const text of [
      '20261202031500',
      '20261202031500.50Z',
      '20261302031500Z',
      '20260231000000Z',
      '202612020315Z',
    ])
      expect(() => timeOf(time(TAG.generalizedTime, text))).toThrow(DerError);
  });
});

describe('a certificate read with the DER reader', () => {
  let ca: TestJpkiCa;
  let der: Uint8Array;
  beforeAll(async () => {
    ca = await sharedTestCa();
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    der = await issueAuthCertificate(ca, {
      publicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
      serialNumber: '00a01f',
      subjectCn: opaqueSubjectId(),
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2029-01-01T00:00:00Z'),
    });
  });

  it('says what OpenSSL says of serial, validity and names', () => {
    const facts = readCertificateDer(der);
    const node = new X509Certificate(der);
    expect(normaliseSerialHex(hexOf(facts.serialNumber))).toBe(normaliseSerialHex(node.serialNumber));
    expect(hexOf(facts.serialNumber)).toBe('00a01f'); // the INTEGER's content: a leading zero keeps it positive
    expect(facts.notBefore.getTime()).toBe(new Date(node.validFrom).getTime());
    expect(facts.notAfter.getTime()).toBe(new Date(node.validTo).getTime());
    const issuer = readCertificateDer(new Uint8Array(ca.auth.certificate.rawData));
    expect(Buffer.from(facts.issuerName).equals(Buffer.from(issuer.subjectName))).toBe(true);
    expect(facts.signatureAlgorithmOid).toBe('1.2.840.113549.1.1.11');
  });

  it('reads the 利用者証明用 extensions: key usage, clientAuth, the policy', () => {
    const facts = readCertificateDer(der);
    const value = (oid: string) => facts.extensions.find((e) => e.oid === oid)!.value;
    expect(keyUsageHas(value('2.5.29.15'), KEY_USAGE_BIT.digitalSignature)).toBe(true);
    expect(keyUsageHas(value('2.5.29.15'), KEY_USAGE_BIT.keyCertSign)).toBe(false);
    expect(extendedKeyUsagesOf(value('2.5.29.37'))).toContain('1.3.6.1.5.5.7.3.2');
    expect(policiesOf(value('2.5.29.32'))).toContain('1.2.392.200149.8.5.1.3.30');
    const aia = facts.extensions.find((e) => e.oid === '1.3.6.1.5.5.7.1.1');
    if (aia) expect(ocspUrlOf(aia.value)).toMatch(/^https?:\/\//);
  });

  it('refuses the certificate cut short or with a byte after it', () => {
    expect(() => readCertificateDer(der.subarray(0, der.length - 1))).toThrow(DerError);
    expect(() => readCertificateDer(new Uint8Array([...der, 0]))).toThrow(DerError);
  });
});
