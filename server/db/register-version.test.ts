import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openCentreStores, type CentreStores, type DatabaseConfig } from './openRepository.ts';
import { loadRegister } from './seedLoader.ts';
import { buildSeedRegisters, loadSeedWorld } from '../seed/index.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from '../test-support/backends.ts';

/**
 * The register version (migration 18): every change to a table certificates are built from moves
 * it on, whoever writes it; what does not change those tables (a reload of the same register, the
 * transactions' own records) leaves it. The menus proved ahead rely on both halves.
 */

const TX = '0b7e6a52-3c1d-4f8e-9a2b-5d6c7e8f9a01';
const LOADED_AT = 1_790_000_000_000;
const INKAN_HOLDER = 'H0002'; // 千代田区, 印鑑 registered in the seed
const KOSEKI_HOLDER = 'H0043'; // 本籍 in 都城市, no 利用登録 in the seed

describe.each(databaseBackends())('register version on $name', (backend) => {
  let template: () => Promise<DatabaseConfig>;
  let stores: CentreStores;
  const world = loadSeedWorld();

  beforeAll(async () => {
    await backend.setup();
    template = await backend.template(async (config) => {
      const loaded = await openCentreStores(config);
      await loadRegister(loaded.repository, world, LOADED_AT);
      await loaded.registers.load(buildSeedRegisters(world));
      await loaded.repository.close();
    });
  }, BACKEND_SETUP_TIMEOUT_MS);
  afterAll(() => backend.teardown());
  let database: DatabaseConfig;
  beforeEach(async () => {
    database = await template();
    stores = await openCentreStores(database);
  });
  afterEach(() => stores.repository.close());

  const version = () => stores.repository.registerVersion();

  /** The version after `change`, less the version before: how far the change moved it. */
  async function moved(change: () => Promise<unknown>): Promise<number> {
    const before = await version();
    await change();
    return (await version()) - before;
  }

  it('stays where it is when the same register is loaded again (a restart)', async () => {
    expect(await version()).toBeGreaterThan(0);
    expect(
      await moved(async () => {
        await loadRegister(stores.repository, world, LOADED_AT + 1);
        await stores.registers.load(buildSeedRegisters(world));
      }),
    ).toBe(0);
  });

  it('moves on with a resident, a household or a municipality changed, and not when one is written unchanged', async () => {
    const resident = (await stores.repository.getResident(INKAN_HOLDER))!;
    expect(await moved(() => stores.repository.putResident(resident))).toBe(0);
    expect(
      await moved(() => stores.repository.putResident({ ...resident, name: '山田 花' })),
    ).toBeGreaterThan(0);

    const household = (await stores.repository.getHousehold(resident.householdId))!;
    expect(await moved(() => stores.repository.putHousehold(household))).toBe(0);
    expect(
      await moved(() => stores.repository.putHousehold({ ...household, address: `${household.address}1` })),
    ).toBeGreaterThan(0);

    const municipality = (await stores.repository.getMunicipality('131016'))!;
    expect(
      await moved(() => stores.repository.putMunicipality({ ...municipality, participating: false })),
    ).toBeGreaterThan(0);

    const loaded = world.residents.find((r) => r.holderId === INKAN_HOLDER)!;
    expect(
      await moved(() =>
        loadRegister(
          stores.repository,
          { ...world, residents: [{ ...loaded, name: '山田 花子子' }] },
          LOADED_AT,
        ),
      ),
    ).toBeGreaterThan(0);
  });

  it('moves on with the municipal registers: an abolished 印鑑, a 利用登録 filed and decided', async () => {
    expect(await moved(() => stores.registers.abolishInkan(INKAN_HOLDER, '2026-11-25'))).toBeGreaterThan(0);
    // Abolished already: nothing written, nothing moved.
    expect(await moved(() => stores.registers.abolishInkan(INKAN_HOLDER, '2026-11-26'))).toBe(0);

    const honseki = world.residents.find((r) => r.holderId === KOSEKI_HOLDER)!.honseki!.municipalityCode;
    let requestId = '';
    expect(
      await moved(async () => {
        requestId = (await stores.registers.fileUseRegistration(KOSEKI_HOLDER, honseki, LOADED_AT)).requestId;
      }),
    ).toBeGreaterThan(0);
    expect(
      await moved(() => stores.registers.decideUseRegistration(requestId, 'approved', LOADED_AT + 1)),
    ).toBeGreaterThan(0);

    const changed = buildSeedRegisters(world);
    const tax = changed.taxes[0]!;
    changed.taxes[0] = { ...tax, municipalityCode: tax.municipalityCode === '131016' ? '452025' : '131016' };
    expect(await moved(() => stores.registers.load(changed))).toBeGreaterThan(0);
  });

  // PostgreSQL runs writers side by side (SQLite has one writer at a time): the version's row is
  // taken at commit only, so no transaction holds it while it waits for another row.
  if (backend.name === 'PostgreSQL')
    it('lets a one-row write commit while another transaction is still writing register rows', async () => {
      const open = new pg.Client({ connectionString: database.databaseUrl });
      await open.connect();
      try {
        const before = await version();
        await open.query('BEGIN');
        await open.query(`UPDATE residents SET record_json = record_json || ' ' WHERE holder_id = $1`, [
          INKAN_HOLDER,
        ]);
        const other = (await stores.repository.getResident('H0001'))!;
        const write = stores.repository.putResident({ ...other, nameKana: `${other.nameKana}ア` });
        let heldUp: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          write.then(() => 'committed'),
          new Promise((resolve) => (heldUp = setTimeout(() => resolve('held up'), 5_000))),
        ]);
        clearTimeout(heldUp);
        expect(outcome).toBe('committed');
        expect(await version()).toBe(before + 1);
        await open.query('COMMIT');
        expect(await version()).toBe(before + 2);
        await write;
      } finally {
        await open.end();
      }
    });

  it("stays where it is through a whole transaction's records: challenge, session, issuance and billing", async () => {
    expect(
      await moved(async () => {
        const repository = stores.repository;
        await repository.putChallenge({
          transactionId: TX,
          terminalId: 'S1-T1',
          challenge: 'c2lnbg==',
          expiresAt: LOADED_AT + 60_000,
        });
        expect(await repository.consumeChallenge('c2lnbg==', 'S1-T1', TX, LOADED_AT)).toEqual({
          kind: 'consumed',
        });
        await repository.saveSession({
          transactionId: TX,
          terminalId: 'S1-T1',
          holderId: INKAN_HOLDER,
          certificateFingerprint: 'a'.repeat(64),
          caFingerprint: 'ca',
          serialNumberHex: '1',
          authenticatedAt: LOADED_AT,
          expiresAt: LOADED_AT + 600_000,
        });
        await repository.recordIssuance(
          {
            transactionId: TX,
            holderId: INKAN_HOLDER,
            municipalityCode: '131016',
            certificateType: 'juminhyo',
            copies: 1,
            documentJson: '{}',
            seal: new Uint8Array([1]),
            issuedAt: LOADED_AT,
          },
          {
            transactionId: TX,
            municipalityCode: '131016',
            certificateType: 'juminhyo',
            copies: 1,
            feeYenTotal: 200,
            billedAt: LOADED_AT,
          },
        );
      }),
    ).toBe(0);
  });
});
