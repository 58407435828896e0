/**
 * Concurrency proof on PostgreSQL: two centre processes share one database; many terminals,
 * each with its own (in-process) virtual card, authenticate and issue at once — including the
 * same transaction sent to both centres in the same millisecond — and every document must
 * belong to its own card and resident, with unique ids and exactly one billing record per
 * transaction. No vpcd: the cards are in-process, so no reader lock is needed.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { X509Certificate, randomUUID } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS } from '../../server/db/migrations.ts';
import { holderBindingFor } from '../../protocol/seal.ts';
import { startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { ensureDevWorld, openVirtualCard, type DevWorld } from '../../scripts/dev/world.ts';
import { buildSeedRegisters, loadSeedWorld, SEED_REFERENCE_DATE } from '../../server/seed/index.ts';
import type { SeedResident } from '../../server/seed/types.ts';
import type { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import {
  authenticateWithCard,
  fetchSealKeys,
  requestIssue,
  sha256Hex,
  verifyIssued,
  type Authenticated,
} from '../../scripts/bench/centre/terminal.ts';
import { startCentreProcesses, type CentreProcess } from '../../scripts/bench/centre/centre-processes.ts';
import { openCentreStores } from '../../server/db/openRepository.ts';
import { loadRegister } from '../../server/db/seedLoader.ts';

const TERMINALS = 32;
const seed = loadSeedWorld();
const households = new Map(seed.households.map((h) => [h.householdId, h]));

function age(r: SeedResident): number {
  const years = Number(SEED_REFERENCE_DATE.slice(0, 4)) - Number(r.birthDate.slice(0, 4));
  return SEED_REFERENCE_DATE.slice(5) < r.birthDate.slice(5) ? years - 1 : years;
}

/** Residents who can get a 住民票 at the kiosk: on the register, valid card, no lock, no DV block, 15+. */
const eligible = seed.residents.filter(
  (r) =>
    r.status === 'resident' &&
    r.card.condition === 'valid' &&
    !r.card.lockedPins &&
    !r.dvBlock &&
    age(r) >= 15,
);
/** Spread over the register, plus the hard names (IVS, MJ-only) and very long addresses. */
function pickHolders(): SeedResident[] {
  const hard = eligible.filter(
    (r) =>
      /[\u{E0100}-\u{E01EF}\u{20000}-\u{3FFFF}]/u.test(r.name) ||
      households.get(r.householdId)!.address.length > 60,
  );
  const step = Math.floor(eligible.length / TERMINALS);
  const spread = eligible.filter((_, i) => i % step === 0);
  const picked = new Map<string, SeedResident>();
  for (const r of [...hard.slice(0, 6), ...spread]) if (picked.size < TERMINALS) picked.set(r.holderId, r);
  return [...picked.values()];
}

/** What a centre does to its database when it starts: migrate, load the register, load the municipal registers. */
async function databaseStartUp(databaseUrl: string): Promise<void> {
  const { repository, registers } = await openCentreStores({ databaseUrl });
  try {
    await loadRegister(repository, seed, Date.now());
    await registers.load(buildSeedRegisters(seed));
  } finally {
    await repository.close();
  }
}

