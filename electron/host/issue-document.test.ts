import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleHousehold } from '../../certificate-templates/sample-documents.ts';
import {
  createPageSeals,
  holderBindingFor,
  inMemorySealSigner,
  keyListPayloadBytes,
  sealKeyIdFor,
  type CertificateDocument,
  type KeyListPayload,
  type PublishedSealKeyEntry,
  type SealKeyStatus,
  type SignedKeyList,
} from '../../protocol/index.ts';
import type { CentreClient, CentreResult } from './centre-client.ts';
import { createMunicipalityKeyRing, holderBindingOf, issueDocument } from './issue-document.ts';
import { fakeCentre } from './test-support/fakes.ts';

/**
 * The kiosk trusts a seal key only through a list signed by a provisioned root, and only for
 * the municipality, the time and the status that list gives it.
 */
interface TestKey {
  kid: string;
  spki: Uint8Array;
  privateKey: KeyObject;
}
function newKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  return { kid: sealKeyIdFor(spki), spki, privateKey };
}

const root = newKey();
const otherRoot = newKey();
const chiyoda = newKey();
const miyakonojo = newKey();
const ROOTS = new Map([[root.kid, root.spki]]);

const CERT = new Uint8Array([0x30, 0x82, 1, 2, 3]);
const TX = '6f1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b10';
const NOW = new Date('2026-11-25T01:00:05Z'); // just after the sample's issuedAt (10:00 JST)
const DOCUMENT: CertificateDocument = {
  ...sampleHousehold(2),
  holderBinding: holderBindingFor(
    sampleHousehold(2).holderSalt,
    createHash('sha256').update(CERT).digest('hex'),
  ),
};

function entry(
  key: TestKey,
  municipalityCode: string,
  over: { status?: SealKeyStatus; revokedAt?: string; validTo?: string } = {},
): PublishedSealKeyEntry {
  return {
    kid: key.kid,
    municipalityCode,
    publicKeySpki: Buffer.from(key.spki).toString('base64'),
    validFrom: '2026-01-01T00:00:00Z',
    validTo: over.validTo ?? '2028-01-01T00:00:00Z',
    status: over.status ?? 'active',
    ...(over.revokedAt ? { revokedAt: over.revokedAt } : {}),
  };
}

function signedList(keys: PublishedSealKeyEntry[], by: TestKey = root): SignedKeyList {
  const payload: KeyListPayload = { v: 1, issuedAt: '2026-11-25T00:00:00Z', keys };
  const bytes = keyListPayloadBytes(payload);
  return {
    payload: Buffer.from(bytes).toString('base64'),
    signature: sign('sha256', bytes, { key: by.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64'),
    rootKid: by.kid,
  };
}

/** Answers issue and municipalityKeys; the session's other calls are never made here. */
function centreAnswering(answer: { seals: Uint8Array[]; list: SignedKeyList }): CentreClient {
  const unused = async (): Promise<CentreResult<never>> => ({
    ok: false,
    failure: { kind: 'centre-unreachable', detail: 'unused' },
  });
  return fakeCentre({
    challenge: unused,
    authenticate: unused,
    issue: async () => ({
      ok: true,
      value: { document: DOCUMENT, seals: answer.seals.map((seal) => Buffer.from(seal).toString('base64')) },
    }),
    municipalityKeys: async () => ({ ok: true, value: answer.list }),
  });
}

async function issueWith(sealKey: TestKey, list: SignedKeyList, now = NOW) {
  const seals = await createPageSeals(DOCUMENT, inMemorySealSigner(sealKey.kid, sealKey.privateKey));
  const centre = centreAnswering({ seals, list });
  return issueDocument({
    centre,
    keyRing: createMunicipalityKeyRing(centre, ROOTS),
    render: async () => ({ ok: true, pdf: new Uint8Array([0x25, 0x50, 0x44, 0x46]) }),
    terminalId: 'S0001-T01',
    transactionId: TX,
    certificateType: 'juminhyo',
    copies: 1,
    quotedFeeYen: 200,
    holderBinding: holderBindingOf(CERT),
    now: () => now,
  });
}

const genuine = () => signedList([entry(chiyoda, '131016'), entry(miyakonojo, '452025')]);

describe('the kiosk’s seal key ring', () => {
  it('prints a document sealed by its municipality’s key on a root-signed list', async () => {
    expect(await issueWith(chiyoda, genuine())).toMatchObject({ ok: true, documentId: DOCUMENT.documentId });
  });

  it('refuses a forged list: keys changed under the root’s signature', async () => {
    const list = genuine();
    const payload = JSON.parse(Buffer.from(list.payload, 'base64').toString('utf8')) as KeyListPayload;
    const attacker = newKey();
    payload.keys[0] = entry(attacker, '131016');
    const forged = { ...list, payload: Buffer.from(keyListPayloadBytes(payload)).toString('base64') };
    expect(await issueWith(attacker, forged)).toEqual({
      ok: false,
      error: 'document-invalid',
      detail: 'key-list-signature-invalid',
    });
  });

  it('refuses a list signed by another root, even one that names itself as ours', async () => {
    const attacker = newKey();
    const byOther = signedList([entry(attacker, '131016')], otherRoot);
    expect(await issueWith(attacker, byOther)).toEqual({
      ok: false,
      error: 'document-invalid',
      detail: 'key-list-unknown-root',
    });
    expect(await issueWith(attacker, { ...byOther, rootKid: root.kid })).toEqual({
      ok: false,
      error: 'document-invalid',
      detail: 'key-list-signature-invalid',
    });
  });

  it('refuses a seal by a revoked key, whether sealed after or before the revocation date', async () => {
    const after = signedList([
      entry(chiyoda, '131016', { status: 'revoked', revokedAt: '2026-11-24T00:00:00Z' }),
    ]);
    expect(await issueWith(chiyoda, after)).toEqual({
      ok: false,
      error: 'document-invalid',
      detail: 'seal-key-revoked',
    });
    const before = signedList([
      entry(chiyoda, '131016', { status: 'revoked', revokedAt: '2026-11-25T01:00:01Z' }),
    ]);
    expect(await issueWith(chiyoda, before)).toEqual({
      ok: false,
      error: 'document-invalid',
      detail: 'seal-key-revoked',
    });
  });

  it('refuses a seal by an expired key', async () => {
    const expired = signedList([entry(chiyoda, '131016', { validTo: '2026-11-25T01:00:00Z' })]);
    expect(await issueWith(chiyoda, expired)).toEqual({
      ok: false,
      error: 'document-invalid',
      detail: 'seal-key-expired',
    });
    expect(await issueWith(chiyoda, genuine(), new Date('2028-01-01T00:00:00Z'))).toEqual({
      ok: false,
      error: 'document-invalid',
      detail: 'seal-key-expired',
    });
  });

  it('refuses a document of one municipality sealed with another municipality’s key', async () => {
    expect(await issueWith(miyakonojo, genuine())).toEqual({
      ok: false,
      error: 'document-invalid',
      detail: 'seal-key-wrong-municipality',
    });
  });

  it('refuses a seal by a key on no list', async () => {
    expect(await issueWith(newKey(), genuine())).toEqual({
      ok: false,
      error: 'document-invalid',
      detail: 'seal-unknown-key',
    });
  });
});
