/**
 * The PIN-reset flow's machine, driven as the page would, against the reference centre on
 * loopback with the virtual card on the in-process reader (the real card port, the real centre
 * client): the keypads, a wrong password and the retry, two entries that differ, the live
 * service's bound-card mode, refusals, and the card leaving — each ends with the card holding the
 * PIN the resident is told. Last, with a fake card and reset centre (nothing started): which state
 * the card's read leads to, the old PIN told when the card leaves before the reset, and what the
 * signing PIN's keyboard takes.
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, waitFor, type Actor } from 'xstate';
import { isCardError } from '../../native/card-transport.ts';
import { JpkiClient } from '../../native/jpki/jpki-client.ts';
import { sharedTestCa, testCard, TEST_PIN_RESET_MASTER_KEY } from '../../native/test-pki/fixtures.ts';
import { InProcessCardReader } from '../../native/virtual-card/in-process-reader.ts';
import type { CardPersonalisation } from '../../native/virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import type { PinResetMode } from '../../protocol/pin-reset.ts';
import { startCentre } from '../../server/centre.ts';
import { loadSeedWorld } from '../../server/seed/index.ts';
import { testSealKeyStore } from '../../server/test-support/seal-keys.ts';
import { createCentreClient } from './centre-client.ts';
import { createJpkiCardPort } from './jpki-card-port.ts';
import { createPinResetCentre, type PinResetCentre } from './pin-reset-client.ts';
import { pinResetMachine } from './session-machine-pin-reset.ts';
import { DEFAULT_TIMEOUTS, type TransactionEvent } from './session-machine-types.ts';
import type { CardHandle } from './card-port.ts';
import { fakeCardHandle, fakeCardPort, fakeCentre, fakeServices } from './test-support/fakes.ts';

const NOW = new Date('2026-11-25T03:00:00Z');
const TERMINAL = 'S0042-T02';
const OLD_PIN = 'ABC123';
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'ascii'));
const bindingOf = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');
type Started = Awaited<ReturnType<typeof startCentre>>;

const HOLDERS = ['H0007', 'H0001', 'H0003', 'H0004', 'H0005'] as const;
const cards = new Map<string, CardPersonalisation>();
const centres: Partial<Record<PinResetMode, Started>> = {};

beforeAll(async () => {
  const seed = loadSeedWorld();
  for (const holderId of HOLDERS) {
    const resident = seed.residents.find((r) => r.holderId === holderId);
    const household = seed.households.find((h) => h.householdId === resident?.householdId);
    if (!resident || !household) throw new Error(`seed: ${holderId}`);
    // The register's facts on the card: the 4-digit PIN's reset ties the signing certificate by them.
    const holder = {
      name: resident.name,
      address: household.address,
      birthDate: resident.birthDate.replaceAll('-', ''),
      sex: resident.sex === '男' ? ('1' as const) : ('2' as const),
    };
    cards.set(holderId, await testCard({ holderId, holder }));
  }
  const ca = await sharedTestCa();
  const caDer = new Uint8Array(ca.auth.certificate.rawData);
  for (const mode of ['password', 'bound-card'] as const)
    centres[mode] = await startCentre({
      databasePath: ':memory:',
      trustedCaCertificates: [caDer],
      certificateRegistry: [...cards].map(([holderId, perso]) => ({
        caCertificateDer: caDer,
        serialNumberHex: new X509Certificate(Buffer.from(perso.authCertificate)).serialNumber,
        holderId,
      })),
      sealKeys: { store: await testSealKeyStore() },
      now: () => NOW,
      printability: () => [],
      logger: false,
      pinReset: { masterKey: TEST_PIN_RESET_MASTER_KEY, mode },
      phone: { signingCaCertificates: [new Uint8Array(ca.signing.certificate.rawData)], pinResetMode: mode },
    });
}, 60_000);
afterAll(async () => {
  for (const started of Object.values(centres)) await started?.close();
});

async function kiosk(holderId: string, mode: PinResetMode = 'password') {
  const started = centres[mode] as Started;
  const perso = cards.get(holderId) as CardPersonalisation;
  const reader = new InProcessCardReader();
  const card = new VirtualMyNumberCard({ personalisation: perso });
  reader.insert(card);
  const centre = createCentreClient({ baseUrl: started.url });
  const pinResetCentre = createPinResetCentre({ baseUrl: started.url });
  const events: TransactionEvent[] = [];
  const actor = createActor(pinResetMachine, {
    input: {
      services: fakeServices(randomUUID(), {
        cardPort: createJpkiCardPort(reader),
        centre,
        terminalId: TERMINAL,
        onTransactionEvent: (e) => void events.push(e),
        // No mode here: the kiosk follows the centre's setting.
        pinReset: { centre: pinResetCentre },
      }),
      timeouts: DEFAULT_TIMEOUTS,
    },
  }).start();
  return {
    actor,
    reader,
    card,
    events,
    grant: (at = NOW, target: 'signing' | 'auth' = 'signing') =>
      started.centre.oneTimePasswords.issue(
        { cardBinding: bindingOf(perso.authCertificate), holderId, municipalityCode: '131016', mode, target },
        at,
      ),
    /** Whether the card takes `pin` as its 4-digit PIN. */
    async authPinIs(pin: string) {
      if (reader.card) reader.remove();
      const fresh = new InProcessCardReader();
      fresh.insert(card);
      const session = await fresh.connect();
      if (isCardError(session)) throw new Error(session.kind);
      try {
        return (await new JpkiClient(session.transport).verifyAuthPin(ascii(pin))).kind === 'ok';
      } finally {
        await session.close();
        fresh.remove();
        await fresh.close();
      }
    },
    /** Whether the card, put on a fresh reader, takes `pin` as its 署名用 PIN. */
    async signingPinIs(pin: string) {
      if (reader.card) reader.remove();
      const fresh = new InProcessCardReader();
      fresh.insert(card);
      const session = await fresh.connect();
      if (isCardError(session)) throw new Error(session.kind);
      try {
        return (await new JpkiClient(session.transport).verifySigningPin(ascii(pin))).kind === 'ok';
      } finally {
        await session.close();
        fresh.remove();
        await fresh.close();
      }
    },
    async close() {
      actor.stop();
      await centre.close();
      await pinResetCentre.close();
      await reader.close();
    },
  };
}

