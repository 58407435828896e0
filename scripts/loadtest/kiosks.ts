/**
 * The load test's kiosks: each with its own terminal certificate (a transport PKI made for the
 * run, scripts/dev-pki.ts) and its own virtual My Number Card on an in-process reader. Residents
 * are chosen so requests overlap on purpose: whole households first (members of one household on
 * neighbouring kiosks), households of one municipality next to each other, two terminals a store.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { Agent } from 'undici';
import { createDevPki } from '../dev-pki.ts';
import { openVirtualCard, type DevWorld } from '../dev/world.ts';
import { loadSeedWorld, SEED_REFERENCE_DATE } from '../../server/seed/index.ts';
import type { SeedResident } from '../../server/seed/types.ts';
import type { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';

export interface Kiosk {
  terminalId: string;
  resident: SeedResident;
  card: VirtualMyNumberCard;
  /** Mutual TLS with this kiosk's terminal certificate (undici connection pool). */
  dispatcher: Agent;
  /** The terminal certificate's private key (read once): it signs the kiosk's delivery reports. */
  terminalKey: KeyObject;
}

/** Residents a kiosk can serve a 住民票 to: living there, a valid card, PINs not locked, 16 or over, no DV block. */
function eligible(resident: SeedResident): boolean {
  const year = Number(SEED_REFERENCE_DATE.slice(0, 4));
  return (
    resident.status === 'resident' &&
    resident.card.condition === 'valid' &&
    !resident.card.lockedPins &&
    !resident.dvBlock &&
    year - Number(resident.birthDate.slice(0, 4)) >= 16
  );
}

/** `count` residents, household by household (largest first within a municipality). */
export function overlappingResidents(count: number): SeedResident[] {
  const households = new Map<string, SeedResident[]>();
  for (const resident of loadSeedWorld().residents.filter(eligible)) {
    const members = households.get(resident.householdId) ?? [];
    members.push(resident);
    households.set(resident.householdId, members);
  }
  const ordered = [...households.values()].sort(
    (a, b) =>
      (a[0] as SeedResident).municipalityCode.localeCompare((b[0] as SeedResident).municipalityCode) ||
      b.length - a.length ||
      (a[0] as SeedResident).householdId.localeCompare((b[0] as SeedResident).householdId),
  );
  const chosen = ordered.flat().slice(0, count);
  if (chosen.length < count) throw new RangeError(`only ${chosen.length} residents can be served at once`);
  return chosen;
}

/** Terminal ids: two terminals a store (`L0001-T01`, `L0001-T02`, `L0002-T01`, …). */
export function terminalIdFor(index: number): string {
  const store = `L${String(Math.floor(index / 2) + 1).padStart(4, '0')}`;
  return `${store}-T0${(index % 2) + 1}`;
}

/** Makes the run's transport PKI in `pkiDir` and `count` kiosks with their cards. */
export async function makeKiosks(world: DevWorld, pkiDir: string, count: number): Promise<Kiosk[]> {
  const residents = overlappingResidents(count);
  const terminalIds = residents.map((_, i) => terminalIdFor(i));
  const pki = await createDevPki({
    outDir: pkiDir,
    terminals: terminalIds.map((terminalId) => ({ terminalId })),
  });
  return Promise.all(
    residents.map(async (resident, i) => {
      const terminalId = terminalIds[i] as string;
      const card = await openVirtualCard(world, resident.holderId);
      if (!('transmit' in card)) throw new Error(`loadtest: no card for ${resident.holderId} (${card.kind})`);
      const credentials = pki.terminals.get(terminalId);
      if (!credentials) throw new Error(`loadtest: no terminal certificate for ${terminalId}`);
      const dispatcher = new Agent({
        connect: { cert: credentials.certificatePem, key: credentials.privateKeyPem, ca: pki.caPem },
      });
      return {
        terminalId,
        resident,
        card,
        dispatcher,
        terminalKey: createPrivateKey(credentials.privateKeyPem),
      };
    }),
  );
}
