/**
 * Ready-made test material for tests across the project: one test CA generation and
 * personalised cards, generated once per process (RSA key generation is the slow part), and
 * cards whose certificates are wrong in each way the centre must refuse.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { createTestJpkiCa, personaliseCard, WRONG_POLICY_OID } from './test-jpki-ca.ts';
import type { PersonaliseOptions, TestJpkiCa } from './test-jpki-ca.ts';
import type { CardPersonalisation } from '../virtual-card/personalisation.ts';

/** The test centre's PIN-reset master key (test data: a real centre keeps its key in an HSM). */
export const TEST_PIN_RESET_MASTER_KEY: Uint8Array = Uint8Array.from(
  createHash('sha256').update('konbini-kofu test centre PIN-reset master key').digest(),
);

const SHARED_CA_VALIDITY = {
  generation: 2023,
  notBefore: new Date('2023-01-01T00:00:00Z'),
  notAfter: new Date('2043-01-01T00:00:00Z'),
} as const;

let caPromise: Promise<TestJpkiCa> | null = null;
let unknownCaPromise: Promise<TestJpkiCa> | null = null;

/** The shared test CA (generation 2023, valid 2023-01-01 … 2043-01-01). */
export function sharedTestCa(): Promise<TestJpkiCa> {
  caPromise ??= createTestJpkiCa(SHARED_CA_VALIDITY);
  return caPromise;
}

/** A CA nobody trusts: the shared CA's DNs and validity, another key. */
export function unknownTestCa(): Promise<TestJpkiCa> {
  unknownCaPromise ??= createTestJpkiCa(SHARED_CA_VALIDITY);
  return unknownCaPromise;
}

let serial = 0x1000;

/** A freshly personalised card under the shared CA; auth PIN `1234`, signing PIN `ABC123` unless given. */
export async function testCard(
  overrides: Partial<Omit<PersonaliseOptions, 'ca'>> & { ca?: TestJpkiCa } = {},
): Promise<CardPersonalisation> {
  const ca = overrides.ca ?? (await sharedTestCa());
  serial += 1;
  return personaliseCard({
    holderId: overrides.holderId ?? `holder-${serial.toString(16)}`,
    authPin: '1234',
    signingPin: 'ABC123',
    serialNumber: serial,
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2034-01-01T00:00:00Z'),
    pinResetMasterKey: TEST_PIN_RESET_MASTER_KEY,
    ...overrides,
    ca,
  });
}

export type CertificateProblem = 'expired' | 'not-yet-valid' | 'revoked' | 'wrong-policy' | 'unknown-ca';
export const CERTIFICATE_PROBLEMS: readonly CertificateProblem[] = [
  'expired',
  'not-yet-valid',
  'revoked',
  'wrong-policy',
  'unknown-ca',
];

export interface ProblemCard {
  problem: CertificateProblem;
  card: CardPersonalisation;
  /** The auth certificate's serial (hex, as issued): what a CRL or OCSP responder lists for `revoked`. */
  serialNumberHex: string;
}

/**
 * A card whose 利用者証明用 certificate the centre must refuse. `revoked` is an ordinary card
 * under the shared CA: it is revoked by publishing `serialNumberHex` (CRL / OCSP).
 */
export async function problemCard(problem: CertificateProblem, now: Date = new Date()): Promise<ProblemCard> {
  const day = 86_400_000;
  const at = (ms: number): Date => new Date(now.getTime() + ms);
  const options: Partial<Omit<PersonaliseOptions, 'ca'>> & { ca?: TestJpkiCa } = {
    holderId: `problem-${problem}`,
  };
  switch (problem) {
    case 'expired':
      Object.assign(options, { notBefore: at(-3 * 365 * day), notAfter: at(-day) });
      break;
    case 'not-yet-valid':
      Object.assign(options, { notBefore: at(30 * day), notAfter: at(5 * 365 * day) });
      break;
    case 'wrong-policy':
      options.authPolicyOid = WRONG_POLICY_OID;
      break;
    case 'unknown-ca':
      options.ca = await unknownTestCa();
      break;
    case 'revoked':
      break;
  }
  const card = await testCard(options);
  const serialNumberHex = new X509Certificate(Buffer.from(card.authCertificate)).serialNumber;
  return { problem, card, serialNumberHex };
}
