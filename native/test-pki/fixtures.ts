/**
 * Ready-made test material for tests across the project: one test CA generation and
 * personalised cards, generated once per process (RSA key generation is the slow part).
 */
import { createTestJpkiCa, personaliseCard } from './test-jpki-ca.ts';
import type { PersonaliseOptions, TestJpkiCa } from './test-jpki-ca.ts';
import type { CardPersonalisation } from '../virtual-card/personalisation.ts';

let caPromise: Promise<TestJpkiCa> | null = null;

/** The shared test CA (generation 2023, valid 2023-01-01 … 2043-01-01). */
export function sharedTestCa(): Promise<TestJpkiCa> {
  caPromise ??= createTestJpkiCa({
    generation: 2023,
    notBefore: new Date('2023-01-01T00:00:00Z'),
    notAfter: new Date('2043-01-01T00:00:00Z'),
  });
  return caPromise;
}

let serial = 0x1000;

/** A freshly personalised card under the shared CA; auth PIN `1234`, signing PIN `ABC123` unless given. */
export async function testCard(
  overrides: Partial<Omit<PersonaliseOptions, 'ca'>> = {},
): Promise<CardPersonalisation> {
  const ca = await sharedTestCa();
  serial += 1;
  return personaliseCard({
    holderId: overrides.holderId ?? `holder-${serial.toString(16)}`,
    authPin: '1234',
    signingPin: 'ABC123',
    serialNumber: serial,
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2034-01-01T00:00:00Z'),
    ...overrides,
    ca,
  });
}
