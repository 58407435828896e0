import { createActor, type SnapshotFrom } from 'xstate';
import type { MenuItem } from '../../protocol/index.ts';
import type {
  IntentResult,
  KioskIntent,
  KioskScreen,
  KioskSnapshot,
  Language,
  MenuItemView,
} from '../kiosk-api.ts';
import { choiceComplete, confirmOptionsView } from './certificate-options.ts';
import type { Logger } from './logger.ts';
import { receiptNumberOf } from './receipt-number.ts';
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
  // `failed` has steps inside (refunding, shown): the page sees one error screen.
  const value = typeof state.value === 'string' ? state.value : Object.keys(state.value)[0];
  switch (value) {
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
      return {
        screen: 'menu',
        municipalityName: c.municipalityName,
        items: c.menu.map(menuItemView),
        notices: c.notices.map((n) => (n.en === undefined ? { id: n.id, ja: n.ja } : { ...n })),
        registrationFiled: c.registration !== null,
      };
    case 'confirm': {
      if (!selection) break;
      const household = state.matches({ confirm: 'fetchingMembers' })
        ? ({ state: 'loading' } as const)
        : c.household;
      const options = confirmOptionsView(selection.offered, selection.choice, household);
      return {
        screen: 'confirm',
        certificateType: selection.certificateType,
        copies: selection.copies,
        maxCopies: selection.maxCopies,
        feeYen: selection.feeYen,
        totalYen: totalYen(selection),
        ...(options ? { options } : {}),
        complete: choiceComplete(selection.choice),
      };
    }
    case 'registrationConfirm':
      return { screen: 'registration-confirm' };
    case 'filingRegistration':
      return { screen: 'registration-filing' };
    case 'registrationDone':
      if (!c.registration) break;
      return {
        screen: 'registration-done',
        municipalityName: c.registration.municipality.name,
        status: c.registration.status,
        requestId: c.registration.requestId,
      };
    case 'payment':
    case 'settling':
      if (!selection) break;
      return {
        screen: 'payment',
        certificateType: selection.certificateType,
        copies: selection.copies,
        totalYen: totalYen(selection),
        paidYen: c.paidYen,
        accepts: value === 'payment' ? c.accepts : [],
      };
    case 'issuing':
      return { screen: 'issuing' };
    case 'printing':
      return { screen: 'printing', copiesPrinted: 0, copies: selection?.copies ?? 1 };
    case 'done':
      return { screen: 'done', changeYen: c.changeYen, ...(c.owedYen > 0 ? { owedYen: c.owedYen } : {}) };
    case 'failed':
      return {
        screen: 'error',
        error: c.error?.code ?? 'internal',
        ...(c.error?.triesLeft === undefined ? {} : { triesLeft: c.error.triesLeft }),
        ...(c.error?.refundedYen === undefined ? {} : { refundedYen: c.error.refundedYen }),
        ...(c.error?.owedYen === undefined ? {} : { owedYen: c.error.owedYen }),
        ...(state.matches({ failed: 'refunding' }) ? { refunding: true } : {}),
      };
    case 'ending':
      return { screen: 'welcome', reader: readerState };
  }
  return { screen: 'error', error: 'internal' };
}

/** A menu item as the page sees it: the allowed options stay in the host (the confirm screen shows them). */
function menuItemView(item: MenuItem): MenuItemView {
  return item.available
    ? {
        certificateType: item.certificateType,
        available: true,
        feeYen: item.feeYen,
        maxCopies: item.maxCopies,
      }
    : { certificateType: item.certificateType, available: false, reason: item.reason };
}

/** Every language the screens speak; the page may ask for these only. */
export const KIOSK_LANGUAGES: readonly Language[] = ['ja', 'en', 'zh-Hans', 'ko', 'vi', 'pt', 'es', 'tl'];

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (KIOSK_LANGUAGES as readonly string[]).includes(value);
}

const CERTIFICATE_TYPE_PATTERN = /^[a-z-]{2,32}$/;
const SCOPES: readonly string[] = ['household', 'self', 'members'];

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Turns an untrusted intent from the page into a session event, or refuses it. */
export function eventForIntent(intent: unknown): SessionEvent | undefined {
  if (typeof intent !== 'object' || intent === null) return undefined;
  const i = intent as Partial<KioskIntent> & Record<string, unknown>;
  switch (i.type) {
    case 'start':
      return { type: 'START' };
    case 'set-language':
      return isLanguage(i.language) ? { type: 'SET_LANGUAGE', language: i.language } : undefined;
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
    case 'set-scope':
      return typeof i.scope === 'string' && SCOPES.includes(i.scope)
        ? { type: 'SET_SCOPE', scope: i.scope as 'household' | 'self' | 'members' }
        : undefined;
    case 'toggle-member':
      return isIntegerIn(i.order, 1, 99) ? { type: 'TOGGLE_MEMBER', order: i.order } : undefined;
    case 'set-honseki':
      return typeof i.include === 'boolean' ? { type: 'SET_HONSEKI', include: i.include } : undefined;
    case 'set-relationship':
      return typeof i.include === 'boolean' ? { type: 'SET_RELATIONSHIP', include: i.include } : undefined;
    case 'set-tax-year':
      return isIntegerIn(i.year, 2000, 2100) ? { type: 'SET_TAX_YEAR', year: i.year } : undefined;
    case 'confirm':
      return { type: 'CONFIRM' };
    case 'request-koseki-registration':
      return { type: 'REQUEST_REGISTRATION' };
    case 'back-to-menu':
      return { type: 'BACK_TO_MENU' };
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
    // While the session ends, the page already shows the welcome screen: without the old id.
    const transactionId = state.value === 'ending' ? null : state.context.transactionId;
    const snapshot: KioskSnapshot = {
      transactionId,
      ...(transactionId === null ? {} : { receiptNumber: receiptNumberOf(transactionId) }),
      // The next resident's welcome screen is in Japanese from its first frame.
      language: state.value === 'ending' ? 'ja' : state.context.language,
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
