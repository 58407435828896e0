import { createActor, type SnapshotFrom } from 'xstate';
import type { MenuItem } from '../../protocol/index.ts';
import type {
  IntentResult,
  KioskErrorCode,
  KioskIntent,
  KioskScreen,
  KioskSnapshot,
  Language,
  MenuItemView,
} from '../kiosk-api.ts';
import { choiceComplete, confirmOptionsView } from './certificate-options.ts';
import { createCountdown } from './countdown.ts';
import {
  createCrashSupervisor,
  type CrashSupervisor,
  type FaultOutcome,
  type HostFault,
} from './crash-supervisor.ts';
import type { Logger } from './logger.ts';
import { receiptNumberOf } from './receipt-number.ts';
import type { PrintResult } from '../printer/printer.ts';
import { trackPrints } from './print-tracker.ts';
import { resumeAfterFault, stageOf } from './session-recovery.ts';
import { pinResetMachine } from './session-machine-pin-reset.ts';
import { forgotten, pinResetViewOf } from './pin-reset-view.ts';
import {
  AUTH_PIN_LENGTH,
  DEFAULT_TIMEOUTS,
  sessionMachine,
  totalYen,
  type ResumedSession,
  type SessionEvent,
  type SessionServices,
  type Timeouts,
} from './session-machine.ts';

type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

/** The kiosk's flows: each has its own machine over the shared parts; a session runs one. */
type Flow = 'issuance' | 'pin-reset';

