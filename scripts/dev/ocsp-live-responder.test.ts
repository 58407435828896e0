import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrlReason } from '../../native/test-pki/crl.ts';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import { TestOcspResponder } from '../../native/test-pki/ocsp-responder.ts';
import {
  certificateDer,
  certificatePem,
  issueAuthCertificate,
  opaqueSubjectId,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';
import * as x509 from '../../native/test-pki/x509.ts';
import {
  buildOcspRequest,
  DEFAULT_OCSP_TIME_POLICY,
  httpOcspTransport,
  queryOcsp,
  type OcspOutcome,
} from '../../server/auth/ocsp.ts';
import {
  childrenOf,
  contentOf,
  encodedOf,
  explicitInner,
  readWhole,
  type DerElement,
} from '../../server/auth/der.ts';
import { startLiveOcspResponder, type LiveOcspResponder } from './ocsp-live-responder.ts';

/** One OCSP exchange as the centre makes it, with the request and the answer it saw. */
interface Exchange {
  outcome: OcspOutcome;
  request: Uint8Array;
  answer: Uint8Array;
}

let ca: TestJpkiCa;
let responder: LiveOcspResponder;
let clock = new Date('2026-12-02T17:14:05.120Z');
/** The general (pkijs) test responder, same CA, same clock, same revocations: the reference. */
let reference: TestOcspResponder;
const serials = { good: '00ab12', revoked: 'c0ffee01', revokedWithReason: '7d' } as const;
const certificates = new Map<string, Uint8Array>();

async function authCertificate(serialNumber: string): Promise<Uint8Array> {
  return issueAuthCertificate(ca, {
    publicKey: ca.auth.publicKey,
    serialNumber,
    subjectCn: opaqueSubjectId(),
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2034-01-01T00:00:00Z'),
  });
}

async function ask(serial: keyof typeof serials): Promise<Exchange> {
  let request: Uint8Array = new Uint8Array();
  let answer: Uint8Array = new Uint8Array();
  const outcome = await queryOcsp({
    certificateDer: certificates.get(serial) as Uint8Array,
    issuerDer: certificateDer(ca.auth),
    url: responder.ocspUrl,
    now: clock,
    timeoutMs: 5_000,
    time: { ...DEFAULT_OCSP_TIME_POLICY, nonce: 'required' },
    transport: async (url, body, signal) => {
      request = body;
      const answered = await httpOcspTransport(url, body, signal);
      answer = answered.body;
      return answered;
    },
  });
  return { outcome, request, answer };
}

/** The BasicOCSPResponse's four fields: tbsResponseData, signatureAlgorithm, signature, certs. */
function basicFields(ocspResponse: Uint8Array): Buffer[] {
  const [status, wrapper] = childrenOf(readWhole(ocspResponse));
  expect([...contentOf(status as DerElement)]).toEqual([0]);
  const [, basic] = childrenOf(explicitInner(wrapper as DerElement));
  return childrenOf(readWhole(contentOf(basic as DerElement))).map((e) => Buffer.from(encodedOf(e)));
}

/**
 * Ours and the reference's answer to one request: the same signed data and, RSASSA-PKCS1-v1_5
 * being deterministic, the same signature and certificate. The signature algorithm is the same
 * OID; ours carries the NULL parameters RFC 4055 asks for, the reference leaves them out.
 */
function expectSameAnswer(ours: Uint8Array, theirs: Uint8Array): void {
  const [tbs, algorithm, signature, certs] = basicFields(ours);
  const [refTbs, refAlgorithm, refSignature, refCerts] = basicFields(theirs);
  expect(tbs?.toString('hex')).toBe(refTbs?.toString('hex'));
  expect(signature?.toString('hex')).toBe(refSignature?.toString('hex'));
  expect(certs?.toString('hex')).toBe(refCerts?.toString('hex'));
  expect(algorithm?.toString('hex')).toBe('300d06092a864886f70d01010b0500');
  expect(refAlgorithm?.toString('hex')).toBe('300b06092a864886f70d01010b');
}

async function post(body: Uint8Array): Promise<Uint8Array> {
  const res = await fetch(responder.ocspUrl, { method: 'POST', body: Buffer.from(body) });
  return new Uint8Array(await res.arrayBuffer());
}

beforeAll(async () => {
  ca = await sharedTestCa();
  for (const name of Object.keys(serials) as (keyof typeof serials)[]) {
    certificates.set(name, await authCertificate(serials[name]));
  }
  const revokedAt = new Date('2026-11-30T09:00:00.500Z');
  responder = await startLiveOcspResponder({ authorities: [ca.auth], now: () => clock });
  reference = new TestOcspResponder({ issuers: [{ authority: ca.auth }], now: () => clock });
  responder.revoke(ca.auth, serials.revoked, undefined, revokedAt);
  reference.revoke(ca.auth, serials.revoked, undefined, revokedAt);
  responder.revoke(ca.auth, serials.revokedWithReason, CrlReason.keyCompromise, revokedAt);
  reference.revoke(ca.auth, serials.revokedWithReason, CrlReason.keyCompromise, revokedAt);
});

afterAll(async () => {
  await responder.close();
});

describe('the dev world live OCSP responder', () => {
  it('answers good, revoked, and revoked with a reason, as the centre reads them', async () => {
    expect((await ask('good')).outcome).toEqual({ kind: 'good' });
    expect((await ask('revoked')).outcome).toEqual({
      kind: 'revoked',
      revokedAt: new Date('2026-11-30T09:00:00.500Z'),
    });
    expect((await ask('revokedWithReason')).outcome).toEqual({
      kind: 'revoked',
      reason: CrlReason.keyCompromise,
      revokedAt: new Date('2026-11-30T09:00:00.500Z'),
    });
  });

  it('signs the same data with the same signature as the general test responder, for the same request', async () => {
    // Every status once, and the times with no, two and three digits of milliseconds.
    const cases = [
      ['2026-12-02T17:14:05.120Z', 'good'],
      ['2026-12-02T17:14:05.000Z', 'revoked'],
      ['2026-12-02T17:14:05.005Z', 'revokedWithReason'],
    ] as const;
    for (const [time, serial] of cases) {
      clock = new Date(time);
      const { request, answer } = await ask(serial);
      expectSameAnswer(answer, await reference.answer(request));
    }
  });

  it('signs every answer afresh over its own request nonce', async () => {
    const first = await ask('good');
    const second = await ask('good');
    expect(first.outcome).toEqual({ kind: 'good' });
    expect(second.outcome).toEqual({ kind: 'good' });
    expect(Buffer.from(first.request).equals(Buffer.from(second.request))).toBe(false);
    expect(Buffer.from(first.answer).equals(Buffer.from(second.answer))).toBe(false);
    expectSameAnswer(second.answer, await reference.answer(second.request));
  });

  it('answers malformedRequest to bytes that are not a request, unauthorized for a CA it does not serve', async () => {
    const garbage = new Uint8Array(Buffer.from('not an OCSP request'));
    expect(Buffer.from(await post(garbage))).toEqual(Buffer.from(await reference.answer(garbage)));
    expect([...(await post(garbage))]).toEqual([0x30, 0x03, 0x0a, 0x01, 0x01]);
    const otherCa = buildOcspRequest(
      Uint8Array.of(0x01),
      { name: new Uint8Array(randomBytes(32)), key: new Uint8Array(randomBytes(32)) },
      new Uint8Array(randomBytes(32)),
    );
    expect([...(await post(otherCa))]).toEqual([0x30, 0x03, 0x0a, 0x01, 0x06]);
  });

  it('serves a CRL of the same revocations, and nothing for a CA it does not serve', async () => {
    const fingerprint = createHash('sha256').update(certificateDer(ca.auth)).digest('hex');
    const res = await fetch(`${responder.ocspUrl.replace(/\/ocsp$/, '/crl')}/${fingerprint}.crl`);
    expect(res.status).toBe(200);
    const crl = new x509.X509Crl(new Uint8Array(await res.arrayBuffer()));
    expect(await crl.verify({ publicKey: ca.auth.publicKey })).toBe(true);
    expect(crl.entries.map((e) => e.serialNumber.replace(/^0+/, '')).sort()).toEqual(
      [serials.revoked, serials.revokedWithReason].sort(),
    );
    expect(
      (await fetch(`${responder.ocspUrl.replace(/\/ocsp$/, '/crl')}/${'0'.repeat(64)}.crl`)).status,
    ).toBe(404);
  });

  it('gives answers OpenSSL verifies against the CA, with the status and the nonce of the request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ocsp-live-'));
    try {
      const { request, answer } = await ask('revokedWithReason');
      await writeFile(join(dir, 'ca.pem'), certificatePem(ca.auth));
      await writeFile(join(dir, 'request.der'), request);
      await writeFile(join(dir, 'answer.der'), answer);
      const openssl = (requestFile: string): { stdout: string; stderr: string } =>
        spawnSync(
          'openssl',
          [
            'ocsp',
            ...['-reqin', requestFile, '-respin', join(dir, 'answer.der'), '-resp_text'],
            ...['-CAfile', join(dir, 'ca.pem'), '-issuer', join(dir, 'ca.pem')],
            ...['-attime', String(Math.floor(clock.getTime() / 1000))],
          ],
          { encoding: 'utf8' },
        );
      const checked = openssl(join(dir, 'request.der'));
      expect(checked.stderr).toContain('Response verify OK');
      expect(checked.stdout).toContain('Cert Status: revoked');
      expect(checked.stdout).toContain('Revocation Reason: keyCompromise');
      expect(checked.stderr + checked.stdout).not.toMatch(/nonce verify error|no nonce/i);
      // OpenSSL does compare the nonce: the same answer to another request fails.
      await writeFile(join(dir, 'other-request.der'), (await ask('revokedWithReason')).request);
      expect(openssl(join(dir, 'other-request.der')).stderr + '').toMatch(/nonce verify error/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
