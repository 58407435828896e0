/**
 * `npm run pin-reset -- --holder ID --pin PIN --otp OTP --new-signing-pin NEW`
 * `npm run pin-reset -- --holder ID --signing-pin PIN --otp OTP --new-auth-pin NNNN`
 * One PIN reset at the kiosk without the UI, through the PIN-reset flow's session machine the
 * screens use (electron/host/session-machine-pin-reset.ts): the holder's virtual card on the
 * in-process reader, the 4-digit PIN, the one-time password from the phone's face check
 * (`npm run phone`), the new 署名用 PIN. With no --centre it starts the reference centre on the
 * dev world's database (where `npm run phone` left the grant), with the test master key.
 * `--bound-card`: the centre it starts runs the live service's mode (no password). The mode is the
 * centre's setting: with --centre the kiosk follows that centre's (`npm run centre --
 * --pin-reset-mode`), and --otp is needed only when it asks for a password. Exit codes as `npm run issue`'s: 0 done,
 * The second form resets the 4-digit PIN, the signing PIN proving the card (the phone's grant must
 * be for the 4-digit PIN: `npm run phone -- --signing-pin`). Exit codes: 0 done,
 * 2 usage, 3 wrong 4-digit PIN (or wrong signing PIN), 4 the centre refused the reset (password wrong/expired/used/not
 * this card's/locked, or in use at another kiosk), 5 any other failure (the message says which PIN the card now holds).
 * Nothing typed is printed or logged.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createActor, waitFor } from 'xstate';
import { InProcessCardReader } from '../native/virtual-card/in-process-reader.ts';
import {
  AUTH_PIN_PATTERN,
  ONE_TIME_PASSWORD_PATTERN,
  SIGNING_PIN_PATTERN,
  type PinResetMode,
} from '../protocol/pin-reset.ts';
import { startCentre } from '../server/centre.ts';
import { createCentreClient } from '../electron/host/centre-client.ts';
import { createMunicipalityKeyRing } from '../electron/host/issue-document.ts';
import { createJpkiCardPort } from '../electron/host/jpki-card-port.ts';
import { createPinResetCentre } from '../electron/host/pin-reset-client.ts';
import { pinResetMachine } from '../electron/host/session-machine-pin-reset.ts';
import { DEFAULT_TIMEOUTS, type SessionServices } from '../electron/host/session-machine-types.ts';
import { SpoolPrinter } from '../electron/printer/spool-printer.ts';
import type { PaymentDevice } from '../electron/payment/payment-port.ts';
import {
  centreOptionsFor,
  centreTlsFor,
  DEMO_TERMINAL_ID,
  ensureDevWorld,
  kioskTlsFor,
  openVirtualCard,
} from './dev/world.ts';
import { defaultWorldDir } from './dev/stack.ts';
import { describeKioskError, fail, PROJECT_ROOT } from './cli-common.ts';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

const USAGE = `usage: npm run pin-reset -- --holder ID --pin PIN --otp OTP --new-signing-pin NEW [--bound-card] [--centre URL] [--world DIR]
       npm run pin-reset -- --holder ID --signing-pin PIN --otp OTP --new-auth-pin NNNN [--bound-card] [--centre URL] [--world DIR]`;

/** The PIN-reset flow takes no money: a device that refuses every call (never reached). */
const NO_PAYMENT: PaymentDevice = {
  startAccepting: async () => ({
    ok: false,
    failure: { kind: 'device-error', detail: 'no payment in a PIN reset' },
  }),
  stopAccepting: async () => ({ ok: true, value: undefined }),
  payOut: async () => ({ ok: false, failure: { kind: 'device-error', detail: 'no payment in a PIN reset' } }),
  status: async () => ({ ok: false, failure: { kind: 'device-error', detail: 'no payment in a PIN reset' } }),
  onEvent: () => () => undefined,
  close: async () => undefined,
};

