/**
 * The dev/test world: a test JPKI CA (two generations sharing one DN, as the real ones do), the
 * certificate registry for every seed resident, and each holder's virtual card, made on first use.
 * Built once into a folder and reused; `npm start`, the CLIs and the tests all read the same layout:
 *
 *   <dir>/world.json            manifest: format, seed digest, time of building, registry, revocations
 *   <dir>/ca/<generation>/      test CA (saveTestJpkiCa)
 *   <dir>/cards/<holderId>.json card personalisation (keys and PINs: test data only), made lazily
 *   <dir>/card-state/           PIN counters per holder, persisted across card restarts
 *   <dir>/centre.sqlite         the centre's database (the seal keys' public halves and lifecycle)
 *   <dir>/hsm/                  the SoftHSM2 token holding the seal keys (softhsm2.conf, tokens/,
 *                               user-pin: test data only, mode 0600)
 *   <dir>/seal-root-keys.pem    the root public key(s) that sign the published key list, for
 *                               kiosks (KIOSK_SEAL_ROOT_KEYS) and verifiers
 *
 * Fast with 1,000+ residents: building makes only the CAs' keys. The registry is a pure function
 * of the resident's index — the generation that issues the card and the certificate's serial —
 * so the centre gets the whole registry at start without any card existing. A holder's card
 * (two RSA key pairs and certificates with that serial) is made on the first `openVirtualCard`
 * and kept on disk; several processes asking at once agree on one card file.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  certificateDer,
  createTestJpkiCa,
  loadTestJpkiCa,
  personaliseCard,
  saveTestJpkiCa,
  type HolderIdentity,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';
import { encodeCommand } from '../../native/apdu.ts';
import { AUTH_PIN_TRIES, JPKI_AID, JpkiEf, SIGNING_PIN_TRIES } from '../../native/jpki/jpki-files.ts';
import { CardStateStore } from '../../native/virtual-card/card-state-store.ts';
import {
  isPersonalisationError,
  loadPersonalisation,
  personalisationToJson,
  type CardPersonalisation,
} from '../../native/virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import type { CentreOptions } from '../../server/centre.ts';
import type { PinResetMode } from '../../protocol/pin-reset.ts';
import { TEST_PIN_RESET_MASTER_KEY } from '../../native/test-pki/fixtures.ts';
import { deriveCardKey } from '../../protocol/secure-messaging.ts';
import { Pkcs11SealKeyStore, type Pkcs11TokenConfig } from '../../server/keys/pkcs11-seal-key-store.ts';
import { ROOT_KEY_LABEL, publicKeysPem } from '../../server/keys/seal-key-store.ts';
import { createSoftHsmToken, softHsmTokenConfig } from '../../server/keys/softhsm-token.ts';
import { createDevPki } from '../dev-pki.ts';
import { loadSeedWorld } from '../../server/seed/index.ts';
import type { LockedPin, SeedResident } from '../../server/seed/types.ts';
import { cardPhotoJp2 } from './test-faces.ts';

// 6: the cards carry the PIN reset's card key (derived from the test master key).
const FORMAT = 'kiosk-dev-world/6';
/** The dev world's SoftHSM2 token for the seal keys. */
export const SEAL_TOKEN_LABEL = 'kiosk-seals';
/** The demo's kiosk terminal: store S0001, terminal T01. Its mutual-TLS certificate is in <dir>/tls/. */
export const DEMO_TERMINAL_ID = 'S0001-T01';
const DAY_MS = 86_400_000;
const GENERATIONS = [2019, 2023] as const;

const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  seedDigest: z.string(),
  /** Card validity is reckoned from this moment, whenever a card is made. */
  createdAt: z.string(),
  generations: z.array(z.number().int()),
  registry: z.array(
    z.object({ generation: z.number().int(), serialNumberHex: z.string(), holderId: z.string() }),
  ),
  revoked: z.array(z.object({ generation: z.number().int(), serialNumberHex: z.string() })),
});
type Manifest = z.infer<typeof ManifestSchema>;

