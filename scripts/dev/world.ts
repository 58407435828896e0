/**
 * The dev/test world: a test JPKI CA (two generations sharing one DN, as the real ones do), one
 * virtual card per seed resident (keys, certificates, PINs), and what the centre needs to trust
 * and map those certificates. Built once into a folder and reused; `npm start`, the CLIs and the
 * tests all read the same layout:
 *
 *   <dir>/world.json            manifest: format, seed digest, registry, revocations
 *   <dir>/ca/<generation>/      test CA (saveTestJpkiCa)
 *   <dir>/cards/<holderId>.json card personalisation (keys and PINs: test data only)
 *   <dir>/card-state/           PIN counters per holder, persisted across card restarts
 *   <dir>/centre.sqlite         the centre's database (municipal seal keys persist here)
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  certificateDer,
  createTestJpkiCa,
  loadTestJpkiCa,
  personaliseCard,
  saveTestJpkiCa,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';
import { CardStateStore } from '../../native/virtual-card/card-state-store.ts';
import {
  isPersonalisationError,
  loadPersonalisation,
  savePersonalisation,
} from '../../native/virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import type { CentreOptions } from '../../server/centre.ts';
import { loadSeedWorld } from '../../server/seed/index.ts';
import type { SeedResident } from '../../server/seed/types.ts';

const FORMAT = 'kiosk-dev-world/1';
const DAY_MS = 86_400_000;

const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  seedDigest: z.string(),
  createdAt: z.string(),
  generations: z.array(z.number().int()),
  registry: z.array(
    z.object({ generation: z.number().int(), serialNumberHex: z.string(), holderId: z.string() }),
  ),
  revoked: z.array(z.object({ generation: z.number().int(), serialNumberHex: z.string() })),
});
type Manifest = z.infer<typeof ManifestSchema>;

export interface DevWorld {
  dir: string;
  manifest: Manifest;
  cas: Map<number, TestJpkiCa>;
}

function seedDigest(): string {
  return createHash('sha256').update(JSON.stringify(loadSeedWorld())).digest('hex').slice(0, 16);
}

/** Which generation issues a resident's card: older residents keep a card from the 2019 root. */
function generationFor(index: number): number {
  return index % 3 === 2 ? 2019 : 2023;
}

function validityFor(resident: SeedResident, now: number): { notBefore: Date; notAfter: Date } {
  if (resident.card.condition === 'expired') {
    return { notBefore: new Date(now - 6 * 365 * DAY_MS), notAfter: new Date(now - 30 * DAY_MS) };
  }
  return { notBefore: new Date(now - 365 * DAY_MS), notAfter: new Date(now + 4 * 365 * DAY_MS) };
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
  for (const generation of [2019, 2023]) {
    const ca = await createTestJpkiCa({
      generation,
      notBefore: new Date(Date.UTC(generation, 0, 1)),
      notAfter: new Date(Date.UTC(generation + 12, 0, 1)),
    });
    await saveTestJpkiCa(ca, join(dir, 'ca', String(generation)));
    cas.set(generation, ca);
  }
  const registry: Manifest['registry'] = [];
  const revoked: Manifest['revoked'] = [];
  const residents = loadSeedWorld().residents;
  await Promise.all(
    residents.map(async (resident, index) => {
      const generation = generationFor(index);
      const ca = cas.get(generation) as TestJpkiCa;
      const serialNumberHex = (0x1000 + index).toString(16);
      const card = await personaliseCard({
        holderId: resident.holderId,
        authPin: resident.card.authPin,
        signingPin: resident.card.signingPin,
        ca,
        serialNumber: serialNumberHex,
        ...validityFor(resident, now),
      });
      await savePersonalisation(join(dir, 'cards', `${resident.holderId}.json`), card);
      registry.push({ generation, serialNumberHex, holderId: resident.holderId });
      if (resident.card.condition === 'revoked') revoked.push({ generation, serialNumberHex });
    }),
  );
  const manifest: Manifest = {
    format: FORMAT,
    seedDigest: seedDigest(),
    createdAt: new Date(now).toISOString(),
    generations: [...cas.keys()],
    registry: registry.sort((a, b) => a.holderId.localeCompare(b.holderId)),
    revoked,
  };
  await writeFile(join(dir, 'world.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { dir, manifest, cas };
}

/** Opens the world in `dir`, building it first when it is missing or was made from other seed data. */
export async function ensureDevWorld(dir: string): Promise<DevWorld> {
  const manifest = await readManifest(dir);
  if (!manifest || manifest.seedDigest !== seedDigest()) return buildWorld(dir);
  const cas = new Map<number, TestJpkiCa>();
  for (const generation of manifest.generations)
    cas.set(generation, await loadTestJpkiCa(join(dir, 'ca', String(generation))));
  return { dir, manifest, cas };
}

/** What the reference centre needs from the world: trust anchors, the certificate map, revocations. */
export function centreOptionsFor(world: DevWorld): CentreOptions {
  const caDer = (generation: number) => certificateDer((world.cas.get(generation) as TestJpkiCa).auth);
  return {
    databasePath: join(world.dir, 'centre.sqlite'),
    trustedCaCertificates: world.manifest.generations.map(caDer),
    certificateRegistry: world.manifest.registry.map((entry) => ({
      caCertificateDer: caDer(entry.generation),
      serialNumberHex: entry.serialNumberHex,
      holderId: entry.holderId,
    })),
    revokedSerialNumbers: world.manifest.revoked.map((entry) => ({
      caCertificateDer: caDer(entry.generation),
      serialNumberHex: entry.serialNumberHex,
    })),
  };
}

export type OpenCardError =
  { kind: 'unknown-holder'; holderId: string } | { kind: 'card-file-invalid'; holderId: string };

/** The holder's virtual card, with PIN counters persisted in the world (a lock survives restarts). */
export async function openVirtualCard(
  world: DevWorld,
  holderId: string,
): Promise<VirtualMyNumberCard | OpenCardError> {
  if (!world.manifest.registry.some((entry) => entry.holderId === holderId))
    return { kind: 'unknown-holder', holderId };
  const personalisation = await loadPersonalisation(join(world.dir, 'cards', `${holderId}.json`));
  if (isPersonalisationError(personalisation)) return { kind: 'card-file-invalid', holderId };
  return new VirtualMyNumberCard({
    personalisation,
    stateStore: new CardStateStore(join(world.dir, 'card-state')),
  });
}
