/**
 * The kiosk process around the host, shared by Electron's main.ts and kiosk:web: a promise nobody
 * handled or an exception nobody caught is a host fault (the session ends through the clean-up,
 * the supervisor counts it) instead of killing the process mid-session; out of service, the screen
 * shows for a moment, the host closes (within a limit) and the process exits non-zero so the
 * service manager starts a fresh kiosk; a quit waits for the clean-up (within a limit).
 */
import type { HostFault } from './crash-supervisor.ts';
import type { HostClock, KioskHost } from './kiosk-host.ts';
import type { Logger } from './logger.ts';

/** Exit status when the host went out of service (EX_SOFTWARE): not 0, so systemd restarts it. */
export const OUT_OF_SERVICE_EXIT_CODE = 70;
/** How long the out-of-service screen stays up before the process exits. */
export const DEFAULT_OUT_OF_SERVICE_HOLD_MS = 5_000;
/** How long a quit or an exit waits for the host's clean-up. */
export const DEFAULT_SHUTDOWN_LIMIT_MS = 15_000;

export interface ProcessFaultEvents {
  on(event: 'unhandledRejection' | 'uncaughtException', listener: (reason: unknown) => void): unknown;
  off(event: 'unhandledRejection' | 'uncaughtException', listener: (reason: unknown) => void): unknown;
}

const REAL_CLOCK: HostClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** Runs `work`, giving up waiting after `ms`: true when it finished (or failed) in time. */
export async function within(
  work: () => Promise<void>,
  ms: number,
  clock: HostClock = REAL_CLOCK,
): Promise<boolean> {
  let timer: unknown;
  const limit = new Promise<false>((resolve) => (timer = clock.setTimeout(() => resolve(false), ms)));
  const finished = work().then(
    () => true as const,
    () => true as const,
  );
  const outcome = await Promise.race([finished, limit]);
  clock.clearTimeout(timer);
  return outcome;
}

export interface ProcessSupervisionOptions {
  host: Pick<KioskHost, 'reportFault' | 'onOutOfService'>;
  /** Closes the host and everything around it (the kiosk:web server, the devices). */
  close: () => Promise<void>;
  exit: (code: number) => void;
  logger: Logger;
  events?: ProcessFaultEvents;
  clock?: HostClock;
  holdMs?: number;
  closeLimitMs?: number;
}

/** Installs the handlers; returns a function that removes them. */
export function superviseProcess(options: ProcessSupervisionOptions): () => void {
  const events = options.events ?? process;
  const clock = options.clock ?? REAL_CLOCK;
  const onFault = (fault: HostFault) => (reason: unknown) => {
    // The type only: a message may quote data.
    options.logger.error(
      { fault, type: reason instanceof Error ? reason.name : typeof reason },
      'process fault',
    );
    options.host.reportFault(fault);
  };
  const onRejection = onFault('unhandled-rejection');
  const onException = onFault('uncaught-exception');
  events.on('unhandledRejection', onRejection);
  events.on('uncaughtException', onException);
  const offOutOfService = options.host.onOutOfService(() => {
    options.logger.error({}, 'kiosk out of service: exiting for a restart');
    clock.setTimeout(() => {
      void within(options.close, options.closeLimitMs ?? DEFAULT_SHUTDOWN_LIMIT_MS, clock).then(() =>
        options.exit(OUT_OF_SERVICE_EXIT_CODE),
      );
    }, options.holdMs ?? DEFAULT_OUT_OF_SERVICE_HOLD_MS);
  });
  return () => {
    events.off('unhandledRejection', onRejection);
    events.off('uncaughtException', onException);
    offOutOfService();
  };
}

/**
 * Electron's `before-quit`: the first quit is held (preventDefault) until the host's clean-up has
 * run or the limit passed, then `quit` is called again and goes through.
 */
export function createQuitGate(options: {
  close: () => Promise<void>;
  quit: () => void;
  logger: Logger;
  clock?: HostClock;
  limitMs?: number;
}): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  return (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void within(options.close, options.limitMs ?? DEFAULT_SHUTDOWN_LIMIT_MS, options.clock).then(
      (finished) => {
        if (!finished) options.logger.warn({}, 'quit: the clean-up did not finish in time');
        state = 'closed';
        options.quit();
      },
    );
  };
}

/** Electron's `render-process-gone` reasons that are a fault (not the page closing with the app). */
export function isRendererFault(reason: string): boolean {
  return reason !== 'clean-exit';
}
