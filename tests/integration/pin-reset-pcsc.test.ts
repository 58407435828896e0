/**
 * The PIN reset at the kiosk through the real PC/SC path: the PIN-reset flow's machine with the
 * card port over pcscd (the virtual card behind vpcd) and the reference centre on loopback; then
 * OpenSC, a client the kiosk did not write, checks the card: `pkcs15-tool --verify-pin --auth-id
 * 02` (the 署名用 PIN) accepts the new PIN and refuses the old one. Then the 4-digit PIN's reset,
 * the new 署名用 PIN proving the card: `--auth-id 01` accepts the new 4-digit PIN and refuses the
 * old one. Run under the lock:
 *   flock /tmp/kiosk-pcsc.lock npx vitest run --project integration tests/integration/pin-reset-pcsc.test.ts
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, waitFor, type Actor } from 'xstate';
import { waitForReaderStatus } from '../../native/card-transport.ts';
import { PcscCardReader } from '../../native/pcsc/pcsc-card-reader.ts';
import { sharedTestCa, testCard, TEST_PIN_RESET_MASTER_KEY } from '../../native/test-pki/fixtures.ts';
import { CardStateStore } from '../../native/virtual-card/card-state-store.ts';
import type { CardPersonalisation } from '../../native/virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import { VpcdConnection } from '../../native/virtual-card/vpcd-connection.ts';
import { createCentreClient } from '../../electron/host/centre-client.ts';
import { createJpkiCardPort } from '../../electron/host/jpki-card-port.ts';
import { createPinResetCentre } from '../../electron/host/pin-reset-client.ts';
import { pinResetMachine } from '../../electron/host/session-machine-pin-reset.ts';
import { DEFAULT_TIMEOUTS, type SessionContext } from '../../electron/host/session-machine-types.ts';
import { fakeServices } from '../../electron/host/test-support/fakes.ts';
import type { PinResetTarget } from '../../protocol/secure-messaging.ts';
import { startCentre } from '../../server/centre.ts';
import { loadSeedWorld } from '../../server/seed/index.ts';
import { testSealKeyStore } from '../../server/test-support/seal-keys.ts';
import { ensurePcscd, type PcscdHandle } from '../support/pcscd.ts';

const VPCD_READER = 'Virtual PCD 00 00';
const NOW = new Date('2026-11-25T03:00:00Z');
const OLD_PIN = 'ABC123';
const NEW_PIN = 'KIOSKRESET26';
const run = promisify(execFile);

let pcscd: PcscdHandle;
let reader: PcscCardReader;
let perso: CardPersonalisation;
let vpcd: VpcdConnection;
let stateDir: string;
let centre: Awaited<ReturnType<typeof startCentre>>;

beforeAll(async () => {
  pcscd = await ensurePcscd();
  stateDir = mkdtempSync(join(tmpdir(), 'pin-reset-pcsc-'));
  // The register's facts on the card: the 4-digit PIN's reset ties the signing certificate by them.
  const seed = loadSeedWorld();
  const resident = seed.residents.find((r) => r.holderId === 'H0007');
  const household = seed.households.find((h) => h.householdId === resident?.householdId);
  if (!resident || !household) throw new Error('seed: H0007');
  perso = await testCard({
    holderId: 'H0007',
    holder: {
      name: resident.name,
      address: household.address,
      birthDate: resident.birthDate.replaceAll('-', ''),
      sex: resident.sex === '男' ? '1' : '2',
    },
  });
  const ca = await sharedTestCa();
  const caDer = new Uint8Array(ca.auth.certificate.rawData);
  centre = await startCentre({
    databasePath: ':memory:',
    trustedCaCertificates: [caDer],
    certificateRegistry: [
      {
        caCertificateDer: caDer,
        serialNumberHex: new X509Certificate(Buffer.from(perso.authCertificate)).serialNumber,
        holderId: 'H0007',
      },
    ],
    sealKeys: { store: await testSealKeyStore() },
    now: () => NOW,
    printability: () => [],
    logger: false,
    pinReset: { masterKey: TEST_PIN_RESET_MASTER_KEY, mode: 'password' },
    phone: { signingCaCertificates: [new Uint8Array(ca.signing.certificate.rawData)] },
  });
  const card = new VirtualMyNumberCard({ personalisation: perso, stateStore: new CardStateStore(stateDir) });
  reader = new PcscCardReader({ readerName: VPCD_READER });
  await waitForReaderStatus(reader, (s) => s.kind === 'ready');
  vpcd = new VpcdConnection(card);
  expect(await vpcd.insert({ timeoutMs: 10_000 })).toEqual({ kind: 'inserted' });
}, 60_000);

afterAll(async () => {
  await vpcd?.close();
  await reader?.close();
  await centre?.close();
  await pcscd?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

async function opensVerify(pin: string, authId: '01' | '02' = '02'): Promise<boolean> {
  try {
    await run('pkcs15-tool', ['--verify-pin', '--auth-id', authId, '--pin', pin], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  } finally {
    // pcscd keeps the card powered ~1 s after OpenSC leaves; let it go before the next client
    await new Promise((r) => setTimeout(r, 1500));
  }
}

type PinResetActor = Actor<typeof pinResetMachine>;

/**
 * One walk of the PIN-reset flow's machine over pcscd and the centre, for H0007's card with a
 * one-time password the centre issued for `target`: choose `target`, prove the card
 * (`proveCard`, up to the password keypad), type the password, the new PIN twice. Returns the
 * machine's context where the walk ended (done or failed); a done walk is finished back to the
 * welcome screen, and pcscd is given the card back before OpenSC asks it.
 */