type Machine = Actor<typeof pinResetMachine>;
const at = (actor: Machine, state: string) =>
  waitFor(actor, (s) => s.matches(state as never), { timeout: 15_000 });

async function toPassword(actor: Machine, expected = 'passwordEntry') {
  actor.send({ type: 'START' });
  await at(actor, 'choosePin');
  actor.send({ type: 'CHOOSE_PIN_RESET', target: 'signing' });
  await at(actor, 'pinEntry');
  for (const digit of [1, 2, 3, 4]) actor.send({ type: 'PIN_DIGIT', digit });
  actor.send({ type: 'PIN_SUBMIT' });
  await at(actor, expected);
}
function typePassword(actor: Machine, password: string) {
  for (const c of password) actor.send({ type: 'OTP_DIGIT', digit: Number(c) });
  actor.send({ type: 'OTP_SUBMIT' });
}
function typeNewPin(actor: Machine, pin: string) {
  for (const char of pin) actor.send({ type: 'NEW_PIN_CHAR', char });
  actor.send({ type: 'NEW_PIN_SUBMIT' });
}

describe('the PIN-reset flow', () => {
  it('card → PIN → password → new PIN twice → the card takes the new 署名用 PIN; the resident is told', async () => {
    const k = await kiosk('H0007');
    try {
      const { password } = await k.grant();
      await toPassword(k.actor);
      typePassword(k.actor, password);
      await at(k.actor, 'newPinEntry');
      k.actor.send({ type: 'NEW_PIN_CHAR', char: 'a' }); // not A–Z 0–9: not taken
      k.actor.send({ type: 'NEW_PIN_CHAR', char: '-' });
      expect(k.actor.getSnapshot().context.newPinLength).toBe(0);
      typeNewPin(k.actor, 'ABC12'); // five: too short, stays
      expect(k.actor.getSnapshot().value).toBe('newPinEntry');
      typeNewPin(k.actor, '6');
      await at(k.actor, 'newPinConfirm');
      typeNewPin(k.actor, 'ABC126');
      const done = await at(k.actor, 'pinResetDone');
      expect(done.context.pinResetOutcome).toBe('new-pin');
      // Nothing typed stays in the host once the card has it.
      expect(done.context.oneTimePassword.every((b) => b === 0)).toBe(true);
      expect(done.context.newPinFirst.every((b) => b === 0)).toBe(true);
      expect(k.events.map((e) => e.kind)).toEqual(['started', 'authenticated']);
      k.actor.send({ type: 'FINISH' });
      await at(k.actor, 'welcome');
      expect(k.events.at(-1)?.kind).toBe('ended');
      expect(await k.signingPinIs('ABC126')).toBe(true);
      expect(await k.signingPinIs(OLD_PIN)).toBe(false);
    } finally {
      await k.close();
    }
  });

  it('a wrong password: the keypad again with the tries left, the new PIN kept; the right one resets', async () => {
    const k = await kiosk('H0001');
    try {
      const { password } = await k.grant();
      const wrong = String((Number(password) + 1) % 1e8).padStart(8, '0');
      await toPassword(k.actor);
      typePassword(k.actor, wrong);
      await at(k.actor, 'newPinEntry');
      typeNewPin(k.actor, 'SECOND22');
      await at(k.actor, 'newPinConfirm');
      typeNewPin(k.actor, 'SECOND22');
      await waitFor(k.actor, (s) => s.matches('passwordEntry') && s.context.lastPasswordWrong, {
        timeout: 15_000,
      });
      expect(k.actor.getSnapshot().context.passwordTriesLeft).toBe(4);
      typePassword(k.actor, password);
      await at(k.actor, 'pinResetDone');
      expect(await k.signingPinIs('SECOND22')).toBe(true);
    } finally {
      await k.close();
    }
  });

  it('two entries that differ: both typed again', async () => {
    const k = await kiosk('H0003');
    try {
      const { password } = await k.grant();
      await toPassword(k.actor);
      typePassword(k.actor, password);
      await at(k.actor, 'newPinEntry');
      typeNewPin(k.actor, 'FIRST111');
      await at(k.actor, 'newPinConfirm');
      typeNewPin(k.actor, 'FIRST112');
      const again = await at(k.actor, 'newPinEntry');
      expect(again.context.newPinMismatch).toBe(true);
      expect(again.context.newPinFirstLength).toBe(0);
      k.actor.send({ type: 'CANCEL' });
      const failed = await at(k.actor, 'failed');
      expect(failed.context.error?.code).toBe('cancelled');
      expect(await k.signingPinIs(OLD_PIN)).toBe(true);
    } finally {
      await k.close();
    }
  });

  it('an expired password: refused, the old PIN stays and the resident is told so', async () => {
    const k = await kiosk('H0004');
    try {
      const { password } = await k.grant(new Date(NOW.getTime() - 25 * 3600_000));
      await toPassword(k.actor);
      typePassword(k.actor, password);
      await at(k.actor, 'newPinEntry');
      typeNewPin(k.actor, 'EXPIRED1');
      await at(k.actor, 'newPinConfirm');
      typeNewPin(k.actor, 'EXPIRED1');
      const failed = await at(k.actor, 'failed');
      expect(failed.context.error?.code).toBe('pin-reset-refused');
      expect(failed.context.pinResetRefusal).toBe('expired');
      expect(failed.context.pinResetOutcome).toBe('old-pin');
      expect(k.events.find((e) => e.kind === 'failed')).toMatchObject({ error: 'pin-reset-refused' });
      expect(await k.signingPinIs(OLD_PIN)).toBe(true);
    } finally {
      await k.close();
    }
  });

  it('the card taken away while the new PIN is typed: ended, the old PIN stays', async () => {
    const k = await kiosk('H0005');
    try {
      const { password } = await k.grant();
      await toPassword(k.actor);
      typePassword(k.actor, password);
      await at(k.actor, 'newPinEntry');
      k.reader.remove();
      k.actor.send({ type: 'CARD_REMOVED' });
      const failed = await at(k.actor, 'failed');
      expect(failed.context.error?.code).toBe('card-removed');
      // Removed before the relay: the resident is told the old signing PIN stands, and it does.
      expect(failed.context.pinResetOutcome).toBe('old-pin');
      expect(failed.context.oneTimePassword.every((b) => b === 0)).toBe(true);
      expect(await k.signingPinIs(OLD_PIN)).toBe(true);
    } finally {
      await k.close();
    }
  });

  it('the live service’s mode: no password keypad, the card alone redeems its grant', async () => {
    const k = await kiosk('H0007', 'bound-card');
    try {
      await k.grant();
      await toPassword(k.actor, 'newPinEntry');
      typeNewPin(k.actor, 'BOUND777');
      await at(k.actor, 'newPinConfirm');
      typeNewPin(k.actor, 'BOUND777');
      await at(k.actor, 'pinResetDone');
      expect(await k.signingPinIs('BOUND777')).toBe(true);
    } finally {
      await k.close();
    }
  });

  describe('the 4-digit PIN, with the signing PIN as the known secret', () => {
    async function toSigningPin(actor: Machine) {
      actor.send({ type: 'START' });
      await at(actor, 'choosePin');
      actor.send({ type: 'CHOOSE_PIN_RESET', target: 'auth' });
      await at(actor, 'signingPinEntry');
    }

    it('card → signing PIN → password → new 4-digit PIN twice → the card takes it, not the old one', async () => {
      const k = await kiosk('H0005');
      try {
        const { password } = await k.grant(NOW, 'auth');
        await toSigningPin(k.actor);
        typeNewPin(k.actor, OLD_PIN);
        await at(k.actor, 'passwordEntry');
        expect(k.actor.getSnapshot().context.newPinLength).toBe(0);
        typePassword(k.actor, password);
        await at(k.actor, 'newPinEntry');
        typeNewPin(k.actor, 'A'); // letters are not a 4-digit PIN: not taken
        expect(k.actor.getSnapshot().context.newPinLength).toBe(0);
        typeNewPin(k.actor, '97531'); // the fifth digit is not taken
        await at(k.actor, 'newPinConfirm');
        typeNewPin(k.actor, '9753');
        const done = await at(k.actor, 'pinResetDone');
        expect(done.context.pinResetOutcome).toBe('new-pin');
        expect(await k.authPinIs('9753')).toBe(true);
        expect(await k.authPinIs('1234')).toBe(false);
      } finally {
        await k.close();
      }
    });

    it('a wrong signing PIN: the entry again with its tries left, nothing sent to the centre', async () => {
      const k = await kiosk('H0004');
      try {
        await k.grant(NOW, 'auth');
        await toSigningPin(k.actor);
        typeNewPin(k.actor, 'WRONG99');
        const again = await waitFor(
          k.actor,
          (s) => s.matches('signingPinEntry') && s.context.signingPinTriesLeft !== null,
          { timeout: 15_000 },
        );
        expect(again.context.signingPinTriesLeft).toBe(4);
        expect(again.context.newPinLength).toBe(0);
        expect(k.events.map((e) => e.kind)).toEqual(['started']);
      } finally {
        await k.close();
      }
    });

    // A grant for the signing PIN ties no session (no-grant): one-time-passwords.test.ts; the kiosk
    // tells every refusal at this step the same way, so one of them is driven here.
    it('a password spent already: refused as used (not as no grant) before the keypad, the old PIN told', async () => {
      const k = await kiosk('H0003');
      try {
        const { password } = await k.grant(NOW, 'auth');
        const cardBinding = bindingOf((cards.get('H0003') as CardPersonalisation).authCertificate);
        const store = (centres.password as Started).centre.oneTimePasswords;
        expect((await store.redeem({ cardBinding, password, target: 'auth' }, NOW)).kind).toBe('granted');
        await toSigningPin(k.actor);
        typeNewPin(k.actor, OLD_PIN);
        const failed = await at(k.actor, 'failed');
        expect(failed.context.error?.code).toBe('pin-reset-refused');
        expect(failed.context.pinResetRefusal).toBe('used');
        expect(failed.context.pinResetOutcome).toBe('old-pin');
        expect(await k.authPinIs('1234')).toBe(true);
      } finally {
        await k.close();
      }
    });

    it('the card taken away mid-way: ended, and the card still takes its old 4-digit PIN', async () => {
      const k = await kiosk('H0001');
      try {
        const { password } = await k.grant(NOW, 'auth');
        await toSigningPin(k.actor);
        typeNewPin(k.actor, OLD_PIN);
        await at(k.actor, 'passwordEntry');
        typePassword(k.actor, password);
        await at(k.actor, 'newPinEntry');
        k.reader.remove();
        k.actor.send({ type: 'CARD_REMOVED' });
        const failed = await at(k.actor, 'failed');
        expect(failed.context.error?.code).toBe('card-removed');
        expect(failed.context.pinResetTarget).toBe('auth');
        expect(failed.context.pinResetOutcome).toBe('old-pin');
        expect(await k.authPinIs('1234')).toBe(true);
      } finally {
        await k.close();
      }
    });
  });
});

