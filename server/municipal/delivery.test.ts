import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signDeliveryReport } from '../../protocol/delivery-signature.ts';
import { createDevPki, type DevPki } from '../../scripts/dev-pki.ts';
import { openCentreRepository, type DatabaseConfig } from '../db/openRepository.ts';
import type { CentreRepository } from '../db/repository.ts';
import { loadRegister } from '../db/seedLoader.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { buildSeedRegisters } from '../seed/registers.ts';
import type { SeedRegisters } from '../seed/types.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from '../test-support/backends.ts';
import { recordDelivery, type DeliveryDeps } from './delivery.ts';
import { SealKeyring } from '../keys/seal-keyring.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import { issueCertificate, type IssuerDeps } from './issue.ts';
import { createMemoryRegisterStore } from './register-store.ts';

const NOON_WEDNESDAY = new Date('2026-11-25T03:00:00Z'); // 12:00 JST
const TX = '0b7f6a52-3c1d-4e8f-9a10-5d6e7f809a1b';
const TERMINAL = 'S0001-T01';
let builtRegisters: SeedRegisters | undefined;
const seedRegisters = (): SeedRegisters => (builtRegisters ??= buildSeedRegisters(loadSeedWorld()));
let pkiDir: string;
let pki: DevPki;
beforeAll(async () => {
  pkiDir = await mkdtemp(join(tmpdir(), 'delivery-pki-'));
  pki = await createDevPki({
    outDir: pkiDir,
    terminals: [{ terminalId: TERMINAL }, { terminalId: 'S0002-T01' }],
  });
});
afterAll(async () => rm(pkiDir, { recursive: true, force: true }));
/** The connection of a terminal's mutual-TLS handshake: its certificate, DER. */
const connectionOf = (terminalId: string) => ({
  terminalCertificateDer: new Uint8Array(
    Buffer.from(pki.terminals.get(terminalId)!.certificatePem.replace(/-----[^-]+-----|\s/g, ''), 'base64'),
  ),
});
const keyOf = (terminalId: string) => pki.terminals.get(terminalId)!.privateKeyPem;