/** The transport PKI: the centre's server certificate and the terminal CA, and the demo terminal's credentials. */
export interface DevWorldTls {
  terminalCaPem: string;
  terminalCrlPem: string;
  centre: { certificatePem: string; privateKeyPem: string };
  terminal: { terminalId: string; certificatePem: string; privateKeyPem: string };
}

export interface DevWorld {
  dir: string;
  manifest: Manifest;
  cas: Map<number, TestJpkiCa>;
  tls: DevWorldTls;
  /** The seal keys' token (SoftHSM2 in <dir>/hsm) and the root public keys' PEM file. */
  sealKeys: { token: Pkcs11TokenConfig; rootKeysPemPath: string };
}

const HSM_DIR = 'hsm';
const ROOT_KEYS_PEM = 'seal-root-keys.pem';

async function readWorldSealKeys(dir: string): Promise<DevWorld['sealKeys']> {
  const userPin = (await readFile(join(dir, HSM_DIR, 'user-pin'), 'utf8')).trim();
  return {
    token: softHsmTokenConfig({ dir: join(dir, HSM_DIR), tokenLabel: SEAL_TOKEN_LABEL, userPin }),
    rootKeysPemPath: join(dir, ROOT_KEYS_PEM),
  };
}

/**
 * A SoftHSM2 token for the world with the root key that signs the published key list (the
 * municipal keys are made by the centre on first start); random PINs, the user PIN kept for the
 * centre in a 0600 file, the SO PIN nowhere. Writes the root public key as PEM.
 */
async function buildSealToken(dir: string): Promise<void> {
  const userPin = randomBytes(12).toString('base64url');
  const token = await createSoftHsmToken({
    dir: join(dir, HSM_DIR),
    tokenLabel: SEAL_TOKEN_LABEL,
    userPin,
    soPin: randomBytes(12).toString('base64url'),
  });
  await writeFile(join(dir, HSM_DIR, 'user-pin'), `${userPin}\n`, { mode: 0o600 });
  const store = Pkcs11SealKeyStore.open(token);
  try {
    const root = await store.generate(ROOT_KEY_LABEL);
    await writeFile(join(dir, ROOT_KEYS_PEM), publicKeysPem([root.publicKeySpkiDer]));
  } finally {
    await store.close();
  }
}

async function readWorldTls(dir: string): Promise<DevWorldTls> {
  const read = (name: string) => readFile(join(dir, 'tls', name), 'utf8');
  return {
    terminalCaPem: await read('ca.pem'),
    terminalCrlPem: await read('ca.crl.pem'),
    centre: { certificatePem: await read('centre.pem'), privateKeyPem: await read('centre.key.pem') },
    terminal: {
      terminalId: DEMO_TERMINAL_ID,
      certificatePem: await read(`terminals/${DEMO_TERMINAL_ID}.pem`),
      privateKeyPem: await read(`terminals/${DEMO_TERMINAL_ID}.key.pem`),
    },
  };
}

let residentsCache: readonly SeedResident[] | undefined;
/** The seed residents, read once per process (the seed is code: it cannot change while running). */
function seedResidents(): readonly SeedResident[] {
  residentsCache ??= loadSeedWorld().residents;
  return residentsCache;
}

function seedDigest(): string {
  return createHash('sha256').update(JSON.stringify(loadSeedWorld())).digest('hex').slice(0, 16);
}

/** Which generation issues a resident's card: every third resident keeps a card from the 2019 root. */
export function generationFor(index: number): number {
  return index % 3 === 2 ? 2019 : 2023;
}

/** The certificate serial of the resident at `index` in the seed world (lower-case hex, no leading zeros). */
export function serialFor(index: number): string {
  return (0x1000 + index).toString(16);
}