describe('two centre processes on one PostgreSQL, many terminals at once', () => {
  let postgres: TestPostgres;
  let databaseUrl: string;
  let world: DevWorld;
  let centres: CentreProcess[] = [];
  const holders = pickHolders();
  const cards = new Map<string, VirtualMyNumberCard>();

  beforeAll(async () => {
    postgres = await startTestPostgres();
    databaseUrl = await postgres.createDatabase('concurrency');
    world = await ensureDevWorld(inject('worldDir'));
    // Two centres' database start-up at once (migrations, register loads) must not collide.
    await Promise.all([databaseStartUp(databaseUrl), databaseStartUp(databaseUrl)]);
    const [started] = await Promise.all([
      // The first centre provisions the seal keys on the shared SoftHSM token alone (see
      // startCentreProcesses). A generous start-up bound: a busy 2-core machine builds cards meanwhile.
      startCentreProcesses(2, { worldDir: world.dir, databaseUrl, timeoutMs: 150_000 }),
      Promise.all(
        holders.map(async (r) => {
          const card = await openVirtualCard(world, r.holderId);
          if (!('transmit' in card)) throw new Error(`${r.holderId}: ${card.kind}`);
          cards.set(r.holderId, card);
        }),
      ),
    ]);
    centres = started;
  }, 300_000); // the world's cards are made meanwhile: minutes on a busy 2-core machine

  afterAll(async () => {
    await Promise.all(centres.map((centre) => centre.stop()));
    await postgres?.stop();
  });

  it('migrated the shared database once', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const versions = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.rows.map((r: { version: number }) => r.version)).toEqual(
        MIGRATIONS.map((m) => m.version),
      );
      const residents = await client.query('SELECT count(*)::int AS n FROM residents');
      expect(residents.rows[0].n).toBe(seed.residents.length);
    } finally {
      await client.end();
    }
  });

  it('issues every terminal the document of its own card, once, whichever centre answers', async () => {
    expect(holders.length).toBe(TERMINALS);
    // Authenticate all at once, alternating centres.
    const sessions = await Promise.all(
      holders.map((r, i) =>
        authenticateWithCard({
          centreUrl: centres[i % 2]!.url,
          card: cards.get(r.holderId)!,
          authPin: r.card.authPin,
          terminalId: `S${String(1000 + i)}-T01`,
        }),
      ),
    );
    // Then every terminal issues at the same instant, sending its request to BOTH centres
    // (a retry racing the original): 2 × TERMINALS requests released in one tick.
    let release!: () => void;
    const barrier = new Promise<void>((resolve) => (release = resolve));
    const sentAt: number[] = [];
    const issued = sessions.map((s) =>
      Promise.all(
        centres.map(async (centre) => {
          await barrier;
          sentAt.push(Date.now());
          return requestIssue(centre.url, {
            transactionId: s.transactionId,
            terminalId: s.terminalId,
            certificateType: 'juminhyo',
            copies: 1,
          });
        }),
      ),
    );
    release();
    const answers = await Promise.all(issued);
    // Collisions within the same millisecond did happen.
    expect(new Set(sentAt).size).toBeLessThan(sentAt.length);

    const sealKeys = await fetchSealKeys(centres[0]!.url, world.sealKeys.rootKeysPemPath);
    const documentIds = new Set<string>();
    // A resident whose 住民票 would not print on the form (an address too long for its box) is not
    // offered it, and both centres refuse to issue it, before anything is billed.
    const offered = sessions.filter((s) => s.juminhyoOffered);
    expect(offered.length).toBeGreaterThanOrEqual(TERMINALS - 6);
    answers.forEach(([first, second], i) => {
      const resident = holders[i]!;
      const session: Authenticated = sessions[i]!;
      if (!session.juminhyoOffered) {
        for (const answer of [first, second])
          expect(answer).toMatchObject({
            ok: false,
            status: 422,
            body: { error: { code: 'document-unprintable' } },
          });
        return;
      }
      if (!first?.ok || !second?.ok)
        throw new Error(`${resident.holderId}: ${JSON.stringify([first, second])}`);
      // Both centres answer the same stored document and seal.
      expect(second.response).toEqual(first.response);
      verifyIssued(first.response, session, sealKeys);
      const { document } = first.response;
      // Bound to the certificate this very card returned, which is the one registered for this resident.
      expect(document.holderBinding).toBe(
        holderBindingFor(document.holderSalt, sha256Hex(session.certificate)),
      );
      const serial = new X509Certificate(Buffer.from(session.certificate)).serialNumber
        .toLowerCase()
        .replace(/^0+/, '');
      expect(world.manifest.registry.find((e) => e.holderId === resident.holderId)?.serialNumberHex).toBe(
        serial,
      );
      expect(document.municipality.code).toBe(resident.municipalityCode);
      expect(document.content.kind).toBe('juminhyo');
      if (document.content.kind !== 'juminhyo') return;
      expect(document.content.address).toBe(households.get(resident.householdId)!.address);
      expect(document.content.members.map((m) => m.name)).toContain(resident.name);
      documentIds.add(document.documentId);
    });
    expect(documentIds.size).toBe(offered.length);

    // Billing: exactly one record per transaction, nothing else.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const billing = await client.query<{ transaction_id: string; n: number }>(
        'SELECT transaction_id, count(*)::int AS n FROM billing_records GROUP BY transaction_id',
      );
      expect(billing.rows).toHaveLength(offered.length);
      expect(billing.rows.every((row) => row.n === 1)).toBe(true);
      expect(new Set(billing.rows.map((row) => row.transaction_id))).toEqual(
        new Set(offered.map((s) => s.transactionId)),
      );
      const issuedRows = await client.query<{ transaction_id: string; holder_id: string }>(
        'SELECT transaction_id, holder_id FROM issued_documents',
      );
      const holderOf = new Map(sessions.map((s, i) => [s.transactionId, holders[i]!.holderId]));
      for (const row of issuedRows.rows) expect(row.holder_id).toBe(holderOf.get(row.transaction_id));
    } finally {
      await client.end();
    }
  }, 60_000);

  it('keeps a transaction bound to the first card when two cards race for it on two centres', async () => {
    // Two residents whose 住民票 prints (addresses that fit the form's box).
    const [a, b] = holders.filter((h) => households.get(h.householdId)!.address.length <= 60) as [
      SeedResident,
      SeedResident,
    ];
    const transactionId = randomUUID();
    const results = await Promise.allSettled([
      authenticateWithCard({
        centreUrl: centres[0]!.url,
        card: cards.get(a.holderId)!,
        authPin: a.card.authPin,
        terminalId: 'S2001-T01',
        transactionId,
      }),
      authenticateWithCard({
        centreUrl: centres[1]!.url,
        card: cards.get(b.holderId)!,
        authPin: b.card.authPin,
        terminalId: 'S2002-T01',
        transactionId,
      }),
    ]);
    const winners = results.filter(
      (r): r is PromiseFulfilledResult<Authenticated> => r.status === 'fulfilled',
    );
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.value;
    const loserTerminal = winner.terminalId === 'S2001-T01' ? 'S2002-T01' : 'S2001-T01';
    const stolen = await requestIssue(centres[1]!.url, {
      transactionId,
      terminalId: loserTerminal,
      certificateType: 'juminhyo',
      copies: 1,
    });
    expect(stolen.ok).toBe(false);
    const own = await requestIssue(centres[0]!.url, {
      transactionId,
      terminalId: winner.terminalId,
      certificateType: 'juminhyo',
      copies: 1,
    });
    if (!own.ok) throw new Error(JSON.stringify(own));
    const ownDocument = own.response.document;
    expect(ownDocument.holderBinding).toBe(
      holderBindingFor(ownDocument.holderSalt, sha256Hex(winner.certificate)),
    );
  }, 60_000);
});