describe.each(databaseBackends())('quoted fee and billing that follows delivery on $name', (backend) => {
  let repo: CentreRepository;
  let issuer: IssuerDeps;
  let delivery: DeliveryDeps & { recorded: string[] };
  let seeded: () => Promise<DatabaseConfig>;
  beforeAll(async () => {
    await backend.setup();
    seeded = await backend.template(async (config) => {
      const store = await openCentreRepository(config);
      await loadRegister(store, loadSeedWorld());
      await store.close();
    });
  }, BACKEND_SETUP_TIMEOUT_MS);
  afterAll(() => backend.teardown());
  beforeEach(async () => {
    repo = await openCentreRepository(await seeded());
    const now = () => NOON_WEDNESDAY;
    issuer = {
      repository: repo,
      registers: createMemoryRegisterStore(seedRegisters()),
      keyring: await SealKeyring.open({ repository: repo, store: await testSealKeyStore(), now }),
      now,
    };
    const recorded: string[] = [];
    delivery = {
      repository: repo,
      now,
      recorded,
      onDeliveryRecorded: async (transactionId, outcome) => {
        recorded.push(`${transactionId}:${outcome}`);
      },
    };
    await repo.saveSession({
      transactionId: TX,
      terminalId: TERMINAL,
      holderId: 'H0002',
      certificateFingerprint: 'ab'.repeat(32),
      caFingerprint: 'c'.repeat(64),
      serialNumberHex: '1001',
      authenticatedAt: NOON_WEDNESDAY.getTime(),
      expiresAt: NOON_WEDNESDAY.getTime() + 15 * 60_000,
    });
  });
  afterEach(async () => repo?.close());

  const request = (quotedFeeYen: number, copies = 2) => ({
    transactionId: TX,
    terminalId: TERMINAL,
    certificateType: 'juminhyo' as const,
    copies,
    quotedFeeYen,
  });

  it('refuses a fee that changed after the menu, before anything is recorded', async () => {
    // 千代田区's 住民票 is 200円: the menu showed 300円 (an old fee).
    expect(await issueCertificate(issuer, request(300))).toEqual({
      ok: false,
      error: { kind: 'fee-changed', detail: 'quoted fee differs from the municipality fee' },
    });
    expect(await repo.getIssuedDocument(TX)).toBeUndefined();
    expect(await repo.listBillingRecords()).toEqual([]);
    expect(
      await recordDelivery(delivery, TX, { terminalId: TERMINAL, outcome: 'voided', copies: 0 }),
    ).toMatchObject({ ok: false, error: { kind: 'not-issued' } });
  });

  it('records the issuance as pending and bills the delivered copies at the quoted fee', async () => {
    expect((await issueCertificate(issuer, request(200))).ok).toBe(true);
    expect((await repo.listBillingRecords()).map((b) => [b.state, b.feeYenTotal])).toEqual([
      ['pending', 400],
    ]);
    // One of two copies printed (the printer ran out mid-job): billed for one.
    const first = await recordDelivery(delivery, TX, {
      terminalId: TERMINAL,
      outcome: 'delivered',
      copies: 1,
    });
    expect(first).toEqual({
      ok: true,
      value: { transactionId: TX, billing: 'billed', copies: 1, feeYenTotal: 200 },
    });
    // Retried (the acknowledgement was lost): the same answer, nothing billed twice.
    expect(
      await recordDelivery(delivery, TX, { terminalId: TERMINAL, outcome: 'delivered', copies: 1 }),
    ).toEqual(first);
    expect(
      await recordDelivery(delivery, TX, { terminalId: TERMINAL, outcome: 'voided', copies: 0 }),
    ).toMatchObject({ ok: false, error: { kind: 'delivery-conflict' } });
    const [entry] = await repo.listBillingRecords();
    expect(entry?.state).toBe('billed');
    expect(entry?.settlement?.billedYen).toBe(200);
    expect(delivery.recorded).toEqual([`${TX}:delivered`, `${TX}:delivered`]);
  });

  it('bills nothing for a voided transaction and answers only the terminal that issued it', async () => {
    expect((await issueCertificate(issuer, request(200, 1))).ok).toBe(true);
    expect(
      await recordDelivery(delivery, TX, { terminalId: 'S0002-T01', outcome: 'voided', copies: 0 }),
    ).toMatchObject({ ok: false, error: { kind: 'not-issued' } });
    expect(
      await recordDelivery(delivery, TX, { terminalId: TERMINAL, outcome: 'delivered', copies: 2 }),
    ).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
    expect(
      await recordDelivery(delivery, TX, { terminalId: TERMINAL, outcome: 'voided', copies: 0 }),
    ).toEqual({
      ok: true,
      value: { transactionId: TX, billing: 'voided', copies: 0, feeYenTotal: 0 },
    });
    expect((await repo.listBillingRecords()).map((b) => b.state)).toEqual(['voided']);
  });

  it("over mutual TLS bills only a report signed by the connection's terminal key, keeps the signature, and answers a replay the same", async () => {
    expect((await issueCertificate(issuer, request(200))).ok).toBe(true);
    const connection = connectionOf(TERMINAL);
    const report = { terminalId: TERMINAL, outcome: 'delivered' as const, copies: 2 };
    const at = new Date('2026-11-25T03:01:00Z');
    // Unsigned, signed by another terminal's key, or signed and then altered: refused, nothing billed.
    const forged = [
      report,
      signDeliveryReport(TX, report, keyOf('S0002-T01'), at),
      { ...signDeliveryReport(TX, { ...report, copies: 1 }, keyOf(TERMINAL), at), copies: 2 },
      { ...signDeliveryReport(TX, report, keyOf(TERMINAL), at), reportedAt: '2026-11-25T03:02:00.000Z' },
    ];
    for (const body of forged)
      expect(await recordDelivery(delivery, TX, body, connection)).toMatchObject({
        ok: false,
        error: { kind: 'signature-invalid' },
      });
    // Signed for another transaction: the signature covers the transaction id.
    const elsewhere = signDeliveryReport('5a0c7a52-3c1d-4e8f-9a10-5d6e7f809a1b', report, keyOf(TERMINAL), at);
    expect(await recordDelivery(delivery, TX, elsewhere, connection)).toMatchObject({
      ok: false,
      error: { kind: 'signature-invalid' },
    });
    expect((await repo.listBillingRecords()).map((b) => b.state)).toEqual(['pending']);
    expect(delivery.recorded).toEqual([]);

    const signed = signDeliveryReport(TX, report, keyOf(TERMINAL), at);
    const first = await recordDelivery(delivery, TX, signed, connection);
    expect(first).toEqual({
      ok: true,
      value: { transactionId: TX, billing: 'billed', copies: 2, feeYenTotal: 400 },
    });
    // The same report again (its acknowledgement lost), and the outbox's re-signed retry: same answer.
    expect(await recordDelivery(delivery, TX, signed, connection)).toEqual(first);
    const resigned = signDeliveryReport(TX, report, keyOf(TERMINAL), new Date(at.getTime() + 30_000));
    expect(await recordDelivery(delivery, TX, resigned, connection)).toEqual(first);
    const entries = await repo.listBillingRecords();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.settlement).toEqual({
      outcome: 'delivered',
      copies: 2,
      billedYen: 400,
      settledAt: NOON_WEDNESDAY.getTime(),
      proof: { signature: signed.signature, reportedAt: at.getTime() },
    });
  });
});