export interface KioskHost {
  getSnapshot(): KioskSnapshot;
  onSnapshot(listener: (snapshot: KioskSnapshot) => void): () => void;
  send(intent: unknown): IntentResult;
  /** A fault outside the session machine (renderer gone, unhandled rejection): ends the session through the clean-up. */
  reportFault(fault: HostFault): FaultOutcome;
  /** Called once when the faults pass the supervisor's limit: the kiosk must exit non-zero. */
  onOutOfService(listener: () => void): () => void;
  /** Ends a session in progress through the clean-up (bounded), then stops. */
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
  const pinResetView = pinResetViewOf(value ?? '', c);
  if (pinResetView) return pinResetView;
  switch (value) {
    case 'welcome':
      return {
        screen: 'welcome',
        reader: readerState,
        ...(c.services.pinReset === undefined ? {} : { pinResetOffered: true }),
      };
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
    case 'cardLeftBehind':
      return {
        screen: 'done',
        changeYen: c.changeYen,
        ...(c.owedYen > 0 ? { owedYen: c.owedYen } : {}),
        ...(c.cardReminders > 0 ? { cardReminder: c.cardReminders } : {}),
      };
    case 'failed':
      return {
        screen: 'error',
        error: c.error?.code ?? 'internal',
        ...(c.error?.triesLeft === undefined ? {} : { triesLeft: c.error.triesLeft }),
        ...(c.error?.refundedYen === undefined ? {} : { refundedYen: c.error.refundedYen }),
        ...(c.error?.owedYen === undefined ? {} : { owedYen: c.error.owedYen }),
        ...(state.matches({ failed: 'refunding' }) ? { refunding: true } : {}),
        ...(c.pinResetOutcome === null ? {} : { pinResetOutcome: c.pinResetOutcome, ...forgotten(c) }),
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
/** One key of the new 署名用 PIN's keyboard: A–Z or 0–9. */
const SIGNING_PIN_CHAR = /^[A-Z0-9]$/;

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
    case 'choose-pin-reset':
      return i.target === 'signing' || i.target === 'auth'
        ? { type: 'CHOOSE_PIN_RESET', target: i.target }
        : undefined;
    case 'otp-digit':
      return isIntegerIn(i.digit, 0, 9) ? { type: 'OTP_DIGIT', digit: i.digit } : undefined;
    case 'otp-backspace':
      return { type: 'OTP_BACKSPACE' };
    case 'otp-submit':
      return { type: 'OTP_SUBMIT' };
    case 'new-pin-char':
      return typeof i.char === 'string' && SIGNING_PIN_CHAR.test(i.char)
        ? { type: 'NEW_PIN_CHAR', char: i.char }
        : undefined;
    case 'new-pin-backspace':
      return { type: 'NEW_PIN_BACKSPACE' };
    case 'new-pin-submit':
      return { type: 'NEW_PIN_SUBMIT' };
    default:
      return undefined;
  }
}

/**
 * Timers for the session machine and the host's own limits (idle reset, the wait at close): the
 * shape of xstate's clock, so tests pass a SimulatedClock or their own.
 */
export interface HostClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const REAL_CLOCK: HostClock = {
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * A session whose screen has not changed for this long ends through the clean-up. Every screen
 * that waits for the resident has its own, shorter limit in the machine (DEFAULT_TIMEOUTS); this
 * one catches a step stuck on a device or the centre, and an abandoned language choice.
 */
export const DEFAULT_SESSION_IDLE_MS = 10 * 60_000;
/** How long close() lets a session in progress finish its clean-up (refund, card released). */
export const DEFAULT_CLOSE_LIMIT_MS = 10_000;

export interface KioskHostOptions {
  logger: Logger;
  timeouts?: Partial<Timeouts>;
  /** Counts the host's faults; default: 3 within 10 minutes put the kiosk out of service. */
  supervisor?: CrashSupervisor;
  sessionIdleMs?: number;
  closeLimitMs?: number;
  /** How long before a screen's limit the countdown shows (default 20 s). */
  timeLimitWarningMs?: number;
  clock?: HostClock;
}

/**
 * The kiosk host: runs the session state machine and publishes snapshots. Electron's main
 * process and the Node host of kiosk:web both use it; the renderer reaches it through
 * window.kiosk only.
 *
 * Its own faults end the session through the machine's one clean-up: an exception in the machine
 * stops it, and a new machine is given the same session (session-recovery.ts); a fault reported
 * from outside (`reportFault`) ends the session the same way. The supervisor counts them; when it
 * says out of service, the page shows that screen, intents are refused and the
 * `onOutOfService` listeners run (the entry points exit non-zero).
 */
export function createKioskHost(given: SessionServices, options: KioskHostOptions): KioskHost {
  const prints = trackPrints(given.printer);
  const services: SessionServices = { ...given, printer: prints.printer };
  const listeners = new Set<(snapshot: KioskSnapshot) => void>();
  const outOfServiceListeners = new Set<() => void>();
  /** Told of every step of the machine (publish() only tells of changed screens). */
  const stepListeners = new Set<() => void>();
  const supervisor = options.supervisor ?? createCrashSupervisor();
  const clock = options.clock ?? REAL_CLOCK;
  const idleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const logger = options.logger;
  let last: KioskSnapshot | undefined;
  let outOfService = false;
  let closed = false;
  let settlingOnPrinter = false;
  let idleTimer: unknown;
  // The countdown of the screen's time limit; its warning is part of the snapshot.
  const countdown = createCountdown(clock, () => publish(), options.timeLimitWarningMs);

  const publish = () => {
    countdown.check(actor);
    const state = actor.getSnapshot();
    // A stopped machine has nothing to show, unless the kiosk is out of service (shown whatever the machine).
    if (state.status === 'error' && !outOfService) return;
    // While the session ends, the page already shows the welcome screen: without the old id.
    const transactionId = state.value === 'ending' || outOfService ? null : state.context.transactionId;
    const snapshot: KioskSnapshot = {
      transactionId,
      ...(transactionId === null ? {} : { receiptNumber: receiptNumberOf(transactionId) }),
      // The next resident's welcome screen is in Japanese from its first frame.
      language: state.value === 'ending' ? 'ja' : state.context.language,
      view: outOfService ? { screen: 'out-of-service' } : viewOf(state, services.cardPort.readerState()),
    };
    const warning = countdown.warning();
    if (warning && !outOfService && state.value !== 'ending') snapshot.timeLimit = warning;
    if (last && JSON.stringify(last) === JSON.stringify(snapshot)) return;
    last = snapshot;
    armIdle(state);
    for (const listener of listeners) listener(snapshot);
  };

  /** The idle reset: re-armed on every change of screen, while a session (or a language choice) is open. */
  function armIdle(state: SessionSnapshot): void {
    if (idleTimer !== undefined) clock.clearTimeout(idleTimer);
    idleTimer = undefined;
    if (outOfService || (state.value === 'welcome' && state.context.language === 'ja')) return;
    idleTimer = clock.setTimeout(() => {
      idleTimer = undefined;
      const now = actor.getSnapshot();
      if (now.value === 'welcome') {
        if (now.context.language !== 'ja') actor.send({ type: 'SET_LANGUAGE', language: 'ja' });
        return;
      }
      logger.warn({ transactionId: now.context.transactionId }, 'session idle: ending it');
      restart('timeout');
    }, idleMs);
  }

  let flow: Flow = 'issuance';
  /** The PIN-reset machine has left its welcome state: back at welcome, the issuance flow takes over. */
  let pinResetLeftWelcome = false;
  let actor = startActor(undefined);

  function startActor(resume: ResumedSession | undefined) {
    // Both machines share the setup, context and events; the host reads their snapshots alike.
    const machine = (flow === 'pin-reset' ? pinResetMachine : sessionMachine) as typeof sessionMachine;
    const next = createActor(machine, {
      input: { services, timeouts, ...(resume ? { resume } : {}) },
      // The machine's own timers run on the same clock as the host's (tests pass xstate's SimulatedClock).
      ...(options.clock ? { clock: options.clock } : {}),
    });
    next.subscribe({
      next: (state) => {
        if (flow === 'pin-reset' && next === actor) {
          if (state.value !== 'welcome') pinResetLeftWelcome = true;
          else if (pinResetLeftWelcome) queueMicrotask(() => switchFlow('issuance', next));
        }
        publish();
        for (const listener of [...stepListeners]) listener();
      },
      error: (error) => {
        logger.error({ err: errorKind(error) }, 'session machine failed');
        fault('session-machine');
      },
    });
    return next;
  }

  /**
   * Starts the other flow's machine at its welcome state. The PIN-reset flow returns to the
   * issuance flow once its session has ended (its machine is back at welcome).
   */
  function switchFlow(to: Flow, from: typeof actor): void {
    if (actor !== from || flow === to || closed) return;
    const language = actor.getSnapshot().context.language;
    actor.stop();
    flow = to;
    pinResetLeftWelcome = false;
    actor = startActor(undefined);
    actor.start();
    if (to === 'pin-reset') actor.send({ type: 'SET_LANGUAGE', language });
    publish();
  }

  /** 「暗証番号の初期化・再設定」 on the welcome screen: the PIN-reset flow's session starts. */
  function startPinReset(): IntentResult {
    const state = actor.getSnapshot();
    if (outOfService || flow !== 'issuance' || state.value !== 'welcome' || services.pinReset === undefined)
      return { accepted: false, reason: 'bad-state' };
    switchFlow('pin-reset', actor);
    actor.send({ type: 'START' });
    return { accepted: true };
  }

  /** Ends the session in progress through the clean-up, on a new machine. */
  function restart(code: KioskErrorCode): void {
    // Waiting for the printer's answer: that answer ends the session (once), whatever else fails.
    if (settlingOnPrinter) return;
    const state = actor.getSnapshot();
    const stage = stageOf(state.value);
    const transactionId = state.context.transactionId;
    const atPrinter =
      stage === 'printing' && transactionId !== null ? prints.outcomeOf(transactionId) : undefined;
    actor.stop();
    if (atPrinter) {
      settleOnPrinter(state, transactionId as string, atPrinter, code);
      return;
    }
    const resume = resumeAfterFault(stage, state.context, code);
    actor = startActor(resume ?? undefined);
    actor.start();
    publish();
  }

  /**
   * A fault while the job is at the printer: no refund yet. The screen stays on printing until
   * the printer answers; printed → the session is delivered (journalled as printed, no refund);
   * not printed → the one clean-up refunds it. The host closing meanwhile leaves it to recovery.
   */
  function settleOnPrinter(
    state: SessionSnapshot,
    transactionId: string,
    atPrinter: Promise<PrintResult>,
    code: KioskErrorCode,
  ): void {
    logger.warn({ transactionId }, 'fault while printing: the printer decides before any refund');
    settlingOnPrinter = true;
    void atPrinter.then((result) => {
      settlingOnPrinter = false;
      if (closed) return;
      if (result.ok) {
        try {
          services.onTransactionEvent({
            kind: 'printed',
            transactionId,
            jobId: result.jobId,
            copies: state.context.selection?.copies ?? 1,
            ...(result.impressions === undefined ? {} : { impressions: result.impressions }),
          });
        } catch (error) {
          // The journal keeps `printing`; recovery at the next start asks the printer again.
          logger.error({ transactionId, err: errorKind(error) }, 'printed, not journalled');
        }
      }
      const resume = resumeAfterFault(result.ok ? 'done' : 'printing', state.context, code);
      actor = startActor(resume ?? undefined);
      actor.start();
      publish();
    });
  }

  function fault(kind: HostFault): FaultOutcome {
    const wasOutOfService = outOfService;
    const outcome = supervisor.record(kind);
    logger.error({ fault: kind, outcome }, 'kiosk host fault');
    if (wasOutOfService) {
      // Past the limit: no more machines; hand the card back and stop.
      const card = actor.getSnapshot().context.card;
      actor.stop();
      card?.release().catch(() => undefined);
      return outcome;
    }
    if (outcome === 'out-of-service') outOfService = true;
    restart('internal');
    // Told once, by the fault that crossed the limit (a restart may fault again inside this call).
    if (outcome === 'out-of-service') {
      publish();
      for (const listener of [...outOfServiceListeners]) listener();
    }
    return outcome;
  }

  const unsubscribeRemoved = services.cardPort.onCardRemoved(() => actor.send({ type: 'CARD_REMOVED' }));
  const unsubscribeReader = services.cardPort.onReaderState(publish);
  actor.start();
  publish();

  /** Waits until the machine is back at the welcome screen, leaving the error and done screens. */
  function settled(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const state = actor.getSnapshot();
        // A card left behind after delivery keeps its reminder going; nothing is left to clean up.
        if (state.status !== 'active' || state.value === 'welcome' || state.matches('cardLeftBehind'))
          return true;
        if (
          state.matches({ failed: 'shown' }) ||
          state.matches('done') ||
          state.value === 'registrationDone' ||
          (state.value as string) === 'pinResetDone'
        )
          actor.send({ type: 'FINISH' });
        return false;
      };
      if (check()) return resolve();
      const listener = () => {
        if (!check()) return;
        stepListeners.delete(listener);
        resolve();
      };
      stepListeners.add(listener);
    });
  }

  async function withinLimit(work: Promise<void>, ms: number): Promise<boolean> {
    let timer: unknown;
    const limit = new Promise<false>((resolve) => (timer = clock.setTimeout(() => resolve(false), ms)));
    const done = await Promise.race([work.then(() => true as const), limit]);
    clock.clearTimeout(timer);
    return done;
  }

  return {
    getSnapshot: () => last as KioskSnapshot,
    onSnapshot(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(intent) {
      if (isExtendTime(intent)) {
        if (outOfService || !countdown.extend(actor)) return { accepted: false, reason: 'bad-state' };
        publish();
        return { accepted: true };
      }
      if (isStartPinReset(intent)) return startPinReset();
      const event = eventForIntent(intent);
      if (!event) return { accepted: false, reason: 'invalid' };
      if (outOfService || !actor.getSnapshot().can(event)) return { accepted: false, reason: 'bad-state' };
      actor.send(event);
      return { accepted: true };
    },
    reportFault: fault,
    onOutOfService(listener) {
      outOfServiceListeners.add(listener);
      return () => outOfServiceListeners.delete(listener);
    },
    async close() {
      closed = true;
      if (idleTimer !== undefined) clock.clearTimeout(idleTimer);
      countdown.dispose();
      unsubscribeRemoved();
      unsubscribeReader();
      // A session in progress ends through the clean-up (refund, card released), within a limit —
      // except one whose job is at the printer: it may still print, so no refund now; the journal
      // keeps it `printing`, and recovery at the next start asks the printer what became of it.
      const state = actor.getSnapshot();
      const printing = stageOf(state.value) === 'printing';
      if (printing)
        logger.warn(
          { transactionId: state.context.transactionId },
          'closed while printing: left to recovery',
        );
      if (state.status === 'active' && state.context.transactionId !== null && !printing) {
        if (
          !['failed', 'done', 'cardLeftBehind', 'registrationDone', 'pinResetDone', 'ending'].includes(
            stageOf(state.value),
          )
        )
          restart('internal');
        if (!(await withinLimit(settled(), options.closeLimitMs ?? DEFAULT_CLOSE_LIMIT_MS)))
          logger.warn({ transactionId: state.context.transactionId }, 'clean-up unfinished at close');
      }
      const card = actor.getSnapshot().context.card;
      actor.stop();
      countdown.dispose();
      await card?.release();
      listeners.clear();
      stepListeners.clear();
      outOfServiceListeners.clear();
    },
  };
}

/** 「延長する」 is the host's, not the session machine's: it restarts the screen's own limit. */
function isExtendTime(intent: unknown): boolean {
  return (
    typeof intent === 'object' && intent !== null && (intent as { type?: unknown }).type === 'extend-time'
  );
}

/** 「暗証番号の初期化・再設定」: the host chooses the flow, not a machine. */
function isStartPinReset(intent: unknown): boolean {
  return (
    typeof intent === 'object' && intent !== null && (intent as { type?: unknown }).type === 'start-pin-reset'
  );
}

/** An error as logged: its type and code, never its message (it may quote data). */
function errorKind(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, ...(typeof code === 'string' ? { code } : {}) };
}
