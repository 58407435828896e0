/**
 * The visible time limit of the screen in front of the resident: the session machine's own limit
 * (DEFAULT_TIMEOUTS: place card, PIN, menu, confirm, 利用登録, payment, done, error), announced in
 * its last seconds and extendable with 「延長する」.
 *
 * The machine keeps its limits as xstate delayed transitions; this module reads them from the
 * actor system's scheduler (public API: `system.getSnapshot()._scheduledEvents`,
 * `system.scheduler`) and never adds a second timer that could end a session: at zero the
 * machine's own transition runs its one clean-up. 「延長する」 schedules the same transition again
 * with its full delay, so the machine stays the only place a limit ends a session.
 */
import type { AnyActorRef, EventObject } from 'xstate';

/** The named delays of the session machine that end a screen the resident is looking at. */
export const SCREEN_LIMIT_DELAYS: readonly string[] = [
  'placeCardTimeout',
  'pinEntryTimeout',
  'menuTimeout',
  'paymentTimeout',
  'doneTimeout',
  'errorTimeout',
];

/** The countdown is shown in the last 20 s of a limit. */
export const DEFAULT_WARNING_MS = 20_000;

/** What the page is told: the countdown shows, from this many seconds. */
export interface TimeLimitWarning {
  secondsLeft: number;
}

export interface CountdownClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

interface ScheduledLimit {
  /** The scheduler's record of this timer: each (re)start makes a new one. */
  entry: object;
  id: string;
  delay: number;
  event: EventObject;
  source: AnyActorRef;
  target: AnyActorRef;
}

/** The screen limit the actor has scheduled now, if any. */
export function scheduledScreenLimit(actor: AnyActorRef): ScheduledLimit | undefined {
  const scheduled = actor.system.getSnapshot()._scheduledEvents;
  for (const entry of Object.values(scheduled)) {
    if (entry.source !== actor) continue;
    const delayName = /^xstate\.after\.([^.]+)\./.exec(entry.event.type)?.[1];
    if (delayName === undefined || !SCREEN_LIMIT_DELAYS.includes(delayName)) continue;
    return {
      entry,
      id: entry.id,
      delay: entry.delay,
      event: entry.event,
      source: entry.source,
      target: entry.target,
    };
  }
  return undefined;
}

export interface Countdown {
  /** Looks at the actor's limits again (after each step of the machine); true when the warning changed. */
  check(actor: AnyActorRef): boolean;
  /** The warning shown now, if the limit is in its last seconds. */
  warning(): TimeLimitWarning | undefined;
  /** 「延長する」: the screen's limit starts again from its full length. False when no limit runs. */
  extend(actor: AnyActorRef): boolean;
  dispose(): void;
}

/**
 * Follows the current screen's limit; `onWarning` is called when the warning starts (the host
 * publishes a snapshot then). A limit is restarted whenever the machine re-enters the state (a PIN
 * digit, for instance): a new scheduled timer means a new countdown.
 */
export function createCountdown(
  clock: CountdownClock,
  onWarning: () => void,
  warningMs: number = DEFAULT_WARNING_MS,
): Countdown {
  let followed: object | undefined;
  let timer: unknown;
  let shown: TimeLimitWarning | undefined;

  const clear = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };

  const follow = (limit: ScheduledLimit | undefined): boolean => {
    if (limit?.entry === followed) return false;
    const hadWarning = shown !== undefined;
    clear();
    shown = undefined;
    followed = limit?.entry;
    if (limit) {
      // Seen in the step that scheduled it: the whole delay is still ahead.
      const warnFor = Math.min(warningMs, limit.delay);
      timer = clock.setTimeout(() => {
        timer = undefined;
        shown = { secondsLeft: Math.ceil(warnFor / 1000) };
        onWarning();
      }, limit.delay - warnFor);
    }
    return hadWarning;
  };

  return {
    check: (actor) => follow(scheduledScreenLimit(actor)),
    warning: () => shown,
    extend(actor) {
      const limit = scheduledScreenLimit(actor);
      if (!limit) return false;
      const { scheduler } = actor.system;
      scheduler.cancel(limit.source, limit.id);
      scheduler.schedule(limit.source, limit.target, limit.event, limit.delay, limit.id);
      follow(scheduledScreenLimit(actor));
      return true;
    },
    dispose() {
      clear();
      shown = undefined;
      followed = undefined;
    },
  };
}
