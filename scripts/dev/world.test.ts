import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCardError } from '../../native/card-transport.ts';
import { JpkiClient } from '../../native/jpki/jpki-client.ts';
import { InProcessCardReader } from '../../native/virtual-card/in-process-reader.ts';
import { loadSeedWorld } from '../../server/seed/index.ts';
import { centreOptionsFor, ensureDevWorld, openVirtualCard, registryFor, type DevWorld } from './world.ts';

const residents = loadSeedWorld().residents;

/** The auth certificate as the card returns it over JPKI. */
async function authCertificate(card: Awaited<ReturnType<typeof openVirtualCard>>): Promise<X509Certificate> {
  if (!('transmit' in card)) throw new Error(card.kind);
  const reader = new InProcessCardReader();
  reader.insert(card);
  const session = await reader.connect();
  if (isCardError(session)) throw new Error(session.kind);
  try {
    const result = await new JpkiClient(session.transport).readAuthCertificate();
    if (result.kind !== 'certificate') throw new Error(result.kind);
    return new X509Certificate(Buffer.from(result.der));
  } finally {
    await session.close();
    await reader.close();
  }
}

describe('dev world', () => {
  let dir: string;
  let world: DevWorld;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dev-world-'));
    world = await ensureDevWorld(dir);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('builds without a card, registering every resident without making any card', async () => {
    expect(world.manifest.registry).toHaveLength(residents.length);
    expect(await readdir(join(dir, 'cards'))).toEqual([]);
    const options = centreOptionsFor(world);
    expect(options.certificateRegistry).toHaveLength(residents.length);
    expect(options.trustedCaCertificates).toHaveLength(2);
    const revoked = residents.filter((r) => r.card.condition === 'revoked').length;
    expect(options.revokedSerialNumbers).toHaveLength(revoked);
  });

  it('derives the registry from the resident index alone', () => {
    expect(registryFor(residents)).toEqual(registryFor(loadSeedWorld().residents));
    const serials = world.manifest.registry.map((e) => `${e.generation}/${e.serialNumberHex}`);
    expect(new Set(serials).size).toBe(serials.length);
    expect(world.manifest.registry[0]).toEqual({
      generation: 2023,
      serialNumberHex: '1000',
      holderId: 'H0001',
    });
  });

  it('reopens the same world without rebuilding it', async () => {
    const again = await ensureDevWorld(dir);
    expect(again.manifest.createdAt).toBe(world.manifest.createdAt);
  });

  it('makes a card on first use, with the registered serial from the registered CA, and keeps it', async () => {
    const index = residents.findIndex((r) => r.holderId === 'H0500');
    const entry = world.manifest.registry[index]!;
    const first = await authCertificate(await openVirtualCard(world, 'H0500'));
    expect(first.serialNumber.toLowerCase().replace(/^0+/, '')).toBe(entry.serialNumberHex);
    const ca = new X509Certificate(Buffer.from(world.cas.get(entry.generation)!.auth.certificate.rawData));
    expect(first.verify(ca.publicKey)).toBe(true);
    const second = await authCertificate(await openVirtualCard(world, 'H0500'));
    expect(second.fingerprint256).toBe(first.fingerprint256);
  }, 30_000);

  it('agrees on one card when several callers make it at once', async () => {
    const cards = await Promise.all(Array.from({ length: 4 }, () => openVirtualCard(world, 'H0777')));
    const prints = new Set<string>();
    for (const c of cards) prints.add((await authCertificate(c)).fingerprint256);
    expect(prints.size).toBe(1);
  }, 30_000);

  it('makes expired cards expired and locked PINs locked', async () => {
    const expired = residents.find((r) => r.card.condition === 'expired' && r.holderId > 'H0012')!;
    const certificate = await authCertificate(await openVirtualCard(world, expired.holderId));
    expect(new Date(certificate.validTo).getTime()).toBeLessThan(Date.now());
    const locked = residents.find((r) => r.card.lockedPins?.includes('auth'))!;
    const card = await openVirtualCard(world, locked.holderId);
    if (!('transmit' in card)) throw new Error(card.kind);
    expect(card.triesLeft('auth')).toBe(0);
    expect(card.triesLeft('signing')).toBe(locked.card.lockedPins?.includes('signing') ? 0 : 5);
    // Opening again keeps the lock (it is the card's persisted counter).
    const reopened = await openVirtualCard(world, locked.holderId);
    if (!('transmit' in reopened)) throw new Error(reopened.kind);
    expect(reopened.triesLeft('auth')).toBe(0);
  }, 30_000);

  it('refuses an unknown holder', async () => {
    expect(await openVirtualCard(world, 'H9999')).toEqual({ kind: 'unknown-holder', holderId: 'H9999' });
  });
});