describe('the PIN-reset machine with a fake card and reset centre', () => {
  /** A reset centre in password mode, never asked for a command. */
  const resetCentre: PinResetCentre = {
    authenticate: async () => ({ ok: true, value: { kind: 'no-grant' } }),
    start: async () => ({ ok: true, value: { mode: 'password' } }),
    command: async () => ({ ok: false, failure: { kind: 'centre-unreachable', detail: 'fake' } }),
    confirm: async () => ({ ok: false, failure: { kind: 'centre-unreachable', detail: 'fake' } }),
    release: async () => ({ ok: true, value: { kind: 'released' } }),
    close: async () => undefined,
  };
  const authPinTriesLeft = (tries: number): Partial<CardHandle> => ({
    prepare: async () => ({ ok: true, value: { authPinTriesLeft: tries } }),
  });

  /**
   * The machine started and the PIN to reset chosen, the card on the reader answering `card`, the
   * centre `centre` (one that authenticates by default).
   */
  async function chosen(target: 'signing' | 'auth', card: Partial<CardHandle>, centre = fakeCentre()) {
    const actor = createActor(pinResetMachine, {
      input: {
        services: fakeServices(randomUUID(), {
          cardPort: fakeCardPort(fakeCardHandle(card)),
          centre,
          pinReset: { centre: resetCentre },
        }),
        timeouts: DEFAULT_TIMEOUTS,
      },
    }).start();
    actor.send({ type: 'START' });
    await at(actor, 'choosePin');
    actor.send({ type: 'CHOOSE_PIN_RESET', target });
    return actor;
  }

  it('the 署名用 PIN’s reset with the 4-digit PIN locked: failed as pin-locked', async () => {
    const actor = await chosen('signing', authPinTriesLeft(0));
    const failed = await at(actor, 'failed');
    expect(failed.context.error).toEqual({ code: 'pin-locked', triesLeft: 0 });
    actor.stop();
  });

  it('the 4-digit PIN’s reset with that PIN locked: the signing PIN next all the same', async () => {
    const actor = await chosen('auth', authPinTriesLeft(0));
    const entry = await at(actor, 'signingPinEntry');
    expect(entry.context.triesLeft).toBeNull();
    expect(entry.context.certificate).not.toBeNull();
    actor.stop();
  });

  /** The card taken away in `state`: the session fails, the resident told the old PIN stands. */
  async function cardLeavesIn(actor: Machine, state: string) {
    await at(actor, state);
    actor.send({ type: 'CARD_REMOVED' });
    const failed = await at(actor, 'failed');
    actor.stop();
    return failed.context;
  }

  it('the card taken away while it is read: failed, the old PIN told', async () => {
    const actor = await chosen('signing', { prepare: () => new Promise(() => undefined) });
    expect(await cardLeavesIn(actor, 'readingCard')).toMatchObject({
      error: { code: 'card-removed' },
      pinResetOutcome: 'old-pin',
    });
  });

  it('the card taken away while the centre authenticates: failed, the old PIN told', async () => {
    const centre = fakeCentre({ challenge: () => new Promise(() => undefined) });
    const actor = await chosen('signing', authPinTriesLeft(3), centre);
    await at(actor, 'pinEntry');
    for (const digit of [1, 2, 3, 4]) actor.send({ type: 'PIN_DIGIT', digit });
    actor.send({ type: 'PIN_SUBMIT' });
    expect(await cardLeavesIn(actor, 'authenticating')).toMatchObject({
      error: { code: 'card-removed' },
      pinResetOutcome: 'old-pin',
    });
  });

  it('the signing PIN: A–Z and 0–9 up to 16, a backspace, not sent under 6; the card taken away wipes it', async () => {
    const actor = await chosen('auth', authPinTriesLeft(3));
    await at(actor, 'signingPinEntry');
    const type = (chars: string) => {
      for (const char of chars) actor.send({ type: 'NEW_PIN_CHAR', char });
    };
    type('a-B');
    expect(actor.getSnapshot().context.newPinLength).toBe(1);
    actor.send({ type: 'NEW_PIN_BACKSPACE' });
    actor.send({ type: 'NEW_PIN_BACKSPACE' });
    expect(actor.getSnapshot().context.newPinLength).toBe(0);
    typeNewPin(actor, 'ABC12');
    expect(actor.getSnapshot().value).toBe('signingPinEntry');
    type('3456789012345Z');
    expect(actor.getSnapshot().context.newPinLength).toBe(16);
    expect(Buffer.from(actor.getSnapshot().context.newPin).toString('ascii')).toBe('ABC1234567890123');
    const failed = await cardLeavesIn(actor, 'signingPinEntry');
    expect(failed.pinResetOutcome).toBe('old-pin');
    expect(failed.newPin.every((b) => b === 0)).toBe(true);
  });
});
