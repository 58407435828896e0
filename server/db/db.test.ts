import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteRepository } from './sqliteRepository.ts';
import { loadRegister } from './seedLoader.ts';
import { MIGRATIONS } from './migrations.ts';
import type { CentreRepository } from './repository.ts';
import { loadSeedWorld } from '../seed/index.ts';

const TX = '6f1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b10';

describe('SQLite repository', () => {
  let dir: string;
  let repo: CentreRepository;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'centre-db-'));
    repo = openSqliteRepository(join(dir, 'centre.sqlite'));
    await loadRegister(repo, loadSeedWorld());
  });
  afterEach(async () => {
    await repo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies every migration once, records them, and uses WAL', async () => {
    await repo.close();
    repo = openSqliteRepository(join(dir, 'centre.sqlite')); // re-open: nothing re-applied
    const raw = new Database(join(dir, 'centre.sqlite'), { readonly: true });
    const versions = raw.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('stores the register without PINs and lists current household members in order', async () => {
    const members = await repo.listHouseholdMembers('HH001');
    expect(members.map((m) => m.holderId)).toEqual(['H0001', 'H0002', 'H0003', 'H0004', 'H0005']);
    const raw = new Database(join(dir, 'centre.sqlite'), { readonly: true });
    const dump = JSON.stringify(raw.prepare('SELECT record_json FROM residents').pluck().all());
    raw.close();
    expect(dump).not.toContain('authPin');
    expect(dump).not.toContain('YAMADA2026');
    expect(await repo.listHouseholdMembers('HH005')).toEqual([]); // moved out
    expect((await repo.getMunicipality('172065'))?.offerings.juminhyo?.feeYen).toBe(250);
  });

  it('refuses invalid municipality config', async () => {
    const bad = { ...(await repo.getMunicipality('131016'))!, code: '13101' };
    await expect(repo.putMunicipality(bad)).rejects.toThrow();
  });

  it('consumes a challenge once, only with its binding and before expiry', async () => {
    await repo.putChallenge({ challenge: 'c1', terminalId: 'S1-T1', transactionId: TX, expiresAt: 1000 });
    expect(await repo.consumeChallenge('nope', 'S1-T1', TX, 10)).toEqual({ kind: 'unknown' });
    expect(await repo.consumeChallenge('c1', 'S1-T2', TX, 10)).toEqual({ kind: 'wrong-binding' });
    expect(await repo.consumeChallenge('c1', 'S1-T1', TX, 1000)).toEqual({ kind: 'expired' });
    expect(await repo.consumeChallenge('c1', 'S1-T1', TX, 999)).toEqual({ kind: 'consumed' });
    expect(await repo.consumeChallenge('c1', 'S1-T1', TX, 999)).toEqual({ kind: 'used' });
  });

  it('keeps a transaction bound to the first card', async () => {
    const s = {
      transactionId: TX,
      terminalId: 'S1-T1',
      holderId: 'H0001',
      certificateFingerprint: 'a'.repeat(64),
      caFingerprint: 'ca',
      serialNumberHex: '1',
      authenticatedAt: 1,
      expiresAt: 2,
    };
    expect(await repo.saveSession(s)).toEqual({ kind: 'saved' });
    expect(await repo.saveSession({ ...s, authenticatedAt: 5 })).toEqual({ kind: 'saved' });
    expect(
      await repo.saveSession({ ...s, holderId: 'H0002', certificateFingerprint: 'b'.repeat(64) }),
    ).toEqual({ kind: 'bound-to-other-card' });
    expect((await repo.getSession(TX))?.holderId).toBe('H0001');
  });

  it('records an issuance and its billing exactly once', async () => {
    await repo.saveSession({
      transactionId: TX,
      terminalId: 'S1-T1',
      holderId: 'H0001',
      certificateFingerprint: 'a'.repeat(64),
      caFingerprint: 'ca',
      serialNumberHex: '1',
      authenticatedAt: 1,
      expiresAt: 2,
    });
    const issued = {
      transactionId: TX,
      holderId: 'H0001',
      municipalityCode: '131016',
      certificateType: 'juminhyo',
      copies: 2,
      documentJson: '{"first":true}',
      seal: new Uint8Array([1, 2, 3]),
      issuedAt: 1,
    };
    const billing = {
      transactionId: TX,
      municipalityCode: '131016',
      certificateType: 'juminhyo',
      copies: 2,
      feeYenTotal: 400,
      billedAt: 1,
    };
    expect(await repo.recordIssuance(issued, billing)).toEqual(issued);
    const again = await repo.recordIssuance(
      { ...issued, documentJson: '{"second":true}', seal: new Uint8Array([9]) },
      billing,
    );
    expect(again.documentJson).toBe('{"first":true}');
    expect(Array.from(again.seal)).toEqual([1, 2, 3]);
    expect(await repo.listBillingRecords()).toEqual([billing]);
  });

  it('maps (CA, serial) to a holder and tracks revocation per CA', async () => {
    await repo.registerCertificate({ caFingerprint: 'ca1', serialNumberHex: '0a', holderId: 'H0001' });
    expect(await repo.findCertificateHolder('ca1', '0a')).toBe('H0001');
    expect(await repo.findCertificateHolder('ca2', '0a')).toBeUndefined();
    await repo.revokeCertificate('ca1', '0a', 5);
    expect(await repo.isCertificateRevoked('ca1', '0a')).toBe(true);
    expect(await repo.isCertificateRevoked('ca2', '0a')).toBe(false);
  });
});
