import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSealKey } from '../../protocol/seal-key-validity.ts';
import {
  keyListPayloadBytes,
  sealKeyIdFor,
  verifyKeyList,
  type KeyListPayload,
} from '../../protocol/seal-keys.ts';
import { buildAdminApp } from '../admin/admin-app.ts';
import { loadRegister } from '../db/seedLoader.ts';
import { openSqliteDatabase, sqliteRepositoryOn } from '../db/sqliteRepository.ts';
import type { CentreRepository } from '../db/repository.ts';
import { createMemoryRegisterStore } from '../municipal/register-store.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { buildSeedRegisters } from '../seed/registers.ts';
import { publishedKeysOf, testSealKeyStore } from '../test-support/seal-keys.ts';
import { SoftwareSealKeyStoreForTests } from '../test-support/software-seal-key-store.ts';
import { SealKeyring, SealKeyringError } from './seal-keyring.ts';
import { ROOT_KEY_LABEL } from './seal-key-store.ts';
import type Database from 'better-sqlite3';

const T0 = new Date('2026-11-25T03:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LIFETIME = 100 * DAY;
const CODES = ['131016', '172065', '452025'];

let db: Database.Database;
let repo: CentreRepository;
let store: SoftwareSealKeyStoreForTests;
let clock: Date;
const now = () => clock;

async function open(): Promise<SealKeyring> {
  return SealKeyring.open({ repository: repo, store, now, keyLifetimeMs: LIFETIME });
}

beforeEach(async () => {
  clock = T0;
  db = openSqliteDatabase(':memory:');
  repo = sqliteRepositoryOn(db);
  await loadRegister(repo, loadSeedWorld());
  store = await testSealKeyStore();
});
afterEach(async () => repo.close());

const activeKid = async (keyring: SealKeyring, code: string) =>
  (await keyring.keysOf(code)).find((k) => k.status === 'active')?.kid;

describe('SealKeyring', () => {
  it('refuses to start without a root key on the store', async () => {
    const empty = new SoftwareSealKeyStoreForTests();
    await expect(SealKeyring.open({ repository: repo, store: empty, now })).rejects.toThrow(SealKeyringError);
    await empty.generate(ROOT_KEY_LABEL);
    await empty.generate(ROOT_KEY_LABEL);
    await expect(SealKeyring.open({ repository: repo, store: empty, now })).rejects.toThrow(
      'root-key-ambiguous',
    );
  });

  it('gives every municipality one active key on the store, audited, and keeps them across a restart', async () => {
    const keyring = await open();
    for (const code of CODES) {
      const keys = await keyring.keysOf(code);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({
        status: 'active',
        validFrom: T0.getTime(),
        validTo: T0.getTime() + LIFETIME,
      });
      expect((await store.list()).some((k) => k.kid === keys[0]!.kid && k.label === `seal:${code}`)).toBe(
        true,
      );
      expect(await keyring.events(code)).toEqual([
        {
          at: T0.getTime(),
          actor: 'centre',
          action: 'created',
          kid: keys[0]!.kid,
          municipalityCode: code,
          detail: 'first key',
        },
      ]);
    }
    const before = await repo.listMunicipalityKeys();
    const restarted = await open();
    expect(await repo.listMunicipalityKeys()).toEqual(before);
    expect(await restarted.events('131016')).toHaveLength(1);
  });

  it('makes a key valid from the start of its second, so a seal (whole seconds) made in that second verifies', async () => {
    clock = new Date(T0.getTime() + 750);
    const keyring = await open();
    const kid = (await activeKid(keyring, '131016'))!;
    const key = (await publishedKeysOf(keyring)).get(kid)!;
    expect(Date.parse(key.validFrom)).toBe(T0.getTime());
    const sealedThisSecond = { municipalityCode: '131016', issuedAt: T0.toISOString() };
    expect(checkSealKey(key, sealedThisSecond, clock)).toEqual({ ok: true });
    const sealedSecondBefore = {
      municipalityCode: '131016',
      issuedAt: new Date(T0.getTime() - 1000).toISOString(),
    };
    expect(checkSealKey(key, sealedSecondBefore, clock)).toMatchObject({ ok: false });
  });

  it('never stores a private key in the database', async () => {
    await open();
    const columns = (table: string) =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string; type: string }>).map(
        (c) => c.name,
      );
    expect(columns('municipality_keys')).toEqual([
      'kid',
      'municipality_code',
      'public_key_spki',
      'created_at',
      'valid_from',
      'valid_to',
      'status',
      'revoked_at',
    ]);
    // Every stored key is a public key, byte for byte what the store holds.
    const onStore = new Map((await store.list()).map((k) => [k.kid, Buffer.from(k.publicKeySpkiDer)]));
    for (const key of await repo.listMunicipalityKeys())
      expect(Buffer.from(key.publicKeySpkiDer).equals(onStore.get(key.kid)!)).toBe(true);
  });

  it('publishes every key in a list the root signs, re-signed only when the keys change', async () => {
    const keyring = await open();
    const list = await keyring.publishedKeyList();
    const verified = verifyKeyList(list, keyring.rootPublicKeys());
    if (!verified.ok) throw new Error(verified.error.kind);
    expect([...verified.keys.values()].map((k) => [k.municipalityCode, k.status]).sort()).toEqual(
      CODES.map((c) => [c, 'active']),
    );
    const rootKid = [...keyring.rootPublicKeys().keys()][0]!;
    expect(list.rootKid).toBe(rootKid);
    const rootSignatures = store.signatures.get(rootKid);
    clock = new Date(T0.getTime() + HOUR);
    expect(await keyring.publishedKeyList()).toBe(list);
    expect(store.signatures.get(rootKid)).toBe(rootSignatures);
    // Another root does not vouch for it, under its own kid or under the genuine root's.
    const other = new Uint8Array(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }),
    );
    expect(verifyKeyList(list, new Map([[sealKeyIdFor(other), other]]))).toMatchObject({
      ok: false,
      error: { kind: 'key-list-unknown-root' },
    });
    expect(verifyKeyList(list, new Map([[rootKid, other]]))).toMatchObject({
      ok: false,
      error: { kind: 'key-list-signature-invalid' },
    });
    await keyring.rotate('131016', 'admin:131016');
    const next = await keyring.publishedKeyList();
    expect(next).not.toEqual(list);
    expect(verifyKeyList(next, keyring.rootPublicKeys()).ok).toBe(true);
    // A second centre on the same database sees the change at once.
    const other2 = await open();
    expect((await other2.publishedKeyList()).payload).toBe(next.payload);
  });

  it('rotates: the new key signs, the old one is retired and still verifies what it sealed', async () => {
    const keyring = await open();
    const old = (await activeKid(keyring, '131016'))!;
    clock = new Date(T0.getTime() + DAY);
    const rotated = await keyring.rotate('131016', 'admin:131016', 'scheduled');
    if (!rotated.ok) throw new Error(rotated.failure.kind);
    const fresh = (await activeKid(keyring, '131016'))!;
    expect(fresh).not.toBe(old);
    expect((await keyring.signerFor('131016'))?.kid).toBe(fresh);
    const published = await publishedKeysOf(keyring);
    expect(published.get(old)?.status).toBe('retired');
    const sealedBefore = {
      municipalityCode: '131016',
      issuedAt: new Date(T0.getTime() + HOUR).toISOString(),
    };
    expect(checkSealKey(published.get(old)!, sealedBefore, clock)).toEqual({ ok: true });
    expect((await keyring.events('131016')).slice(1)).toEqual([
      expect.objectContaining({ actor: 'admin:131016', action: 'retired', kid: old }),
      expect.objectContaining({
        actor: 'admin:131016',
        action: 'created',
        kid: fresh,
        detail: `scheduled, replaces ${old}`,
      }),
    ]);
    // Other municipalities are untouched.
    expect(await keyring.keysOf('452025')).toHaveLength(1);
    expect(await keyring.rotate('999999', 'admin:999999')).toEqual({
      ok: false,
      failure: { kind: 'unknown-municipality', municipalityCode: '999999' },
    });
  });

  it('revokes from a date: seals made before are "sealed before revocation", after it "revoked"', async () => {
    const keyring = await open();
    const old = (await activeKid(keyring, '131016'))!;
    clock = new Date(T0.getTime() + 10 * DAY);
    await keyring.rotate('131016', 'admin:131016');
    const revokedAt = new Date(T0.getTime() + 5 * DAY);
    const revoked = await keyring.revoke('131016', old, {
      actor: 'admin:131016',
      reason: 'key-compromise',
      revokedAt,
    });
    if (!revoked.ok) throw new Error(revoked.failure.kind);
    const key = (await publishedKeysOf(keyring)).get(old)!;
    expect(key).toMatchObject({ status: 'revoked', revokedAt: revokedAt.toISOString() });
    const sealedAt = (ms: number) => ({ municipalityCode: '131016', issuedAt: new Date(ms).toISOString() });
    expect(checkSealKey(key, sealedAt(T0.getTime() + DAY), clock)).toEqual({
      ok: true,
      note: 'sealed-before-revocation',
    });
    expect(checkSealKey(key, sealedAt(revokedAt.getTime()), clock)).toMatchObject({
      ok: false,
      error: { kind: 'seal-key-revoked', kid: old },
    });
    expect(await keyring.revoke('131016', old, { actor: 'admin:131016', reason: 'superseded' })).toEqual({
      ok: false,
      failure: { kind: 'already-revoked', kid: old },
    });
    expect((await keyring.events('131016')).at(-1)).toMatchObject({
      actor: 'admin:131016',
      action: 'revoked',
      kid: old,
      detail: `key-compromise; revoked from ${revokedAt.toISOString()}`,
    });
  });

  it('replaces a revoked active key at once, and refuses revocation dates in the future or before the key', async () => {
    const keyring = await open();
    const active = (await activeKid(keyring, '172065'))!;
    clock = new Date(T0.getTime() + DAY);
    const opts = { actor: 'admin:172065', reason: 'key-compromise' };
    expect(
      await keyring.revoke('172065', active, { ...opts, revokedAt: new Date(clock.getTime() + 1) }),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'revocation-time-invalid', detail: 'in the future' },
    });
    expect(
      await keyring.revoke('172065', active, { ...opts, revokedAt: new Date(T0.getTime() - 1) }),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'revocation-time-invalid', detail: 'before the key was valid' },
    });
    expect(await keyring.revoke('131016', active, opts)).toEqual({
      ok: false,
      failure: { kind: 'unknown-key', kid: active },
    });
    const result = await keyring.revoke('172065', active, opts);
    if (!result.ok) throw new Error(result.failure.kind);
    const replacement = (await activeKid(keyring, '172065'))!;
    expect(replacement).not.toBe(active);
    expect((await keyring.signerFor('172065'))?.kid).toBe(replacement);
    expect(result.keys.map((k) => k.status).sort()).toEqual(['active', 'revoked']);
  });

  it('rotates a key past its signing half at start, and a key past validTo verifies nothing', async () => {
    const keyring = await open();
    const first = (await activeKid(keyring, '131016'))!;
    clock = new Date(T0.getTime() + LIFETIME / 2 + 1);
    const later = await open();
    const second = (await activeKid(later, '131016'))!;
    expect(second).not.toBe(first);
    expect((await later.events('131016')).at(-1)).toMatchObject({
      action: 'created',
      kid: second,
      detail: `expiry, replaces ${first}`,
    });
    const old = (await publishedKeysOf(later)).get(first)!;
    const sealed = { municipalityCode: '131016', issuedAt: new Date(T0.getTime() + HOUR).toISOString() };
    expect(checkSealKey(old, sealed, clock).ok).toBe(true);
    expect(checkSealKey(old, sealed, new Date(T0.getTime() + LIFETIME))).toMatchObject({
      ok: false,
      error: { kind: 'seal-key-expired', kid: first },
    });
    // A key past validTo does not sign.
    clock = new Date(T0.getTime() + 2 * LIFETIME);
    expect(await later.signerFor('131016')).toBeUndefined();
  });

  it('lets exactly one of two centres rotate at once and removes the loser’s key from the store', async () => {
    const a = await open();
    const b = await open();
    const before = (await activeKid(a, '452025'))!;
    const results = await Promise.all([
      a.rotate('452025', 'admin:452025'),
      b.rotate('452025', 'admin:452025'),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, failure: { kind: 'concurrent-change' } }]);
    const keys = await a.keysOf('452025');
    expect(keys.map((k) => k.status).sort()).toEqual(['active', 'retired']);
    expect(keys.find((k) => k.status === 'retired')?.kid).toBe(before);
    const municipalOnStore = (await store.list()).filter((k) => k.label === 'seal:452025').map((k) => k.kid);
    expect(municipalOnStore.sort()).toEqual(keys.map((k) => k.kid).sort());
  });

  it('a forged payload under the genuine signature does not verify', async () => {
    const keyring = await open();
    const list = await keyring.publishedKeyList();
    const payload = JSON.parse(Buffer.from(list.payload, 'base64').toString('utf8')) as KeyListPayload;
    const forged = { ...payload, keys: payload.keys.map((k) => ({ ...k, municipalityCode: '131016' })) };
    const tampered = { ...list, payload: Buffer.from(keyListPayloadBytes(forged)).toString('base64') };
    expect(verifyKeyList(tampered, keyring.rootPublicKeys())).toEqual({
      ok: false,
      error: { kind: 'key-list-signature-invalid' },
    });
  });
});

