import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleHousehold } from '../../certificate-templates/sample-documents.ts';
import { checkSealKey } from '../../protocol/seal-key-validity.ts';
import { verifyKeyList } from '../../protocol/seal-keys.ts';
import { createSealWith } from '../../protocol/seal-signer.ts';
import { verifySeal } from '../../protocol/seal.ts';
import { createCentre } from '../centre.ts';
import { loadRegister } from '../db/seedLoader.ts';
import { openSqliteDatabase, sqliteRepositoryOn } from '../db/sqliteRepository.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { acquirePkcs11Module, releasePkcs11Module, slotOfToken } from './pkcs11-module.ts';
import { Pkcs11SealKeyStore, type Pkcs11TokenConfig } from './pkcs11-seal-key-store.ts';
import { ROOT_KEY_LABEL } from './seal-key-store.ts';
import { SealKeyring } from './seal-keyring.ts';
import { createSoftHsmToken } from './softhsm-token.ts';

/** The seal keys through a real SoftHSM2 token (Debian softhsm2), as the dev world and the centre use it. */
const T0 = new Date('2026-11-25T00:30:00Z');
let dir: string;
let token: Pkcs11TokenConfig;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seal-hsm-'));
  token = await createSoftHsmToken({
    dir: join(dir, 'hsm'),
    tokenLabel: 'kiosk-seals',
    userPin: '246810',
    soPin: '135791',
  });
  const store = Pkcs11SealKeyStore.open(token);
  await store.generate(ROOT_KEY_LABEL);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Pkcs11SealKeyStore on SoftHSM2', () => {
  it('refuses a wrong PIN and an unknown token, naming neither PIN', () => {
    expect(() => Pkcs11SealKeyStore.open({ ...token, userPin: '000000' })).toThrow(/token-login-failed/);
    try {
      Pkcs11SealKeyStore.open({ ...token, userPin: '000000' });
    } catch (error) {
      expect(String(error)).not.toContain('000000');
      expect(String(error)).not.toContain(token.userPin);
    }
    expect(() => Pkcs11SealKeyStore.open({ ...token, tokenLabel: 'no-such-token' })).toThrow(
      /token-not-found/,
    );
  });

  it('generates sensitive, non-extractable keys and signs ES256 that verifies', async () => {
    const store = Pkcs11SealKeyStore.open(token);
    try {
      const key = await store.generate('seal:131016');
      expect((await store.list()).map((k) => k.kid)).toContain(key.kid);
      const seal = await createSealWith(sampleHousehold(1), {
        kid: key.kid,
        sign: (b) => store.sign(key.kid, b),
      });
      expect(verifySeal(seal, new Map([[key.kid, key.publicKeySpkiDer]]))).toMatchObject({
        ok: true,
        kid: key.kid,
      });
      await expect(store.sign('0000000000000000', new Uint8Array(1))).rejects.toThrow(/key-not-on-store/);

      // Look at the private key as any other application on the token would.
      const pkcs11 = acquirePkcs11Module(token);
      const session = pkcs11.C_OpenSession(
        slotOfToken(pkcs11, token.tokenLabel)!,
        pkcs11js.CKF_SERIAL_SESSION,
      );
      try {
        pkcs11.C_FindObjectsInit(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_ID, value: Buffer.from(key.kid, 'hex') },
        ]);
        const [handle] = pkcs11.C_FindObjects(session, 2);
        pkcs11.C_FindObjectsFinal(session);
        const [sensitive, extractable] = pkcs11.C_GetAttributeValue(session, handle!, [
          { type: pkcs11js.CKA_SENSITIVE },
          { type: pkcs11js.CKA_EXTRACTABLE },
        ]);
        expect(sensitive?.value).toEqual(Buffer.from([1]));
        expect(extractable?.value).toEqual(Buffer.from([0]));
        expect(() => pkcs11.C_GetAttributeValue(session, handle!, [{ type: pkcs11js.CKA_VALUE }])).toThrow(
          /ATTRIBUTE_SENSITIVE/,
        );
      } finally {
        pkcs11.C_CloseSession(session);
        releasePkcs11Module(token.modulePath);
      }
      await store.destroy(key.kid);
      expect((await store.list()).map((k) => k.kid)).not.toContain(key.kid);
    } finally {
      await store.close();
    }
  });

  it('signs, rotates and revokes through the token; a restart keeps every key; the database holds none', async () => {
    let clock = T0;
    const path = join(dir, 'centre.sqlite');
    const openAll = async () => {
      const db = openSqliteDatabase(path);
      const repository = sqliteRepositoryOn(db);
      await loadRegister(repository, loadSeedWorld());
      const store = Pkcs11SealKeyStore.open(token);
      const keyring = await SealKeyring.open({ repository, store, now: () => clock });
      return {
        db,
        keyring,
        close: async () => {
          await repository.close();
          await store.close();
        },
      };
    };
    const first = await openAll();
    const signer = (await first.keyring.signerFor('131016'))!;
    const document = sampleHousehold(2);
    const oldSeal = await createSealWith(document, signer);
    clock = new Date(T0.getTime() + 3_600_000);
    expect((await first.keyring.rotate('131016', 'admin:131016')).ok).toBe(true);
    const revokedAt = new Date(T0.getTime() + 1_800_000);
    expect(
      (
        await first.keyring.revoke('131016', signer.kid, {
          actor: 'admin:131016',
          reason: 'key-compromise',
          revokedAt,
        })
      ).ok,
    ).toBe(true);
    const listBefore = await first.keyring.publishedKeyList();
    const columns = (
      first.db.prepare('PRAGMA table_info(municipality_keys)').all() as Array<{ name: string }>
    ).map((c) => c.name);
    expect(columns.some((c) => c.includes('private'))).toBe(false);
    await first.close();

    const second = await openAll();
    try {
      const list = await second.keyring.publishedKeyList();
      expect(JSON.parse(Buffer.from(list.payload, 'base64').toString()).keys).toEqual(
        JSON.parse(Buffer.from(listBefore.payload, 'base64').toString()).keys,
      );
      const published = verifyKeyList(list, second.keyring.rootPublicKeys());
      if (!published.ok) throw new Error(published.error.kind);
      const verified = verifySeal(
        oldSeal,
        new Map([...published.keys].map(([kid, k]) => [kid, k.publicKeySpkiDer])),
      );
      if (!verified.ok) throw new Error(verified.error.kind);
      // document.issuedAt (10:00 JST = 01:00Z) is after the revocation instant (00:30Z + 30 min).
      expect(checkSealKey(published.keys.get(signer.kid)!, verified.payload, clock)).toMatchObject({
        ok: false,
        error: { kind: 'seal-key-revoked' },
      });
      const current = (await second.keyring.signerFor('131016'))!;
      expect(current.kid).not.toBe(signer.kid);
      const newSeal = await createSealWith(document, current);
      expect(
        verifySeal(newSeal, new Map([[current.kid, published.keys.get(current.kid)!.publicKeySpkiDer]])).ok,
      ).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('a centre opens the token from its configuration and publishes the root-signed list', async () => {
    const options = {
      databasePath: join(dir, 'centre-2.sqlite'),
      trustedCaCertificates: [],
      certificateRegistry: [],
      sealKeys: { pkcs11: token },
      now: () => T0,
      logger: false as const,
    };
    const centre = await createCentre(options);
    const roots = centre.keyring.rootPublicKeys();
    const answer = (await centre.app.inject({ method: 'GET', url: '/v1/municipality-keys' })).json();
    await centre.close();
    const verified = verifyKeyList(answer, roots);
    if (!verified.ok) throw new Error(verified.error.kind);
    expect(new Set([...verified.keys.values()].map((k) => k.municipalityCode))).toEqual(
      new Set(['131016', '172065', '452025']),
    );
    const again = await createCentre(options);
    try {
      const list = (await again.app.inject({ method: 'GET', url: '/v1/municipality-keys' })).json();
      expect(verifyKeyList(list, roots)).toMatchObject({ ok: true });
      expect(list.payload).toBe(answer.payload);
    } finally {
      await again.close();
    }
  });
});
