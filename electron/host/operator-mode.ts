/**
 * Operator mode, beside the resident's session: the store operator enters it from the welcome
 * screen (the page sends `operator-enter` after the documented key sequence), types the operator
 * PIN (digits one at a time, as residents do; 5 wrong tries lock it for 15 minutes), and sees the
 * kiosk's status, today's counts, the self-tests, the log export and the out-of-service switch —
 * never a resident's data. It wraps the kiosk host: while it is open, or while the kiosk is
 * switched out of service, no resident session can start.
 */
import type {
  IntentResult,
  KioskIntent,
  KioskScreen,
  KioskSnapshot,
  OperatorLanguage,
  OperatorSelfTest,
  OperatorSelfTestView,
  OutOfServiceNotice,
  RecoveredTransactionView,
} from '../kiosk-api.ts';
import type { KioskHealth } from '../../protocol/heartbeat.ts';
import type { TodaysCounts } from '../diagnostics/todays-counts.ts';
import type { KioskHost } from './kiosk-host.ts';
import type { Logger } from './logger.ts';
import { OPERATOR_PIN_MAX_LENGTH, OPERATOR_PIN_MIN_LENGTH, type OperatorPinGate } from './operator-pin.ts';
import { OUT_OF_SERVICE_NOTICES, type OperatorSwitchStore } from './operator-switch.ts';

export type SelfTestResult = { pass: boolean; detail?: string };

export interface OperatorServices {
  /** Null when no operator PIN is provisioned: operator mode cannot be entered. */
  pinGate: OperatorPinGate | null;
  switchStore: OperatorSwitchStore;
  collectHealth(): Promise<KioskHealth>;
  todaysCounts(): TodaysCounts;
  /** What recovery did at this start (journal/recovery.ts), read again on every refresh; absent: none. */
  recoveryList?(): RecoveredTransactionView[];
  selfTest(test: OperatorSelfTest): Promise<SelfTestResult>;
  exportLog(): Promise<{ file: string; lines: number }>;
  logger: Logger;
  now?: () => number;
  /** Operator mode closes by itself after this long without an intent (default 5 minutes). */
  idleMs?: number;
}

export const OPERATOR_IDLE_MS = 5 * 60_000;

type OperatorState =
  | { kind: 'off' }
  | { kind: 'pin'; digits: number[]; triesLeft: number | null; lockedUntil: number | null; checking: boolean }
  | {
      kind: 'open';
      language: OperatorLanguage;
      status: KioskHealth | null;
      counts: TodaysCounts | null;
      recovered: RecoveredTransactionView[];
      selfTests: Map<OperatorSelfTest, OperatorSelfTestView>;
      logExport?: { file: string; lines: number } | { failed: true };
    };

const OPERATOR_INTENTS = new Set([
  'operator-enter',
  'operator-pin-digit',
  'operator-pin-backspace',
  'operator-pin-submit',
  'operator-refresh',
  'operator-self-test',
  'operator-export-log',
  'operator-set-out-of-service',
  'operator-set-language',
  'operator-exit',
]);
const SELF_TESTS: readonly OperatorSelfTest[] = ['printer', 'reader', 'payment'];

export interface OperatorModeHost extends KioskHost {
  /** The operator's switch: since when the kiosk is out of service (ISO 8601), or null. */
  outOfServiceSince(): string | null;
}