describe('admin API for seal keys', () => {
  const TOKEN = 'chiyoda-admin-token';
  it('lists, rotates and revokes with the municipality’s token, auditing each change', async () => {
    const keyring = await open();
    const admin = buildAdminApp({
      repository: repo,
      registers: createMemoryRegisterStore(buildSeedRegisters(loadSeedWorld())),
      keyring,
      tokens: { '131016': TOKEN },
      now,
    });
    const call = (method: 'GET' | 'POST', path: string, body?: object, token = TOKEN) =>
      admin.inject({
        method,
        url: `/admin/v1/municipalities/131016/seal-keys${path}`,
        headers: { authorization: `Bearer ${token}` },
        ...(body ? { payload: body } : {}),
      });
    expect((await call('GET', '', undefined, 'wrong')).statusCode).toBe(401);
    const listed = (await call('GET', '')).json() as { keys: Array<{ kid: string; status: string }> };
    expect(listed.keys.map((k) => k.status)).toEqual(['active']);
    const first = listed.keys[0]!.kid;
    clock = new Date(T0.getTime() + DAY);
    const rotated = await call('POST', '/rotate', { reason: 'scheduled' });
    expect(rotated.statusCode).toBe(200);
    expect((rotated.json() as { keys: Array<{ status: string }> }).keys.map((k) => k.status)).toEqual([
      'retired',
      'active',
    ]);
    expect((await call('POST', '/rotate', { reason: 'because' })).statusCode).toBe(400);
    expect(
      (
        await call('POST', `/${first}/revoke`, {
          reason: 'key-compromise',
          revokedAt: '2030-01-01T00:00:00+09:00',
        })
      ).json(),
    ).toEqual({
      error: 'invalid-revocation',
      details: ['revokedAt: in the future'],
    });
    const revoked = await call('POST', `/${first}/revoke`, {
      reason: 'key-compromise',
      revokedAt: '2026-11-25T15:00:00+09:00',
    });
    expect(revoked.statusCode).toBe(200);
    expect(
      (revoked.json() as { keys: Array<{ kid: string; status: string; revokedAt?: string }> }).keys[0],
    ).toMatchObject({
      kid: first,
      status: 'revoked',
      revokedAt: '2026-11-25T15:00:00+09:00',
    });
    expect((await call('POST', `/${first}/revoke`, { reason: 'superseded' })).statusCode).toBe(409);
    expect((await call('POST', '/0123456789abcdef/revoke', { reason: 'superseded' })).statusCode).toBe(404);
    const events = (await call('GET', '/events')).json() as {
      events: Array<{ actor: string; action: string }>;
    };
    expect(events.events.map((e) => `${e.actor} ${e.action}`)).toEqual([
      'centre created',
      'admin:131016 retired',
      'admin:131016 created',
      'admin:131016 revoked',
    ]);
  });
});
