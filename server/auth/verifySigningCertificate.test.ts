/**
 * The 署名用 certificate verifier (the 4-digit PIN's reset on the phone): a card's signing
 * certificate under the trusted signing CA passes with its holder facts; one revoked on the
 * register, one under another CA, an auth certificate and an expired one are refused.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sharedTestCa, testCard, unknownTestCa } from '../../native/test-pki/fixtures.ts';
import { certificateDer } from '../../native/test-pki/test-jpki-ca.ts';
import { verifySigningCertificate } from './verifySigningCertificate.ts';
import { normaliseSerialHex } from './trustStore.ts';

const sha = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');

async function deps(revoked: Array<[string, string]> = [], now = new Date('2026-06-01T00:00:00Z')) {
  const ca = await sharedTestCa();
  return {
    signingCaCertificates: [certificateDer(ca.signing)],
    repository: {
      isCertificateRevoked: async (caFingerprint: string, serialHex: string) =>
        revoked.some(([c, s]) => c === caFingerprint && s === serialHex),
    },
    now: () => now,
  };
}

describe('verifySigningCertificate', () => {
  it('passes a card’s 署名用 certificate and reads its holder facts', async () => {
    const card = await testCard();
    const result = await verifySigningCertificate(await deps(), card.signingCertificate, {
      transactionId: 't',
    });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.value.caFingerprint).toBe(sha(card.signingCaCertificate));
    expect(result.value.holder.birthDate).toMatch(/^[0-9]{8}$/);
    expect(['1', '2', '9', '0']).toContain(result.value.holder.sex);
    expect(result.value.holder.name.length).toBeGreaterThan(0);
  });

  it('refuses one revoked on the register', async () => {
    const card = await testCard();
    const good = await verifySigningCertificate(await deps(), card.signingCertificate, {
      transactionId: 't',
    });
    if (!good.ok) throw new Error('setup');
    const revoked = await deps([[good.value.caFingerprint, normaliseSerialHex(good.value.serialNumberHex)]]);
    const result = await verifySigningCertificate(revoked, card.signingCertificate, { transactionId: 't' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'signing-certificate-revoked' } });
  });

  it('refuses one under another CA', async () => {
    const card = await testCard({ ca: await unknownTestCa() });
    const result = await verifySigningCertificate(await deps(), card.signingCertificate, {
      transactionId: 't',
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'signing-certificate-untrusted' } });
  });

  it('refuses the 利用者証明用 certificate in its place', async () => {
    const ca = await sharedTestCa();
    const card = await testCard();
    const withAuthCa = { ...(await deps()), signingCaCertificates: [certificateDer(ca.auth)] };
    const result = await verifySigningCertificate(withAuthCa, card.authCertificate, { transactionId: 't' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'signing-certificate-invalid' } });
  });

  it('refuses it outside its validity', async () => {
    const card = await testCard();
    const later = await deps([], new Date('2035-01-01T00:00:00Z'));
    const result = await verifySigningCertificate(later, card.signingCertificate, { transactionId: 't' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'signing-certificate-expired' } });
  });
});
