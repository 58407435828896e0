import { createActor, type SnapshotFrom } from 'xstate';
import type { IntentResult, KioskIntent, KioskScreen, KioskSnapshot } from '../kiosk-api.ts';
import type { Logger } from './logger.ts';
import {
  AUTH_PIN_LENGTH,
  DEFAULT_TIMEOUTS,
  sessionMachine,
  totalYen,
  type SessionEvent,
  type SessionServices,
  type Timeouts,
} from './session-machine.ts';

type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

export interface KioskHost {
  getSnapshot(): KioskSnapshot;
  onSnapshot(listener: (snapshot: KioskSnapshot) => void): () => void;
  send(intent: unknown): IntentResult;
  close(): Promise<void>;
}

/** The screen the renderer shows for a session state. The only place state becomes view. */
export function viewOf(
  state: SessionSnapshot,
  readerState: 'ready' | 'no-reader' | 'service-down',
): KioskScreen {
  const c = state.context;
  const selection = c.selection;
  switch (state.value) {
    case 'welcome':
      return { screen: 'welcome', reader: readerState };
    case 'checkingPrinter':
    case 'placeCard':
      return { screen: 'place-card', reader: readerState };
    case 'readingCard':
      return { screen: 'reading-card' };
    case 'pinEntry':
      return {
        screen: 'pin-entry',
        digitsEntered: c.pinLength,
        pinLength: AUTH_PIN_LENGTH,
        triesLeft: c.triesLeft,
        lastAttemptWrong: c.lastAttemptWrong,
      };
    case 'verifyingPin':
    case 'authenticating':
      return { screen: 'authenticating' };
    case 'menu':
      return { screen: 'menu', municipalityName: c.municipalityName, items: c.menu };
    case 'confirm':
      if (!selection) break;
      return {
        screen: 'confirm',
        certificateType: selection.certificateType,
        copies: selection.copies,
        maxCopies: selection.maxCopies,
        feeYen: selection.feeYen,
        totalYen: totalYen(selection),
      };
    case 'payment':
      if (!selection) break;
      return {
        screen: 'payment',
        certificateType: selection.certificateType,
        copies: selection.copies,
        totalYen: totalYen(selection),
        paidYen: c.paidYen,
      };
    case 'issuing':
      return { screen: 'issuing' };
    case 'printing':
      return { screen: 'printing', copiesPrinted: 0, copies: selection?.copies ?? 1 };
    case 'done':
      return { screen: 'done', changeYen: Math.max(0, c.paidYen - totalYen(selection)) };
    case 'failed':
      return {
        screen: 'error',
        error: c.error?.code ?? 'internal',
        ...(c.error?.triesLeft === undefined ? {} : { triesLeft: c.error.triesLeft }),
        ...(c.error?.refundedYen === undefined ? {} : { refundedYen: c.error.refundedYen }),
      };
    case 'ending':
      return { screen: 'welcome', reader: readerState };
  }
  return { screen: 'error', error: 'internal' };
}

const CERTIFICATE_TYPE_PATTERN = /^[a-z-]{2,32}$/;

/** Turns an untrusted intent from the page into a session event, or refuses it. */
export function eventForIntent(intent: unknown): SessionEvent | undefined {
  if (typeof intent !== 'object' || intent === null) return undefined;
  const i = intent as Partial<KioskIntent> & Record<string, unknown>;
  switch (i.type) {
    case 'start':
      return { type: 'START' };
    case 'set-language':
      return i.language === 'ja' || i.language === 'en'
        ? { type: 'SET_LANGUAGE', language: i.language }
        : undefined;
    case 'pin-digit':
      return typeof i.digit === 'number' && Number.isInteger(i.digit) && i.digit >= 0 && i.digit <= 9
        ? { type: 'PIN_DIGIT', digit: i.digit }
        : undefined;
    case 'pin-backspace':
      return { type: 'PIN_BACKSPACE' };
    case 'pin-submit':
      return { type: 'PIN_SUBMIT' };
    case 'choose-certificate':
      return typeof i.certificateType === 'string' && CERTIFICATE_TYPE_PATTERN.test(i.certificateType)
        ? { type: 'CHOOSE', certificateType: i.certificateType as never }
        : undefined;
    case 'set-copies':
      return typeof i.copies === 'number' ? { type: 'SET_COPIES', copies: i.copies } : undefined;
    case 'confirm':
      return { type: 'CONFIRM' };
    case 'insert-money':
      return typeof i.yen === 'number' ? { type: 'INSERT_MONEY', yen: i.yen } : undefined;
    case 'cancel':
      return { type: 'CANCEL' };
    case 'finish':
      return { type: 'FINISH' };
    default:
      return undefined;
  }
}

/**
 * The kiosk host: runs the session state machine and publishes snapshots. Electron's main
 * process and the Node host of kiosk:web both use it; the renderer reaches it through
 * window.kiosk only.
 */
export function createKioskHost(
  services: SessionServices,
  options: { logger: Logger; timeouts?: Partial<Timeouts> },
): KioskHost {
  const listeners = new Set<(snapshot: KioskSnapshot) => void>();
  const actor = createActor(sessionMachine, {
    input: { services, timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts } },
  });
  let last: KioskSnapshot | undefined;

  const publish = () => {
    const state = actor.getSnapshot();
    const snapshot: KioskSnapshot = {
      // While the session ends, the page already shows the welcome screen: without the old id.
      transactionId: state.value === 'ending' ? null : state.context.transactionId,
      language: state.context.language,
      view: viewOf(state, services.cardPort.readerState()),
    };
    if (last && JSON.stringify(last) === JSON.stringify(snapshot)) return;
    last = snapshot;
    for (const listener of listeners) listener(snapshot);
  };

  actor.subscribe({
    next: publish,
    error: (error) => options.logger.error({ err: error }, 'session machine failed'),
  });
  const unsubscribeRemoved = services.cardPort.onCardRemoved(() => actor.send({ type: 'CARD_REMOVED' }));
  const unsubscribeReader = services.cardPort.onReaderState(publish);
  actor.start();
  publish();

  return {
    getSnapshot: () => last as KioskSnapshot,
    onSnapshot(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(intent) {
      const event = eventForIntent(intent);
      if (!event) return { accepted: false, reason: 'invalid' };
      if (!actor.getSnapshot().can(event)) return { accepted: false, reason: 'bad-state' };
      actor.send(event);
      return { accepted: true };
    },
    async close() {
      unsubscribeRemoved();
      unsubscribeReader();
      const card = actor.getSnapshot().context.card;
      actor.stop();
      await card?.release();
      listeners.clear();
    },
  };
}
