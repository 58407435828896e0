import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import {
  issueAuthCertificate,
  opaqueSubjectId,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import { createCrl, CrlReason } from '../../native/test-pki/crl.ts';
import {
  createOcspResponderIdentity,
  startOcspResponder,
  type OcspFault,
  type RunningOcspResponder,
} from '../../native/test-pki/ocsp-responder.ts';
import {
  RevocationChecker,
  type RevocationDecision,
  type RevocationOptions,
  type RevocationProblem,
  type RevocationSubject,
  type RevocationVerdict,
} from './revocation.ts';
import { checkCrl } from './crl.ts';
import { sha256Hex } from './trustStore.ts';
import { readCertificateDer } from './certificate-der.ts';

const NOW = new Date('2026-11-25T03:00:00Z');
/** A live responder's policy: nonce echoed, answers at most 2 minutes old, no CRL unless a test adds one. */
const LIVE = { nonce: 'required', maxThisUpdateAgeMs: 2 * 60_000, crlFallback: 'none' } as const;
let clock = NOW;
let ca: TestJpkiCa;
let server: RunningOcspResponder;
let subject: RevocationSubject;

beforeAll(async () => {
  ca = await sharedTestCa();
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificateDer = await issueAuthCertificate(ca, {
    publicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    serialNumber: '0a01',
    subjectCn: opaqueSubjectId(),
    notBefore: new Date('2024-01-01'),
    notAfter: new Date('2029-01-01'),
  });
  const issuerDer = new Uint8Array(ca.auth.certificate.rawData);
  subject = { certificateDer, issuerDer, issuerFingerprint: sha256Hex(issuerDer), serialNumberHex: 'a01' };
  server = await startOcspResponder({
    issuers: [{ authority: ca.auth, responder: await createOcspResponderIdentity(ca.auth) }],
    now: () => clock,
    slowMs: 2_000,
  });
});
afterAll(async () => server.close());
beforeEach(async () => {
  clock = NOW;
  server.responder.fault = 'none';
  server.responder.setStatus(ca.auth, 'a01', { status: 'good' });
  server.responder.setResponder(ca.auth, await createOcspResponderIdentity(ca.auth));
});

const checker = (withCrl = false) =>
  new RevocationChecker({
    ...LIVE,
    ocspUrl: server.ocspUrl,
    timeoutMs: 1_500,
    allowedSkewMs: 10_000,
    crlFallback: withCrl ? { crlBaseUrl: server.crlBaseUrl } : 'none',
  });

describe('OCSP', () => {
  it('says good for a good certificate, and revoked (with the reason) for a revoked one', async () => {
    expect(await checker().check(subject, clock)).toEqual({ status: 'good', source: 'ocsp' });
    server.responder.revoke(ca.auth, 'a01', CrlReason.affiliationChanged);
    expect(await checker().check(subject, clock)).toEqual({
      status: 'revoked',
      source: 'ocsp',
      reason: CrlReason.affiliationChanged,
    });
  });

  it('accepts an answer signed by the CA itself and one without nextUpdate', async () => {
    for (const fault of ['ca-signed', 'no-next-update'] as const) {
      server.responder.fault = fault;
      expect(await checker().check(subject, clock)).toEqual({ status: 'good', source: 'ocsp' });
    }
  });

  it.each<[OcspFault, RevocationProblem]>([
    ['omit-nonce', 'nonce-missing'],
    ['wrong-nonce', 'nonce-mismatch'],
    ['bad-signature', 'signature-invalid'],
    ['sha1-signature', 'signature-algorithm-not-allowed'],
    ['stale', 'stale'],
    ['future', 'this-update-in-future'],
    ['next-update-past', 'next-update-passed'],
    ['wrong-serial', 'certificate-id-mismatch'],
    ['wrong-issuer', 'certificate-id-mismatch'],
    ['no-certs', 'responder-not-found'],
    ['unauthorized', 'response-unauthorized'],
    ['garbage', 'response-malformed'],
  ])('refuses (no CRL fallback) when the responder answers with fault %s → %s', async (fault, problem) => {
    server.responder.fault = fault;
    const before = server.requests.crl;
    expect(await checker(true).check(subject, clock)).toEqual({ status: 'unverified', problem });
    expect(server.requests.crl).toBe(before);
  });

  it('refuses an unknown status', async () => {
    server.responder.setStatus(ca.auth, 'a01', { status: 'unknown' });
    expect(await checker(true).check(subject, clock)).toEqual({
      status: 'unverified',
      problem: 'status-unknown',
    });
  });

  it('refuses a responder without id-kp-OCSPSigning, one expired, and one from another CA', async () => {
    server.responder.setResponder(
      ca.auth,
      await createOcspResponderIdentity(ca.auth, { ocspSigningEku: false }),
    );
    expect(await checker().check(subject, clock)).toEqual({
      status: 'unverified',
      problem: 'responder-not-ocsp-signer',
    });
    server.responder.setResponder(
      ca.auth,
      await createOcspResponderIdentity(ca.auth, {
        notBefore: new Date('2020-01-01'),
        notAfter: new Date('2021-01-01'),
      }),
    );
    expect(await checker().check(subject, clock)).toEqual({
      status: 'unverified',
      problem: 'responder-not-valid-now',
    });
    const other = await import('../../native/test-pki/test-jpki-ca.ts').then((m) =>
      m.createTestJpkiCa({
        generation: 2023,
        notBefore: new Date('2023-01-01'),
        notAfter: new Date('2043-01-01'),
      }),
    );
    server.responder.setResponder(ca.auth, await createOcspResponderIdentity(other.auth));
    expect(await checker().check(subject, clock)).toEqual({
      status: 'unverified',
      problem: 'responder-not-issued-by-ca',
    });
  });

  it.each<[OcspFault, RevocationProblem]>([
    ['http-500', 'unavailable-http-status'],
    ['slow', 'unavailable-timeout'],
    ['try-later', 'unavailable-try-later'],
    ['internal-error', 'unavailable-internal-error'],
  ])('without a CRL, an unavailable responder (%s) is a refusal: %s', async (fault, problem) => {
    server.responder.fault = fault;
    expect(await checker(false).check(subject, clock)).toEqual({ status: 'unverified', problem });
  });

  it('refuses when no responder can be reached at all', async () => {
    const unreachable = new RevocationChecker({
      ...LIVE,
      ocspUrl: 'http://127.0.0.1:9/ocsp',
      timeoutMs: 500,
    });
    expect(await unreachable.check(subject, clock)).toEqual({
      status: 'unverified',
      problem: 'unavailable-network',
    });
    expect(await new RevocationChecker(LIVE).check(subject, clock)).toEqual({
      status: 'unverified',
      problem: 'no-ocsp-url',
    });
  });
});

describe('CRL fallback', () => {
  it.each<OcspFault>(['http-500', 'slow', 'try-later', 'internal-error'])(
    'decides when OCSP is unavailable (%s): good, then revoked',
    async (fault) => {
      server.responder.fault = fault;
      expect(await checker(true).check(subject, clock)).toEqual({ status: 'good', source: 'crl' });
      server.responder.revoke(ca.auth, 'a01', CrlReason.cessationOfOperation);
      expect(await checker(true).check(subject, clock)).toEqual({
        status: 'revoked',
        source: 'crl',
        reason: CrlReason.cessationOfOperation,
      });
    },
  );

  const crlOf = async (opts: { thisUpdate?: Date; nextUpdate?: Date; forged?: boolean }) =>
    createCrl(ca.auth, {
      thisUpdate: opts.thisUpdate ?? NOW,
      nextUpdate: opts.nextUpdate ?? new Date(NOW.getTime() + 3_600_000),
      entries: [],
      ...(opts.forged
        ? {
            signingKey: (
              (await webcrypto.subtle.generateKey(
                {
                  name: 'RSASSA-PKCS1-v1_5',
                  hash: 'SHA-256',
                  modulusLength: 2048,
                  publicExponent: new Uint8Array([1, 0, 1]),
                },
                false,
                ['sign', 'verify'],
              )) as CryptoKeyPair
            ).privateKey,
          }
        : {}),
    });

  it('refuses a CRL that is stale, from the future, forged, garbage or from another CA', async () => {
    const issuer = subject.issuerDer;
    const skew = 60_000;
    expect(await checkCrl(await crlOf({}), issuer, NOW, skew)).toMatchObject({ ok: true });
    expect(
      await checkCrl(
        await crlOf({ thisUpdate: new Date('2026-01-01'), nextUpdate: new Date('2026-02-01') }),
        issuer,
        NOW,
        skew,
      ),
    ).toEqual({ ok: false, problem: 'crl-stale' });
    expect(
      await checkCrl(await crlOf({ thisUpdate: new Date(NOW.getTime() + 3_600_000) }), issuer, NOW, skew),
    ).toEqual({
      ok: false,
      problem: 'crl-this-update-in-future',
    });
    expect(await checkCrl(await crlOf({ forged: true }), issuer, NOW, skew)).toEqual({
      ok: false,
      problem: 'crl-signature-invalid',
    });
    expect(await checkCrl(new Uint8Array([1, 2, 3]), issuer, NOW, skew)).toEqual({
      ok: false,
      problem: 'crl-malformed',
    });
    const terminalCa = await import('../../native/test-pki/test-jpki-ca.ts').then((m) =>
      m.createTestJpkiCa({
        generation: 2031,
        notBefore: new Date('2023-01-01'),
        notAfter: new Date('2043-01-01'),
      }),
    );
    const signingCrl = await createCrl(terminalCa.signing, {
      thisUpdate: NOW,
      nextUpdate: new Date(NOW.getTime() + 60_000),
      entries: [],
    });
    expect(await checkCrl(signingCrl, issuer, NOW, skew)).toEqual({ ok: false, problem: 'crl-wrong-issuer' });
  });

  it('refuses when both OCSP and the CRL are unavailable', async () => {
    server.responder.fault = 'http-500';
    const noCrl = new RevocationChecker({
      ...LIVE,
      ocspUrl: server.ocspUrl,
      crlFallback: { crlBaseUrl: 'http://127.0.0.1:9/crl' },
      timeoutMs: 500,
    });
    expect(await noCrl.check(subject, clock)).toEqual({ status: 'unverified', problem: 'crl-unavailable' });
  });
});

describe('the revocation policy, one combination at a time', () => {
  const HOUR_MS = 3_600_000;
  const policy = (overrides: Partial<RevocationOptions>) =>
    new RevocationChecker({
      ...LIVE,
      ocspUrl: server.ocspUrl,
      timeoutMs: 1_500,
      allowedSkewMs: 10_000,
      ...overrides,
    });

  it.each<[string, Partial<RevocationOptions>, OcspFault, RevocationVerdict]>([
    ['nonce required, answer without one', { nonce: 'required' }, 'omit-nonce', unverified('nonce-missing')],
    [
      'nonce optional, answer without one',
      { nonce: 'optional' },
      'omit-nonce',
      { status: 'good', source: 'ocsp' },
    ],
    ['nonce optional, wrong nonce', { nonce: 'optional' }, 'wrong-nonce', unverified('nonce-mismatch')],
    ['nonce optional, echoed', { nonce: 'optional' }, 'none', { status: 'good', source: 'ocsp' }],
    [
      'answer an hour old, max age 2 minutes',
      { maxThisUpdateAgeMs: 2 * 60_000 },
      'stale',
      unverified('stale'),
    ],
  ])('%s', async (_name, overrides, fault, verdict) => {
    server.responder.fault = fault;
    expect(await policy(overrides).check(subject, clock)).toEqual(verdict);
  });

  it('a pre-signed responder (no nonce, answers an hour old) passes only a policy made for it', async () => {
    const presigned = await startOcspResponder({
      issuers: [{ authority: ca.auth, responder: await createOcspResponderIdentity(ca.auth) }],
      now: () => NOW,
      validityMs: 4 * HOUR_MS,
    });
    try {
      presigned.responder.fault = 'omit-nonce';
      const anHourLater = new Date(NOW.getTime() + HOUR_MS);
      const check = (overrides: Partial<RevocationOptions>) =>
        policy({ ocspUrl: presigned.ocspUrl, ...overrides }).check(subject, anHourLater);
      expect(await check({ nonce: 'optional', maxThisUpdateAgeMs: 2 * HOUR_MS })).toEqual({
        status: 'good',
        source: 'ocsp',
      });
      expect(await check({ nonce: 'optional', maxThisUpdateAgeMs: 2 * 60_000 })).toEqual(unverified('stale'));
      expect(await check({ nonce: 'required', maxThisUpdateAgeMs: 2 * HOUR_MS })).toEqual(
        unverified('nonce-missing'),
      );
    } finally {
      await presigned.close();
    }
  });

  it('CRL fallback on: decides only when OCSP is unreachable', async () => {
    const withCrl = () => policy({ crlFallback: { crlBaseUrl: server.crlBaseUrl } });
    const crlFetches = () => server.requests.crl;
    // Unreachable OCSP: the CRL decides (good, then revoked).
    server.responder.fault = 'http-500';
    let before = crlFetches();
    expect(await withCrl().check(subject, clock)).toEqual({ status: 'good', source: 'crl' });
    expect(crlFetches()).toBe(before + 1);
    server.responder.revoke(ca.auth, 'a01', CrlReason.keyCompromise);
    expect(await withCrl().check(subject, clock)).toMatchObject({ status: 'revoked', source: 'crl' });
    // OCSP says revoked: the CRL is never asked, whatever it would say.
    server.responder.fault = 'none';
    before = crlFetches();
    expect(await withCrl().check(subject, clock)).toMatchObject({ status: 'revoked', source: 'ocsp' });
    // An answer that fails a check: no fallback either.
    server.responder.setStatus(ca.auth, 'a01', { status: 'good' });
    server.responder.fault = 'bad-signature';
    expect(await withCrl().check(subject, clock)).toEqual(unverified('signature-invalid'));
    expect(crlFetches()).toBe(before);
  });

  it('CRL fallback off: unreachable OCSP refuses', async () => {
    server.responder.fault = 'http-500';
    const before = server.requests.crl;
    expect(await policy({ crlFallback: 'none' }).check(subject, clock)).toEqual(
      unverified('unavailable-http-status'),
    );
    expect(server.requests.crl).toBe(before);
  });

  it('logs each decision with the transaction id and the policy, never the serial', async () => {
    const decisions: RevocationDecision[] = [];
    const checker = policy({
      crlFallback: { crlBaseUrl: server.crlBaseUrl },
      onDecision: (decision) => decisions.push(decision),
    });
    const transactionId = '7d5c1b7e-2f8a-4a8e-9a51-0d6a4c2b9e11';
    await checker.check(subject, clock, { transactionId });
    server.responder.fault = 'http-500';
    await checker.check(subject, clock, { transactionId });
    server.responder.fault = 'omit-nonce';
    await checker.check(subject, clock, { transactionId });
    expect(decisions).toEqual([
      { transactionId, outcome: 'good', source: 'ocsp', nonce: 'required', maxThisUpdateAgeMs: 120_000 },
      {
        transactionId,
        outcome: 'good',
        source: 'crl',
        ocspProblem: 'unavailable-http-status',
        nonce: 'required',
        maxThisUpdateAgeMs: 120_000,
      },
      {
        transactionId,
        outcome: 'unverified',
        source: 'none',
        ocspProblem: 'nonce-missing',
        nonce: 'required',
        maxThisUpdateAgeMs: 120_000,
      },
    ]);
    expect(JSON.stringify(decisions)).not.toMatch(/a01/i);
  });
});

// What the OCSP client takes from its caller instead of working it out again: the serial the
// verifier already read, and the CA's DER as the trust store holds it (the same array every call).
describe('OCSP inputs from the caller', () => {
  it('asks the responder about the serial the caller read, when it gives one', async () => {
    server.responder.revoke(ca.auth, 'a0f', CrlReason.keyCompromise);
    expect(await checker().check({ ...subject, serialNumber: Uint8Array.of(0x0a, 0x01) }, clock)).toEqual({
      status: 'good',
      source: 'ocsp',
    });
    expect(await checker().check({ ...subject, serialNumber: Uint8Array.of(0x0a, 0x0f) }, clock)).toEqual({
      status: 'revoked',
      source: 'ocsp',
      reason: CrlReason.keyCompromise,
    });
  });

  it('checks a delegated responder kept from earlier answers on every answer: validity at that answer’s time', async () => {
    server.responder.setResponder(
      ca.auth,
      await createOcspResponderIdentity(ca.auth, {
        notBefore: new Date('2026-01-01T00:00:00Z'),
        notAfter: new Date('2026-12-01T00:00:00Z'),
      }),
    );
    expect(await checker().check(subject, clock)).toEqual({ status: 'good', source: 'ocsp' });
    expect(await checker().check(subject, clock)).toEqual({ status: 'good', source: 'ocsp' });
    clock = new Date('2026-12-01T00:00:11Z');
    expect(await checker().check(subject, clock)).toEqual(unverified('responder-not-valid-now'));
  });

  it('stops the time-out once the responder has answered', async () => {
    let signal: AbortSignal | undefined;
    const answered = new RevocationChecker({
      ...LIVE,
      ocspUrl: server.ocspUrl,
      timeoutMs: 40,
      transport: async (_url, _body, given) => {
        signal = given;
        return { status: 500, body: new Uint8Array() };
      },
    });
    expect(await answered.check(subject, clock)).toEqual(unverified('unavailable-http-status'));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(signal?.aborted).toBe(false);
  });

  it('reads a CA array written to since its last check afresh, by its bytes', async () => {
    const issuerDer = new Uint8Array(subject.issuerDer);
    const own = { ...subject, issuerDer };
    expect(await checker().check(own, clock)).toEqual({ status: 'good', source: 'ocsp' });
    // One byte of the CA's public key changed in place: the CertID's key hash (and the key the
    // answer is checked with) must follow the new bytes, not what was worked out for the old ones.
    const key = readCertificateDer(issuerDer).subjectPublicKey;
    const at = Buffer.from(issuerDer).indexOf(Buffer.from(key)) + Math.floor(key.length / 2);
    issuerDer[at] = (issuerDer[at] as number) ^ 0xff;
    expect(await checker().check(own, clock)).toMatchObject({ status: 'unverified' });
    issuerDer[at] = (issuerDer[at] as number) ^ 0xff;
    expect(await checker().check(own, clock)).toEqual({ status: 'good', source: 'ocsp' });
  });
});

function unverified(problem: RevocationProblem): RevocationVerdict {
  return { status: 'unverified', problem };
}