async function walkReset(walk: {
  target: PinResetTarget;
  proveCard: (actor: PinResetActor) => Promise<void>;
  newPin: string;
}): Promise<SessionContext> {
  const { password } = await centre.centre.oneTimePasswords.issue(
    {
      cardBinding: createHash('sha256').update(perso.authCertificate).digest('hex'),
      holderId: 'H0007',
      municipalityCode: '131016',
      mode: 'password',
      target: walk.target,
    },
    NOW,
  );
  const centreClient = createCentreClient({ baseUrl: centre.url });
  const pinResetCentre = createPinResetCentre({ baseUrl: centre.url });
  const actor = createActor(pinResetMachine, {
    input: {
      services: fakeServices(randomUUID(), {
        cardPort: createJpkiCardPort(reader),
        centre: centreClient,
        terminalId: 'S0042-T02',
        pinReset: { centre: pinResetCentre },
      }),
      timeouts: DEFAULT_TIMEOUTS,
    },
  }).start();
  try {
    actor.send({ type: 'START' });
    actor.send({ type: 'CHOOSE_PIN_RESET', target: walk.target });
    await walk.proveCard(actor);
    for (const c of password) actor.send({ type: 'OTP_DIGIT', digit: Number(c) });
    actor.send({ type: 'OTP_SUBMIT' });
    for (const state of ['newPinEntry', 'newPinConfirm']) {
      await waitFor(actor, (s) => s.matches(state as never), { timeout: 5_000 });
      for (const char of walk.newPin) actor.send({ type: 'NEW_PIN_CHAR', char });
      actor.send({ type: 'NEW_PIN_SUBMIT' });
    }
    const done = await waitFor(actor, (s) => s.matches('pinResetDone') || s.matches('failed'), {
      timeout: 20_000,
    });
    if (!done.matches('pinResetDone')) return done.context;
    actor.send({ type: 'FINISH' });
    await waitFor(actor, (s) => s.matches('welcome'), { timeout: 10_000 });
    return done.context;
  } finally {
    actor.stop();
    await centreClient.close();
    await pinResetCentre.close();
    await new Promise((r) => setTimeout(r, 1500));
  }
}

describe('PIN reset at the kiosk through pcscd, checked by OpenSC', () => {
  it('the flow sets the new 署名用 PIN: OpenSC accepts it and refuses the old one', async () => {
    if (!existsSync('/usr/bin/pkcs15-tool'))
      throw new Error('OpenSC is missing: install the Debian package "opensc"');
    const done = await walkReset({
      target: 'signing',
      newPin: NEW_PIN,
      async proveCard(actor) {
        await waitFor(actor, (s) => s.matches('pinEntry'), { timeout: 20_000 });
        for (const digit of [1, 2, 3, 4]) actor.send({ type: 'PIN_DIGIT', digit });
        actor.send({ type: 'PIN_SUBMIT' });
        await waitFor(actor, (s) => s.matches('passwordEntry'), { timeout: 20_000 });
      },
    });
    expect(done.error).toBeNull();
    expect(done.pinResetOutcome).toBe('new-pin');
    expect(await opensVerify(NEW_PIN)).toBe(true);
    expect(await opensVerify(OLD_PIN)).toBe(false);
  }, 90_000);

  it('the 4-digit PIN’s reset, the signing PIN proving the card: OpenSC accepts the new one, refuses the old', async () => {
    const NEW_AUTH_PIN = '8642';
    const done = await walkReset({
      target: 'auth',
      newPin: NEW_AUTH_PIN,
      async proveCard(actor) {
        await waitFor(actor, (s) => s.matches('signingPinEntry'), { timeout: 20_000 });
        // The first test set this 署名用 PIN.
        for (const char of NEW_PIN) actor.send({ type: 'NEW_PIN_CHAR', char });
        actor.send({ type: 'NEW_PIN_SUBMIT' });
        await waitFor(actor, (s) => s.matches('passwordEntry') || s.matches('failed'), { timeout: 20_000 });
        expect(actor.getSnapshot().context.error).toBeNull();
      },
    });
    expect(done.error).toBeNull();
    expect(done.pinResetOutcome).toBe('new-pin');
    expect(await opensVerify(NEW_AUTH_PIN, '01')).toBe(true);
    expect(await opensVerify('1234', '01')).toBe(false);
  }, 90_000);
});