/** Which PIN the card holds, in words: fixed sentences, never a PIN. */
const CARD_HOLDS_AUTH_SENTENCE = {
  'new-pin': 'the card now has the new 4-digit PIN',
  'old-pin': 'the card keeps its old 4-digit PIN',
  unknown:
    'whether the card took the new 4-digit PIN is not known: try the new one; if it is refused, the old one holds',
} as const;
const CARD_HOLDS_SIGNING_SENTENCE = {
  'new-pin': 'the card now has the new 署名用 PIN',
  'old-pin': 'the card keeps its old 署名用 PIN',
  unknown:
    'whether the card took the new 署名用 PIN is not known: try the new one; if it is refused, the old one holds',
} as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      holder: { type: 'string' },
      pin: { type: 'string' },
      otp: { type: 'string' },
      'new-signing-pin': { type: 'string' },
      'signing-pin': { type: 'string' },
      'new-auth-pin': { type: 'string' },
      'bound-card': { type: 'boolean' },
      centre: { type: 'string' },
      world: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const mode: PinResetMode = values['bound-card'] ? 'bound-card' : 'password';
  if (values['bound-card'] && values.centre)
    fail('--bound-card sets the mode of the centre started here; a given --centre has its own', 2);
  const target = values['signing-pin'] !== undefined ? 'auth' : 'signing';
  const CARD_HOLDS_SENTENCE = target === 'auth' ? CARD_HOLDS_AUTH_SENTENCE : CARD_HOLDS_SIGNING_SENTENCE;
  const known = target === 'auth' ? values['signing-pin'] : values.pin;
  const newPin = target === 'auth' ? values['new-auth-pin'] : values['new-signing-pin'];
  // Without --centre the centre started here asks for a password unless --bound-card.
  if (
    !values.holder ||
    !known ||
    !newPin ||
    (values.pin !== undefined && values['signing-pin'] !== undefined) ||
    (!values.centre && mode === 'password' && !values.otp)
  )
    fail(
      `--holder, --pin with --new-signing-pin (or --signing-pin with --new-auth-pin) and (without --bound-card) --otp are required\n${USAGE}`,
      2,
    );
  if (target === 'signing' && !AUTH_PIN_PATTERN.test(known)) fail('the PIN (--pin) is 4 digits', 2);
  if (target === 'auth' && !SIGNING_PIN_PATTERN.test(known))
    fail('the signing PIN (--signing-pin) is 6 to 16 of A–Z and 0–9', 2);
  if (values.otp !== undefined && !ONE_TIME_PASSWORD_PATTERN.test(values.otp))
    fail('the one-time password (--otp) is 8 digits', 2);
  if (target === 'signing' && !SIGNING_PIN_PATTERN.test(newPin))
    fail('the new 署名用 PIN is 6 to 16 of A–Z and 0–9', 2);
  if (target === 'auth' && !AUTH_PIN_PATTERN.test(newPin)) fail('the new 4-digit PIN is 4 digits', 2);

  const world = await ensureDevWorld(values.world ? resolve(values.world) : defaultWorldDir(PROJECT_ROOT));
  const card = await openVirtualCard(world, values.holder);
  if (!(card instanceof Object) || !('transmit' in card)) fail(`no test card for holder ${values.holder}`, 2);
  const closers: Array<() => Promise<void>> = [];
  let centreUrl = values.centre;
  if (!centreUrl) {
    const started = await startCentre({
      ...centreOptionsFor(world, { pinResetMode: mode }),
      tls: centreTlsFor(world),
      logger: false,
    });
    closers.push(started.close);
    centreUrl = started.url;
  }
  const tls = centreUrl.startsWith('https:') ? { tls: kioskTlsFor(world) } : {};
  const centre = createCentreClient({ baseUrl: centreUrl, ...tls });
  const pinResetCentre = createPinResetCentre({ baseUrl: centreUrl, ...tls });
  closers.push(
    () => centre.close(),
    () => pinResetCentre.close(),
  );
  const reader = new InProcessCardReader();
  closers.push(() => reader.close());
  reader.insert(card);

  const services: SessionServices = {
    cardPort: createJpkiCardPort(reader),
    centre,
    keyRing: createMunicipalityKeyRing(centre, new Map()),
    render: async () => ({ ok: false, error: { kind: 'not-used' } }),
    printer: new SpoolPrinter({ dir: tmpdir() }),
    payment: NO_PAYMENT,
    terminalId: DEMO_TERMINAL_ID,
    newTransactionId: randomUUID,
    onTransactionEvent: () => undefined,
    pinReset: { centre: pinResetCentre },
  };
  const actor = createActor(pinResetMachine, { input: { services, timeouts: DEFAULT_TIMEOUTS } }).start();
  closers.push(async () => {
    actor.stop();
  });
  const settled = (names: string[]) =>
    waitFor(actor, (s) => names.some((n) => s.matches(n as never)), { timeout: 60_000 });
  try {
    actor.send({ type: 'START' });
    await settled(['choosePin', 'failed']);
    actor.send({ type: 'CHOOSE_PIN_RESET', target });
    let at = await settled(['pinEntry', 'signingPinEntry', 'failed']);
    if (at.matches('signingPinEntry')) {
      for (const char of known) actor.send({ type: 'NEW_PIN_CHAR', char });
      actor.send({ type: 'NEW_PIN_SUBMIT' });
      // A wrong signing PIN comes back to the entry with its tries left.
      at = await waitFor(
        actor,
        (s) =>
          ['passwordEntry', 'newPinEntry', 'failed'].some((n) => s.matches(n as never)) ||
          (s.matches('signingPinEntry') && s.context.signingPinTriesLeft !== null),
        { timeout: 60_000 },
      );
      if (at.matches('signingPinEntry')) {
        console.error(
          `error: wrong signing PIN: ${at.context.signingPinTriesLeft ?? 0} tries left before the card locks it`,
        );
        return 3;
      }
    } else if (at.matches('pinEntry')) {
      for (const c of known) actor.send({ type: 'PIN_DIGIT', digit: Number(c) });
      actor.send({ type: 'PIN_SUBMIT' });
      at = await settled(['pinEntry', 'passwordEntry', 'newPinEntry', 'failed']);
      if (at.matches('pinEntry')) {
        console.error(`error: wrong PIN: ${at.context.triesLeft ?? 0} tries left before the card locks`);
        return 3;
      }
    }
    if (at.matches('passwordEntry')) {
      if (values.otp === undefined) {
        console.error('error: this centre runs the PIN reset in password mode: --otp is required');
        return 2;
      }
      for (const c of values.otp) actor.send({ type: 'OTP_DIGIT', digit: Number(c) });
      actor.send({ type: 'OTP_SUBMIT' });
      at = await settled(['newPinEntry', 'failed']);
    }
    for (const state of ['newPinEntry', 'newPinConfirm']) {
      if (at.matches('failed')) break;
      await settled([state, 'failed']);
      for (const char of newPin) actor.send({ type: 'NEW_PIN_CHAR', char });
      actor.send({ type: 'NEW_PIN_SUBMIT' });
    }
    at = await settled(['pinResetDone', 'passwordEntry', 'failed']);
    if (at.matches('pinResetDone')) {
      console.log(`done: ${CARD_HOLDS_SENTENCE['new-pin']}`);
      return 0;
    }
    if (at.matches('passwordEntry')) {
      console.error(
        `error: wrong one-time password: ${at.context.passwordTriesLeft ?? 0} tries left; ${CARD_HOLDS_SENTENCE['old-pin']}`,
      );
      return 4;
    }
    const error = at.context.error;
    const which = CARD_HOLDS_SENTENCE[at.context.pinResetOutcome ?? 'old-pin'];
    if (error?.code === 'pin-locked' || error?.code === 'pin-reset-refused')
      console.error(
        `error: ${error.code === 'pin-reset-refused' ? `the centre refused the reset (${at.context.pinResetRefusal ?? 'refused'})` : describeKioskError(error.code)}; ${which}`,
      );
    else console.error(`error: ${error ? describeKioskError(error.code) : 'stopped'}; ${which}`);
    return error?.code === 'pin-reset-refused' || error?.code === 'pin-reset-in-use'
      ? 4
      : error?.code === 'pin-locked'
        ? 3
        : 5;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);
