/**
 * The phone's step of the PIN reset, end to end in one process: the dev world's virtual cards
 * (real face photos in their 券面AP), the centre's /v1/phone endpoints, the real face model
 * (loaded once for the file), and the one-time password it grants.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessCardReader } from '../../native/virtual-card/in-process-reader.ts';
import { isPersonalisationError, loadPersonalisation } from '../../native/virtual-card/personalisation.ts';
import { isCardError } from '../../native/card-transport.ts';
import { centreOptionsFor, ensureDevWorld, openVirtualCard, type DevWorld } from '../../scripts/dev/world.ts';
import { impostorSelfieJpeg, selfieJpeg } from '../../scripts/dev/test-faces.ts';
import { phonePinReset, type PhoneOutcome } from '../../scripts/phone/phone-client.ts';
import { createCentre, type Centre } from '../centre.ts';
import { sha256Hex } from '../auth/trustStore.ts';
import { loadRegister } from '../db/seedLoader.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import { loadFaceModel } from './face-model.ts';

let dir: string;
let world: DevWorld;
let centre: Centre;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phone-'));
  world = await ensureDevWorld(join(dir, 'world'));
  centre = await createCentre({
    ...centreOptionsFor(world),
    databasePath: join(dir, 'centre.sqlite'),
    sealKeys: { store: await testSealKeyStore() },
    logger: false,
    printability: () => [],
  });
  await loadFaceModel(); // once for the file, outside any one test's time
}, 120_000);

afterAll(async () => {
  await centre?.close();
  await rm(dir, { recursive: true, force: true });
});

async function phone(
  holderId: string,
  opts: { pin?: string; signingPin?: string; selfie: Uint8Array },
): Promise<PhoneOutcome & { certificateSha256: string }> {
  const card = await openVirtualCard(world, holderId);
  if (!('transmit' in card)) throw new Error(card.kind);
  const personalisation = await loadPersonalisation(join(world.dir, 'cards', `${holderId}.json`));
  if (isPersonalisationError(personalisation) || !personalisation.face) throw new Error('no card file');
  const reader = new InProcessCardReader();
  reader.insert(card);
  const session = await reader.connect();
  if (isCardError(session)) throw new Error(session.kind);
  try {
    const outcome = await phonePinReset({
      transport: session.transport,
      ...(opts.signingPin !== undefined
        ? { signingPin: opts.signingPin }
        : { pin: opts.pin ?? personalisation.authPin }),
      collationB: personalisation.face.collationB,
      selfie: opts.selfie,
      post: async (path, body) => {
        if (!centre.phone) throw new Error('the centre serves no phone');
        const res = await centre.phone.app.inject({ method: 'POST', url: path, payload: body as object });
        return { status: res.statusCode, json: res.json() };
      },
    });
    return {
      ...outcome,
      certificateSha256: createHash('sha256').update(personalisation.authCertificate).digest('hex'),
    };
  } finally {
    await session.close();
    await reader.close();
  }
}

async function signingPinOf(holderId: string): Promise<string> {
  await openVirtualCard(world, holderId); // its file is made on first use
  const card = await loadPersonalisation(join(world.dir, 'cards', `${holderId}.json`));
  if (isPersonalisationError(card)) throw new Error('no card file');
  return card.signingPin;
}

const selfie = async (holderId: string, variant = 0) => (await selfieJpeg(holderId, variant)) as Uint8Array;

describe('phone: face check → one-time password', () => {
  it('is served on the phone’s own app, not on the kiosks’ mutual-TLS one', async () => {
    const onKioskApp = await centre.app.inject({ method: 'POST', url: '/v1/phone/challenge', payload: {} });
    expect(onKioskApp.statusCode).toBe(404);
    const onPhoneApp = await centre.phone?.app.inject({
      method: 'POST',
      url: '/v1/phone/challenge',
      payload: {},
    });
    expect(onPhoneApp?.statusCode).toBe(200);
  });

  it('grants a password for the holder’s own face, which the kiosk side redeems once', async () => {
    const outcome = await phone('H0001', { selfie: await selfie('H0001', 1) });
    expect(outcome.kind, JSON.stringify(outcome)).toBe('granted');
    if (outcome.kind !== 'granted') return;
    expect(outcome.password).toMatch(/^[0-9]{8}$/);
    const redeem = () =>
      centre.oneTimePasswords.redeem(
        { cardBinding: outcome.certificateSha256, password: outcome.password },
        new Date(),
      );
    expect((await redeem()).kind).toBe('granted');
    expect((await redeem()).kind).toBe('used');
  });

  it('refuses an impostor’s face', async () => {
    const outcome = await phone('H0002', { selfie: (await impostorSelfieJpeg('H0002')) as Uint8Array });
    expect(outcome).toMatchObject({ kind: 'refused', code: 'face-mismatch', status: 403 });
  });

  it('a wrong 4-digit PIN stops at the card, before the centre decides anything', async () => {
    const outcome = await phone('H0007', { pin: '0000', selfie: await selfie('H0007') });
    expect(outcome.kind).toBe('card');
    expect(outcome.kind === 'card' && outcome.detail).toBe('authentication: wrong-pin');
  });

  it('refuses when the signing certificate is revoked', async () => {
    const entry = world.manifest.registry.find((e) => e.holderId === 'H0003');
    const signingCa = centreOptionsFor(world).phone?.signingCaCertificates;
    if (!entry || !signingCa) throw new Error('world');
    for (const der of signingCa)
      await centre.repository.revokeCertificate(sha256Hex(der), entry.serialNumberHex, Date.now());
    const outcome = await phone('H0003', { selfie: await selfie('H0003') });
    expect(outcome).toMatchObject({ kind: 'refused', code: 'signing-certificate-revoked' });
  });

  it('refuses when the name has changed since the card was issued', async () => {
    const seed = loadSeedWorld();
    const changed = {
      ...seed,
      residents: seed.residents.map((r) => (r.holderId === 'H0004' ? { ...r, name: '佐藤 美咲' } : r)),
    };
    await loadRegister(centre.repository, changed, Date.now());
    const outcome = await phone('H0004', { selfie: await selfie('H0004') });
    expect(outcome).toMatchObject({ kind: 'refused', code: 'basic-information-changed' });
  });

  it('refuses a selfie that is not an image', async () => {
    const outcome = await phone('H0005', { selfie: Uint8Array.from(Buffer.from('not a photo')) });
    expect(outcome).toMatchObject({ kind: 'refused', code: 'selfie-unreadable', status: 400 });
  });

  it('the signing PIN proves the card for the 4-digit PIN’s reset: a grant for that PIN only', async () => {
    const outcome = await phone('H0005', {
      signingPin: await signingPinOf('H0005'),
      selfie: await selfie('H0005', 2),
    });
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ kind: 'granted', target: 'auth' });
    if (outcome.kind !== 'granted') return;
    const binding = { cardBinding: outcome.certificateSha256, transactionId: 'tx-other-pin' };
    expect(
      (await centre.oneTimePasswords.reserve({ ...binding, password: outcome.password }, new Date())).kind,
    ).toBe('no-grant');
    expect(
      (
        await centre.oneTimePasswords.reserve(
          { ...binding, password: outcome.password, target: 'auth' },
          new Date(),
        )
      ).kind,
    ).toBe('granted');
  });

  it('refuses the 4-digit PIN’s reset on an expired signing certificate', async () => {
    const outcome = await phone('H0006', {
      signingPin: await signingPinOf('H0006'),
      selfie: await selfie('H0006'),
    });
    expect(outcome).toMatchObject({ kind: 'refused', code: 'signing-certificate-expired' });
  });

  it('a wrong signing PIN stops at the card, with its tries left', async () => {
    const outcome = await phone('H0008', { signingPin: 'WRONG99', selfie: await selfie('H0008') });
    expect(outcome).toMatchObject({ kind: 'card', reason: 'wrong-signing-pin' });
  });
});
