/**
 * The plain-certificate reading (server/auth/plain-certificate.ts) against OpenSSL's, over card
 * certificates changed in a few bytes: whatever it reads without OpenSSL, OpenSSL reads too, as
 * the same one DER certificate, with the same key, the same facts, the same verdict on the CA's
 * signature and the same issuer name. That is what lets the centre skip OpenSSL's reading of a
 * plain certificate without any refusal changing.
 */
import fc from 'fast-check';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import { issueAuthCertificate, type TestJpkiCa } from '../../native/test-pki/test-jpki-ca.ts';
import { basicConstraintsCa, readCertificateDer } from '../../server/auth/certificate-der.ts';
import { readPlainCertificate } from '../../server/auth/plain-certificate.ts';
import { TrustStore } from '../../server/auth/trustStore.ts';
import { fuzzParameters } from './settings.ts';

const NOW = new Date('2026-11-25T03:00:00Z');
const SUBJECT_CN = 'PLAINCERTIFICATEFUZZ001';
let ca: TestJpkiCa;
let caNode: X509Certificate;
let certificateDer: Uint8Array;
/** Where the subject CN's string (tag, length, text) sits in the certificate. */
let cnAt: number;

beforeAll(async () => {
  ca = await sharedTestCa();
  caNode = new X509Certificate(Buffer.from(ca.auth.certificate.rawData));
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  certificateDer = await issueAuthCertificate(ca, {
    publicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    serialNumber: '0c01',
    subjectCn: SUBJECT_CN,
    notBefore: new Date('2024-01-01'),
    notAfter: new Date('2029-01-01'),
  });
  cnAt = Buffer.from(certificateDer).indexOf(Buffer.from(SUBJECT_CN, 'latin1')) - 2;
});

/** The bytes with up to three bytes replaced, inserted or deleted, all within [from, to). */
function mutated(original: () => Uint8Array, from = 0, to = Infinity): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('replace', 'insert', 'delete'),
    value: fc.integer({ min: 0, max: 255 }),
  });
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const out = [...original()];
    const end = Math.min(to, out.length);
    for (const e of edits) {
      const at = from + (e.at % (end - from));
      if (e.kind === 'insert') out.splice(at, 0, e.value);
      else if (e.kind === 'delete') out.splice(at, 1);
      else out[at] = out[at] === e.value ? (e.value + 1) % 256 : e.value;
    }
    return new Uint8Array(out);
  });
}

/** Pieces of UTF-8, valid and not: ASCII, kana, 4-byte, surrogates, overlong forms, stray bytes. */
const UTF8_PIECES = [
  [0x41],
  [0xe3, 0x81, 0x82],
  [0xf0, 0x9f, 0x98, 0x80],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xef, 0xbf, 0xbe],
  [0x80],
  [0xff],
  [0x00],
  [0x7f],
];

/** The certificate with its subject CN's text replaced (same length) by other text, as a UTF8String or PrintableString. */
const otherSubjectText: fc.Arbitrary<Uint8Array> = fc
  .record({
    tag: fc.constantFrom(0x0c, 0x13, 0x16, 0x1e),
    pieces: fc.array(fc.oneof(fc.constantFrom(...UTF8_PIECES), fc.array(fc.nat(255), { maxLength: 3 })), {
      maxLength: SUBJECT_CN.length,
    }),
  })
  .map(({ tag, pieces }) => {
    const out = Uint8Array.from(certificateDer);
    const text = [...pieces.flat(), ...Buffer.from(SUBJECT_CN, 'latin1')].slice(0, SUBJECT_CN.length);
    out[cnAt] = tag;
    out.set(text, cnAt + 2);
    return out;
  });

let plainSeen = 0;

/** Whatever is read as plain is read by OpenSSL as the same certificate. */
function agreesWithOpenSsl(input: Uint8Array): void {
  const plain = readPlainCertificate(input);
  if (!plain) return;
  plainSeen++;
  const node = new X509Certificate(Buffer.from(input));
  expect(node.raw.equals(Buffer.from(input))).toBe(true);
  expect(plain.certificate).toEqual(readCertificateDer(input));
  expect(plain.publicKey.equals(node.publicKey)).toBe(true);
  const basicConstraints = plain.certificate.extensions.find((e) => e.oid === '2.5.29.19');
  if (node.ca) expect(basicConstraints && basicConstraintsCa(basicConstraints.value)).toBe(true);
  const store = new TrustStore([new Uint8Array(ca.auth.certificate.rawData)]);
  expect(store.issuerOfPlain(plain, NOW)?.fingerprint).toBe(
    Buffer.from(plain.certificate.issuerName).equals(Buffer.from(readCertificateDer(caNode.raw).subjectName))
      ? store.issuerOf(node, NOW)?.fingerprint
      : undefined,
  );
  if (store.issuerOfPlain(plain, NOW)) expect(node.issuer).toBe(caNode.subject);
}

describe('the plain-certificate reading against OpenSSL', () => {
  it('reads the untouched certificate as plain, issued by the CA', () => {
    const plain = readPlainCertificate(certificateDer);
    expect(plain).toBeDefined();
    expect(
      new TrustStore([new Uint8Array(ca.auth.certificate.rawData)]).issuerOfPlain(plain!, NOW),
    ).toBeDefined();
  });

  it('agrees with OpenSSL on certificates changed anywhere', () => {
    plainSeen = 0;
    fc.assert(
      fc.property(
        mutated(() => certificateDer),
        agreesWithOpenSsl,
      ),
      fuzzParameters(),
    );
    expect(plainSeen).toBeGreaterThan(0);
  });

  it('agrees with OpenSSL on certificates changed before their extensions (names, times, key)', () => {
    plainSeen = 0;
    fc.assert(
      fc.property(
        mutated(() => certificateDer, 0, 560),
        agreesWithOpenSsl,
      ),
      fuzzParameters(),
    );
    expect(plainSeen).toBeGreaterThan(0);
  });

  it('agrees with OpenSSL on any subject text, valid UTF-8 or not', () => {
    plainSeen = 0;
    fc.assert(fc.property(otherSubjectText, agreesWithOpenSsl), fuzzParameters());
    expect(plainSeen).toBeGreaterThan(0);
  });
});
