/**
 * Test-only helpers for auth tests: certificates that the test JPKI CA (native/test-pki) would
 * never issue (wrong usage, weak key, SHA-1), and the card's signature over the auth message.
 * Not imported by production code.
 */
import 'reflect-metadata';
import { sign, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { authenticationMessage } from '../../protocol/auth-message.ts';
import { JPKI_AUTH_POLICY_OID, type TestJpkiCa } from '../../native/test-pki/test-jpki-ca.ts';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

export type CertificateFlaw = 'no-client-auth' | 'wrong-policy' | 'no-digital-signature' | 'sha1';

/** An authentication certificate under `ca` with one flaw. */
export async function flawedAuthCertificate(
  ca: TestJpkiCa,
  opts: {
    publicKeySpki: Uint8Array;
    serialNumber: string;
    notBefore: Date;
    notAfter: Date;
    flaw: CertificateFlaw;
  },
): Promise<Uint8Array> {
  const hash = opts.flaw === 'sha1' ? 'SHA-1' : 'SHA-256';
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash };
  const caKey = await crypto.subtle.importKey(
    'pkcs8',
    await crypto.subtle.exportKey('pkcs8', ca.auth.privateKey),
    algorithm,
    false,
    ['sign'],
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: opts.serialNumber,
    subject: 'C=JP, CN=FLAWED0000000000000TEST',
    issuer: ca.auth.certificate.subjectName,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: Uint8Array.from(opts.publicKeySpki).buffer,
    signingKey: caKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.KeyUsagesExtension(
        opts.flaw === 'no-digital-signature'
          ? x509.KeyUsageFlags.keyEncipherment
          : x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        opts.flaw === 'no-client-auth'
          ? x509.ExtendedKeyUsage.emailProtection
          : x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.CertificatePolicyExtension(
        [opts.flaw === 'wrong-policy' ? '1.2.392.200149.8.5.1.1.10' : JPKI_AUTH_POLICY_OID],
        true,
      ),
    ],
  });
  return new Uint8Array(cert.rawData);
}

/** What the card does: RSASSA-PKCS1-v1_5 SHA-256 over SHA-256(terminalId) ‖ SHA-256(challenge), base64. */
export function cardSignature(privateKey: KeyObject, terminalId: string, challengeBase64: string): string {
  return sign(
    'sha256',
    authenticationMessage(terminalId, Buffer.from(challengeBase64, 'base64')),
    privateKey,
  ).toString('base64');
}