function validityFor(resident: SeedResident, createdAt: number): { notBefore: Date; notAfter: Date } {
  if (resident.card.condition === 'expired') {
    return { notBefore: new Date(createdAt - 6 * 365 * DAY_MS), notAfter: new Date(createdAt - 30 * DAY_MS) };
  }
  return { notBefore: new Date(createdAt - 365 * DAY_MS), notAfter: new Date(createdAt + 4 * 365 * DAY_MS) };
}

/** The registry and revocations: a pure function of the seed world, no keys needed. */
export function registryFor(residents: readonly SeedResident[]): Pick<Manifest, 'registry' | 'revoked'> {
  const registry: Manifest['registry'] = [];
  const revoked: Manifest['revoked'] = [];
  residents.forEach((resident, index) => {
    const entry = {
      generation: generationFor(index),
      serialNumberHex: serialFor(index),
      holderId: resident.holderId,
    };
    registry.push(entry);
    if (resident.card.condition === 'revoked')
      revoked.push({ generation: entry.generation, serialNumberHex: entry.serialNumberHex });
  });
  return { registry, revoked };
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(await readFile(join(dir, 'world.json'), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function buildWorld(dir: string): Promise<DevWorld> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'cards'), { recursive: true });
  await mkdir(join(dir, 'card-state'), { recursive: true });
  const now = Date.now();
  const cas = new Map<number, TestJpkiCa>();
  await Promise.all(
    GENERATIONS.map(async (generation) => {
      const ca = await createTestJpkiCa({
        generation,
        notBefore: new Date(Date.UTC(generation, 0, 1)),
        notAfter: new Date(Date.UTC(generation + 12, 0, 1)),
      });
      await saveTestJpkiCa(ca, join(dir, 'ca', String(generation)));
      cas.set(generation, ca);
    }),
  );
  await createDevPki({ outDir: join(dir, 'tls'), terminals: [{ terminalId: DEMO_TERMINAL_ID }] });
  await buildSealToken(dir);
  const manifest: Manifest = {
    format: FORMAT,
    seedDigest: seedDigest(),
    createdAt: new Date(now).toISOString(),
    generations: [...GENERATIONS],
    ...registryFor(loadSeedWorld().residents),
  };
  await writeFile(join(dir, 'world.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { dir, manifest, cas, tls: await readWorldTls(dir), sealKeys: await readWorldSealKeys(dir) };
}

/** Opens the world in `dir`, building it first when it is missing or was made from other seed data. */
export async function ensureDevWorld(dir: string): Promise<DevWorld> {
  const manifest = await readManifest(dir);
  if (!manifest || manifest.seedDigest !== seedDigest()) return buildWorld(dir);
  const cas = new Map<number, TestJpkiCa>();
  for (const generation of manifest.generations)
    cas.set(generation, await loadTestJpkiCa(join(dir, 'ca', String(generation))));
  return { dir, manifest, cas, tls: await readWorldTls(dir), sealKeys: await readWorldSealKeys(dir) };
}

/**
 * The dev world's PIN-reset master key: the test centre's (test data; a real centre keeps its key
 * in an HSM). The world's cards carry the reset key derived from it (makeCard), so the centre's
 * commands open on them.
 */
export const DEV_WORLD_PIN_RESET_MASTER_KEY: Uint8Array = TEST_PIN_RESET_MASTER_KEY;

/**
 * What the reference centre needs from the world: trust anchors, the whole certificate map,
 * revocations, and the PIN reset (phone and kiosk) in `pinResetMode` — one centre setting, so the
 * phone's grants and the kiosk's command agree (default `password`, the 2020 plan's typed password).
 */
export function centreOptionsFor(
  world: DevWorld,
  options: { pinResetMode?: PinResetMode } = {},
): CentreOptions {
  const pinResetMode = options.pinResetMode ?? 'password';
  const caDers = new Map(
    world.manifest.generations.map((generation) => [
      generation,
      certificateDer((world.cas.get(generation) as TestJpkiCa).auth),
    ]),
  );
  const caDer = (generation: number) => caDers.get(generation) as Uint8Array;
  return {
    databasePath: join(world.dir, 'centre.sqlite'),
    sealKeys: { pkcs11: world.sealKeys.token },
    trustedCaCertificates: [...caDers.values()],
    certificateRegistry: world.manifest.registry.map((entry) => ({
      caCertificateDer: caDer(entry.generation),
      serialNumberHex: entry.serialNumberHex,
      holderId: entry.holderId,
    })),
    revokedSerialNumbers: world.manifest.revoked.map((entry) => ({
      caCertificateDer: caDer(entry.generation),
      serialNumberHex: entry.serialNumberHex,
    })),
    // The PIN reset (server/phone): the 署名用 CA that signs the 券面AP and whose certificates it checks.
    phone: {
      signingCaCertificates: world.manifest.generations.map((g) => signingCaDer(world, g)),
      pinResetMode,
    },
    pinReset: { masterKey: DEV_WORLD_PIN_RESET_MASTER_KEY, mode: pinResetMode },
  };
}

function signingCaDer(world: DevWorld, generation: number): Uint8Array {
  return certificateDer((world.cas.get(generation) as TestJpkiCa).signing);
}

/** The centre's side of mutual TLS: its server certificate, and the terminal CA whose kiosks may connect. */
export function centreTlsFor(world: DevWorld): NonNullable<CentreOptions['tls']> {
  return {
    certificatePem: world.tls.centre.certificatePem,
    privateKeyPem: world.tls.centre.privateKeyPem,
    terminalCaPem: world.tls.terminalCaPem,
    // The file, not its text: the centre follows it, so a terminal revoked while it runs is refused.
    terminalCrlFile: join(world.dir, 'tls', 'ca.crl.pem'),
  };
}

/** The demo kiosk's client side of mutual TLS: its terminal certificate and the CA that vouches for the centre. */
export function kioskTlsFor(world: DevWorld): {
  certificatePem: string;
  privateKeyPem: string;
  caPem: string;
} {
  return {
    certificatePem: world.tls.terminal.certificatePem,
    privateKeyPem: world.tls.terminal.privateKeyPem,
    caPem: world.tls.terminalCaPem,
  };
}

export type OpenCardError =
  { kind: 'unknown-holder'; holderId: string } | { kind: 'card-file-invalid'; holderId: string };

const WRONG_PIN = { auth: ['0000', '9999'], signing: ['WRONGPIN0', 'WRONGPIN1'] } as const;
const PIN_FILE = { auth: JpkiEf.AUTH_PIN, signing: JpkiEf.SIGNING_PIN } as const;
const PIN_TRIES = { auth: AUTH_PIN_TRIES, signing: SIGNING_PIN_TRIES } as const;

/**
 * Locks PINs the way a resident does: wrong VERIFYs until the card's counter is 0. The card keeps
 * its counters in the world's card-state folder, so the lock persists like any other.
 */
function lockPins(world: DevWorld, personalisation: CardPersonalisation, slots: readonly LockedPin[]): void {
  const card = new VirtualMyNumberCard({
    personalisation,
    stateStore: new CardStateStore(join(world.dir, 'card-state')),
  });
  const send = (apdu: Uint8Array): number => {
    const res = card.transmit(apdu);
    return ((res[res.length - 2] ?? 0) << 8) | (res[res.length - 1] ?? 0);
  };
  card.powerOn();
  try {
    send(encodeCommand({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID }));
    for (const slot of slots) {
      const correct = slot === 'auth' ? personalisation.authPin : personalisation.signingPin;
      const wrong = WRONG_PIN[slot].find((p) => p !== correct) as string;
      const fid = PIN_FILE[slot];
      send(
        encodeCommand({
          cla: 0,
          ins: 0xa4,
          p1: 0x02,
          p2: 0x0c,
          data: Uint8Array.from([fid >> 8, fid & 0xff]),
        }),
      );
      for (let i = 0; i < PIN_TRIES[slot]; i++) {
        send(encodeCommand({ cla: 0, ins: 0x20, p1: 0x00, p2: 0x80, data: Buffer.from(wrong, 'ascii') }));
      }
      if (card.triesLeft(slot) !== 0)
        throw new Error(`world: could not lock the ${slot} PIN of ${personalisation.holderId}`);
    }
  } finally {
    card.powerOff();
  }
}

/** The 4 basic facts as the card carries them (YYYYMMDD, ISO 5218 sex). */
function cardHolderIdentity(resident: SeedResident): HolderIdentity {
  const household = loadSeedWorld().households.find((h) => h.householdId === resident.householdId);
  return {
    name: resident.name,
    address: household?.address ?? '',
    birthDate: resident.birthDate.replaceAll('-', ''),
    sex: resident.sex === '男' ? '1' : '2',
  };
}

/**
 * Makes the holder's card and writes it with an exclusive link, so that when several processes
 * make it at once exactly one file wins and everybody uses that one.
 */
async function makeCard(world: DevWorld, holderId: string, path: string): Promise<void> {
  const index = world.manifest.registry.findIndex((e) => e.holderId === holderId);
  const entry = world.manifest.registry[index];
  const resident = seedResidents()[index];
  if (!entry || !resident || resident.holderId !== holderId)
    throw new Error(`world: registry and seed disagree on ${holderId}`);
  const ca = world.cas.get(entry.generation);
  if (!ca) throw new Error(`world: no CA generation ${entry.generation}`);
  const facePhoto = await cardPhotoJp2(holderId);
  const card = await personaliseCard({
    holderId,
    authPin: resident.card.authPin,
    signingPin: resident.card.signingPin,
    ca,
    serialNumber: entry.serialNumberHex,
    ...validityFor(resident, Date.parse(world.manifest.createdAt)),
    // The card's face as the register had it at issue (the PIN reset checks it is unchanged).
    holder: cardHolderIdentity(resident),
    // The reset key derived from the world centre's master key: the centre's reset commands open.
    pinResetMasterKey: DEV_WORLD_PIN_RESET_MASTER_KEY,
    ...(facePhoto ? { facePhoto } : {}),
  });
  // Before the card file appears, so that no process can open the card unlocked.
  if (resident.card.lockedPins?.length) lockPins(world, card, resident.card.lockedPins);
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await mkdir(join(world.dir, 'cards'), { recursive: true });
  await writeFile(tmp, personalisationToJson(card), { mode: 0o600 });
  try {
    await link(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp);
  }
}

/**
 * A card made before the world's cards carried the reset key (an older card file) gets it here, as
 * issuance would have written it: the key derived from the world centre's master key and the holder.
 */
function withPinResetKey(personalisation: CardPersonalisation): CardPersonalisation {
  if (personalisation.pinResetKey) return personalisation;
  return {
    ...personalisation,
    pinResetKey: deriveCardKey(DEV_WORLD_PIN_RESET_MASTER_KEY, personalisation.holderId),
  };
}

/**
 * The holder's virtual card, made on first use, with PIN counters persisted in the world (a lock
 * survives restarts). A resident marked with locked PINs gets a card whose counters start at 0.
 */
export async function openVirtualCard(
  world: DevWorld,
  holderId: string,
): Promise<VirtualMyNumberCard | OpenCardError> {
  if (!world.manifest.registry.some((entry) => entry.holderId === holderId))
    return { kind: 'unknown-holder', holderId };
  const path = join(world.dir, 'cards', `${holderId}.json`);
  let personalisation = await loadPersonalisation(path);
  if (isPersonalisationError(personalisation) && personalisation.kind === 'personalisation-unreadable') {
    await makeCard(world, holderId, path);
    personalisation = await loadPersonalisation(path);
  }
  if (isPersonalisationError(personalisation)) return { kind: 'card-file-invalid', holderId };
  return new VirtualMyNumberCard({
    personalisation: withPinResetKey(personalisation),
    stateStore: new CardStateStore(join(world.dir, 'card-state')),
  });
}
