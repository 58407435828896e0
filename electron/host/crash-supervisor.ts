/**
 * Counts the host's own faults: an exception in the session machine, a promise nobody handled, a
 * renderer that died. Each one ends the session through the clean-up; `limit` of them within
 * `windowMs` put the kiosk out of service, for good in this process (the service manager restarts
 * it). The clock is injected so tests step it.
 */

export type HostFault = 'session-machine' | 'unhandled-rejection' | 'uncaught-exception' | 'renderer-gone';

/** `recover`: end the session and carry on. `out-of-service`: show it and exit non-zero. */
export type FaultOutcome = 'recover' | 'out-of-service';

export interface CrashSupervisorOptions {
  /** Faults within the window that put the kiosk out of service. */
  limit: number;
  windowMs: number;
  now: () => number;
}

export const DEFAULT_CRASH_LIMITS = { limit: 3, windowMs: 10 * 60_000 } as const;

export interface CrashSupervisor {
  record(fault: HostFault): FaultOutcome;
  readonly outOfService: boolean;
}

export function createCrashSupervisor(options: Partial<CrashSupervisorOptions> = {}): CrashSupervisor {
  const limit = options.limit ?? DEFAULT_CRASH_LIMITS.limit;
  const windowMs = options.windowMs ?? DEFAULT_CRASH_LIMITS.windowMs;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('crash limit must be a positive integer');
  if (!(windowMs > 0)) throw new RangeError('crash window must be positive');
  let recent: number[] = [];
  let outOfService = false;
  return {
    record() {
      const at = now();
      recent = [...recent.filter((t) => at - t < windowMs), at];
      if (recent.length >= limit) outOfService = true;
      return outOfService ? 'out-of-service' : 'recover';
    },
    get outOfService() {
      return outOfService;
    },
  };
}
