/**
 * The centre's strict DER reading (server/auth/der.ts, certificate-der.ts, the OCSP answer in
 * ocsp.ts) under hostile bytes: any input is read or refused with a DerError, never another throw;
 * an OCSP answer is always a typed outcome; and a genuine signed answer changed in any byte never
 * says anything but what the responder signed.
 */
import fc from 'fast-check';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import { createOcspResponderIdentity, TestOcspResponder } from '../../native/test-pki/ocsp-responder.ts';
import {
  issueAuthCertificate,
  opaqueSubjectId,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';
import { readCertificateDer } from '../../server/auth/certificate-der.ts';
import { DerError } from '../../server/auth/der.ts';
import {
  DEFAULT_OCSP_TIME_POLICY,
  buildOcspRequest,
  checkOcspResponse,
  type OcspOutcome,
} from '../../server/auth/ocsp.ts';
import { bytes, fuzzParameters } from './settings.ts';

const NOW = new Date('2026-11-25T03:00:00Z');
let ca: TestJpkiCa;
let certificateDer: Uint8Array;
let issuerDer: Uint8Array;
let goodAnswer: { der: Uint8Array; nonce: Uint8Array };
let revokedAnswer: { der: Uint8Array; nonce: Uint8Array };

/** A genuine answer from the test responder for the certificate, with a fresh nonce. */
async function answer(responder: TestOcspResponder): Promise<{ der: Uint8Array; nonce: Uint8Array }> {
  const issuer = readCertificateDer(issuerDer);
  const nonce = new Uint8Array(randomBytes(32));
  const request = buildOcspRequest(
    readCertificateDer(certificateDer).serialNumber,
    {
      name: createHash('sha256').update(issuer.subjectName).digest(),
      key: createHash('sha256').update(issuer.subjectPublicKey).digest(),
    },
    nonce,
  );
  return { der: await responder.answer(request), nonce };
}

const check = (der: Uint8Array, nonce: Uint8Array): OcspOutcome =>
  checkOcspResponse(
    der,
    { serialNumber: readCertificateDer(certificateDer).serialNumber, issuerDer, nonce },
    NOW,
    DEFAULT_OCSP_TIME_POLICY,
  );

beforeAll(async () => {
  ca = await sharedTestCa();
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  certificateDer = await issueAuthCertificate(ca, {
    publicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    serialNumber: '0b07',
    subjectCn: opaqueSubjectId(),
    notBefore: new Date('2024-01-01'),
    notAfter: new Date('2029-01-01'),
  });
  issuerDer = new Uint8Array(ca.auth.certificate.rawData);
  const responder = new TestOcspResponder({
    issuers: [{ authority: ca.auth, responder: await createOcspResponderIdentity(ca.auth) }],
    now: () => NOW,
  });
  goodAnswer = await answer(responder);
  responder.setStatus(ca.auth, 'b07', { status: 'revoked', revokedAt: new Date('2026-01-01'), reason: 1 });
  revokedAnswer = await answer(responder);
});

/** The bytes with up to three bytes replaced, inserted or deleted. */
function mutated(original: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('replace', 'insert', 'delete'),
    value: fc.integer({ min: 0, max: 255 }),
  });
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const out = [...original];
    for (const e of edits) {
      const at = e.at % (out.length + 1);
      if (e.kind === 'insert') out.splice(at, 0, e.value);
      else if (at < out.length && e.kind === 'delete') out.splice(at, 1);
      else if (at < out.length) out[at] = out[at] === e.value ? (e.value + 1) % 256 : e.value;
    }
    return new Uint8Array(out);
  });
}

describe("the centre's DER reading under hostile bytes", () => {
  it('reads any bytes as a certificate or refuses them with a DerError, never another throw', () => {
    fc.assert(
      fc.property(fc.oneof(bytes(600), mutated(certificateDer)), (input) => {
        try {
          readCertificateDer(input);
        } catch (error) {
          expect(error).toBeInstanceOf(DerError);
        }
      }),
      fuzzParameters(),
    );
  });

  it('turns any bytes into a typed OCSP outcome, never good', () => {
    fc.assert(
      fc.property(bytes(600), (input) => {
        const outcome = check(input, goodAnswer.nonce);
        expect(outcome.kind).toBe('problem');
      }),
      fuzzParameters(),
    );
  });

  it('never reads a changed genuine answer as other than what was signed', () => {
    expect(check(goodAnswer.der, goodAnswer.nonce)).toEqual({ kind: 'good' });
    expect(check(revokedAnswer.der, revokedAnswer.nonce)).toMatchObject({ kind: 'revoked', reason: 1 });
    fc.assert(
      fc.property(mutated(goodAnswer.der), (input) => {
        expect(['good', 'problem']).toContain(check(input, goodAnswer.nonce).kind);
      }),
      fuzzParameters(),
    );
    fc.assert(
      fc.property(mutated(revokedAnswer.der), (input) => {
        const outcome = check(input, revokedAnswer.nonce);
        expect(outcome.kind).not.toBe('good');
        if (outcome.kind === 'revoked') expect(outcome.reason).toBe(1);
      }),
      fuzzParameters(),
    );
  });
});
