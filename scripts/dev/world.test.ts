import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCardError } from '../../native/card-transport.ts';
import { JpkiClient } from '../../native/jpki/jpki-client.ts';
import { relayPinReset } from '../../native/jpki/pin-reset.ts';
import {
  buildPinResetCommand,
  checkPinResetResponse,
  deriveCardKey,
} from '../../protocol/secure-messaging.ts';
import { InProcessCardReader } from '../../native/virtual-card/in-process-reader.ts';
import { parseSealRootKeys } from '../../protocol/seal-root-keys.ts';
import { Pkcs11SealKeyStore } from '../../server/keys/pkcs11-seal-key-store.ts';
import { ROOT_KEY_LABEL } from '../../server/keys/seal-key-store.ts';
import { loadSeedWorld } from '../../server/seed/index.ts';
import {
  centreOptionsFor,
  DEV_WORLD_PIN_RESET_MASTER_KEY,
  ensureDevWorld,
  openVirtualCard,
  registryFor,
  type DevWorld,
} from './world.ts';

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

/**
 * The centre's side of a 署名用 PIN reset under the world's master key (what server/pin-reset does),
 * relayed to the card: whether the card took it and then takes the new PIN.
 */
async function centreResets(card: Awaited<ReturnType<typeof openVirtualCard>>, holderId: string) {
  if (!('transmit' in card)) throw new Error(card.kind);
  const reader = new InProcessCardReader();
  reader.insert(card);
  const session = await reader.connect();
  if (isCardError(session)) throw new Error(session.kind);
  const cardKey = deriveCardKey(DEV_WORLD_PIN_RESET_MASTER_KEY, holderId);
  let sent: Uint8Array | undefined;
  try {
    const jpki = new JpkiClient(session.transport);
    const result = await relayPinReset(
      jpki,
      {
        commandFor: async ({ target, challenge }) => {
          sent = challenge;
          const newPin = Uint8Array.from(Buffer.from('WORLD2026', 'ascii'));
          return { kind: 'command', apdu: buildPinResetCommand({ cardKey, challenge, target, newPin }) };
        },
        confirm: async ({ response }) =>
          checkPinResetResponse({ cardKey, challenge: sent as Uint8Array, response }),
      },
      'signing',
    );
    const newPinWorks =
      (await jpki.verifySigningPin(Uint8Array.from(Buffer.from('WORLD2026', 'ascii')))).kind === 'ok';
    return { result, newPinWorks };
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

  it('keeps the seal root on its own SoftHSM2 token and publishes its public key as PEM', async () => {
    const pem = await readFile(world.sealKeys.rootKeysPemPath, 'utf8');
    const roots = parseSealRootKeys(pem);
    if (!roots.ok) throw new Error(roots.error.detail);
    expect(centreOptionsFor(world).sealKeys).toEqual({ pkcs11: world.sealKeys.token });
    expect(world.sealKeys.token.softhsmConfPath).toBe(join(dir, 'hsm', 'softhsm2.conf'));
    const store = Pkcs11SealKeyStore.open(world.sealKeys.token);
    try {
      const onToken = (await store.list()).filter((k) => k.label === ROOT_KEY_LABEL);
      expect(onToken.map((k) => k.kid)).toEqual([...roots.rootKeys.keys()]);
    } finally {
      await store.close();
    }
    expect((await stat(join(dir, 'hsm', 'user-pin'))).mode & 0o077).toBe(0);
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

  it('gives the cards the reset key of the world centre: its reset opens, on new and older card files', async () => {
    expect(centreOptionsFor(world).pinReset?.masterKey).toEqual(DEV_WORLD_PIN_RESET_MASTER_KEY);
    expect(await centreResets(await openVirtualCard(world, 'H0042'), 'H0042')).toEqual({
      result: { kind: 'reset-done' },
      newPinWorks: true,
    });
    // A card file made before the cards carried the key.
    await openVirtualCard(world, 'H0043');
    const path = join(dir, 'cards', 'H0043.json');
    const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    delete file.pinResetKey;
    await writeFile(path, JSON.stringify(file));
    expect(await centreResets(await openVirtualCard(world, 'H0043'), 'H0043')).toEqual({
      result: { kind: 'reset-done' },
      newPinWorks: true,
    });
  });

  it('refuses an unknown holder', async () => {
    expect(await openVirtualCard(world, 'H9999')).toEqual({ kind: 'unknown-holder', holderId: 'H9999' });
  });
});