export function withOperatorMode(host: KioskHost, services: OperatorServices): OperatorModeHost {
  const now = services.now ?? Date.now;
  const idleMs = services.idleMs ?? OPERATOR_IDLE_MS;
  const listeners = new Set<(snapshot: KioskSnapshot) => void>();
  let state: OperatorState = { kind: 'off' };
  let last: string | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function operatorView(): KioskScreen | undefined {
    if (state.kind === 'pin') {
      const locked = services.pinGate?.lockedUntil() ?? null;
      return {
        screen: 'operator-pin',
        digitsEntered: state.digits.length,
        triesLeft: state.triesLeft,
        ...(locked === null ? {} : { lockedUntil: new Date(locked).toISOString() }),
        ...(state.checking ? { checking: true } : {}),
      };
    }
    if (state.kind === 'open') {
      const switched = services.switchStore.get();
      return {
        screen: 'operator',
        language: state.language,
        status: state.status,
        counts: state.counts,
        recovered: state.recovered,
        selfTests: SELF_TESTS.flatMap((t) => {
          const view = (state as { selfTests: Map<OperatorSelfTest, OperatorSelfTestView> }).selfTests.get(t);
          return view ? [view] : [];
        }),
        outOfService: switched ? { notice: switched.notice, since: switched.since } : null,
        ...(state.logExport ? { logExport: state.logExport } : {}),
      };
    }
    return undefined;
  }

  function snapshot(): KioskSnapshot {
    const inner = host.getSnapshot();
    const view = operatorView();
    if (view) return { transactionId: null, language: 'ja', view };
    const switched = services.switchStore.get();
    // Switched off: residents see the notice (in their language) once no session is running.
    if (switched && inner.transactionId === null)
      return { ...inner, view: { screen: 'out-of-service', notice: switched.notice } };
    return inner;
  }

  function publish(): void {
    const next = snapshot();
    const text = JSON.stringify(next);
    if (text === last) return;
    last = text;
    for (const listener of listeners) listener(next);
  }

  const unsubscribe = host.onSnapshot(() => publish());

  function armIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    if (state.kind === 'off') return;
    idleTimer = setTimeout(() => {
      services.logger.info({ code: 'operator-idle' }, 'operator mode closed after idle');
      close();
    }, idleMs);
    idleTimer.unref?.();
  }

  function close(): void {
    if (state.kind === 'pin') state.digits.fill(0);
    state = { kind: 'off' };
    armIdle();
    publish();
  }

  async function refresh(): Promise<void> {
    const health = await services.collectHealth();
    let counts: TodaysCounts | null;
    try {
      counts = services.todaysCounts();
    } catch {
      counts = null;
    }
    let recovered: RecoveredTransactionView[];
    try {
      recovered = services.recoveryList?.() ?? [];
    } catch {
      recovered = [];
    }
    if (state.kind !== 'open') return;
    state.status = health;
    state.counts = counts;
    state.recovered = recovered;
    publish();
  }

  async function submitPin(): Promise<void> {
    if (state.kind !== 'pin' || !services.pinGate) return;
    const digits = Buffer.from(state.digits.join(''), 'utf8');
    state.digits.fill(0);
    state.digits = [];
    state.checking = true;
    publish();
    const outcome = await services.pinGate.check(digits);
    digits.fill(0);
    if (state.kind !== 'pin') return;
    if (outcome.kind === 'ok') {
      services.logger.info({ code: 'operator-signed-in' }, 'operator mode opened');
      state = {
        kind: 'open',
        language: 'ja',
        status: null,
        counts: null,
        recovered: services.recoveryList?.() ?? [],
        selfTests: new Map(),
      };
      publish();
      void refresh().catch(() => undefined);
      return;
    }
    services.logger.warn(
      { code: outcome.kind === 'locked' ? 'operator-pin-locked' : 'operator-pin-wrong' },
      'operator PIN refused',
    );
    state.checking = false;
    state.triesLeft = outcome.kind === 'wrong' ? outcome.triesLeft : 0;
    state.lockedUntil = outcome.kind === 'locked' ? outcome.until : null;
    publish();
  }

  async function runSelfTest(test: OperatorSelfTest): Promise<void> {
    if (state.kind !== 'open') return;
    state.selfTests.set(test, { test, state: 'running' });
    publish();
    let result: SelfTestResult;
    try {
      result = await services.selfTest(test);
    } catch {
      result = { pass: false, detail: 'internal' };
    }
    services.logger.info(
      { code: `self-test-${test}`, outcome: result.pass ? 'pass' : 'fail' },
      'operator self-test',
    );
    if (state.kind !== 'open') return;
    state.selfTests.set(test, {
      test,
      state: result.pass ? 'pass' : 'fail',
      ...(result.detail === undefined ? {} : { detail: result.detail }),
      at: new Date(now()).toISOString(),
    });
    publish();
  }

  async function exportLog(): Promise<void> {
    let exported: { file: string; lines: number } | { failed: true };
    try {
      exported = await services.exportLog();
    } catch {
      exported = { failed: true };
    }
    if (state.kind !== 'open') return;
    state.logExport = exported;
    publish();
  }

  function setSwitch(notice: unknown): IntentResult {
    if (notice !== null && !OUT_OF_SERVICE_NOTICES.includes(notice as OutOfServiceNotice))
      return { accepted: false, reason: 'invalid' };
    const value =
      notice === null ? null : { notice: notice as OutOfServiceNotice, since: new Date(now()).toISOString() };
    services.switchStore.set(value);
    services.logger.info(
      { code: value ? 'out-of-service-on' : 'out-of-service-off', reason: value?.notice },
      'operator switch',
    );
    void refresh().catch(() => undefined);
    publish();
    return { accepted: true };
  }

  function operatorIntent(i: Partial<KioskIntent> & Record<string, unknown>): IntentResult {
    const bad: IntentResult = { accepted: false, reason: 'bad-state' };
    if (i.type === 'operator-enter') {
      const inner = host.getSnapshot();
      const idle =
        inner.transactionId === null &&
        (inner.view.screen === 'welcome' || services.switchStore.get() !== null);
      if (state.kind !== 'off' || !services.pinGate || !idle) return bad;
      state = {
        kind: 'pin',
        digits: [],
        triesLeft: null,
        lockedUntil: services.pinGate.lockedUntil(),
        checking: false,
      };
      return { accepted: true };
    }
    if (state.kind === 'off') return bad;
    if (i.type === 'operator-exit') {
      services.logger.info({ code: 'operator-signed-out' }, 'operator mode closed');
      close();
      return { accepted: true };
    }
    if (state.kind === 'pin') {
      if (state.checking) return bad;
      switch (i.type) {
        case 'operator-pin-digit':
          if (typeof i.digit !== 'number' || !Number.isInteger(i.digit) || i.digit < 0 || i.digit > 9)
            return { accepted: false, reason: 'invalid' };
          if (state.digits.length >= OPERATOR_PIN_MAX_LENGTH) return bad;
          state.digits.push(i.digit);
          return { accepted: true };
        case 'operator-pin-backspace':
          state.digits.pop();
          return { accepted: true };
        case 'operator-pin-submit':
          // Too short to be a PIN: not a try (the page may send Enter before its count caught up).
          if (state.digits.length < OPERATOR_PIN_MIN_LENGTH) return bad;
          void submitPin();
          return { accepted: true };
        default:
          return bad;
      }
    }
    switch (i.type) {
      case 'operator-refresh':
        void refresh().catch(() => undefined);
        return { accepted: true };
      case 'operator-self-test':
        if (!SELF_TESTS.includes(i.test as OperatorSelfTest)) return { accepted: false, reason: 'invalid' };
        if (state.selfTests.get(i.test as OperatorSelfTest)?.state === 'running') return bad;
        void runSelfTest(i.test as OperatorSelfTest);
        return { accepted: true };
      case 'operator-export-log':
        void exportLog();
        return { accepted: true };
      case 'operator-set-out-of-service':
        return setSwitch(i.notice);
      case 'operator-set-language':
        if (i.language !== 'ja' && i.language !== 'en') return { accepted: false, reason: 'invalid' };
        state.language = i.language;
        return { accepted: true };
      default:
        return bad;
    }
  }

  return {
    ...host,
    getSnapshot: snapshot,
    onSnapshot(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(intent) {
      if (
        typeof intent === 'object' &&
        intent !== null &&
        OPERATOR_INTENTS.has(String((intent as { type?: unknown }).type))
      ) {
        const result = operatorIntent(intent as Partial<KioskIntent> & Record<string, unknown>);
        if (result.accepted) {
          armIdle();
          publish();
        }
        return result;
      }
      // While the operator works, or the kiosk is switched off, no resident session starts.
      if (state.kind !== 'off') return { accepted: false, reason: 'bad-state' };
      const type =
        typeof intent === 'object' && intent !== null ? (intent as { type?: unknown }).type : undefined;
      if (services.switchStore.get() !== null && type === 'start')
        return { accepted: false, reason: 'bad-state' };
      return host.send(intent);
    },
    outOfServiceSince: () => services.switchStore.get()?.since ?? null,
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      unsubscribe();
      listeners.clear();
      await host.close();
    },
  };
}
