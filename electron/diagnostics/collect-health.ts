/**
 * Assembles the kiosk's health from its probes: readers, printer, payment device, centre link,
 * disk, versions and the out-of-service switch, then the problems and the verdict. A probe that
 * fails is reported as that part being unreachable or unknown; this never throws.
 */
import type {
  CentreLinkHealth,
  DiskHealth,
  KioskHealth,
  PaymentHealth,
  PrinterHealth,
  ReaderHealth,
  Versions,
} from '../../protocol/heartbeat.ts';
import type { PaymentDevice } from '../payment/payment-port.ts';
import type { ReaderStatus } from '../../native/card-transport.ts';
import { healthProblems, overallHealth } from './assess-health.ts';

export interface HealthProbes {
  now(): Date;
  /** The operator's switch: since when the kiosk is out of service (ISO 8601), or null. */
  outOfServiceSince(): string | null;
  readers(): ReaderHealth[];
  printer(): Promise<PrinterHealth>;
  payment(): Promise<PaymentHealth>;
  centre(): Promise<CentreLinkHealth>;
  disk(): Promise<DiskHealth | null>;
  versions: Versions;
}

const UNREACHABLE_PRINTER: PrinterHealth = {
  state: 'unreachable',
  reasons: [],
  supplies: [],
  queuedJobs: null,
};
export const UNKNOWN_PAYMENT: PaymentHealth = {
  state: 'unknown',
  faults: [],
  changeLevels: {},
  coinBoxFull: false,
};
const UNREACHABLE_CENTRE: CentreLinkHealth = {
  reachable: false,
  latencyMs: null,
  clockSkewMs: null,
  terminalCertificateNotAfter: null,
};

async function settle<T>(probe: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await probe();
  } catch {
    return fallback;
  }
}

export async function collectKioskHealth(probes: HealthProbes): Promise<KioskHealth> {
  const [printer, payment, centre, disk] = await Promise.all([
    settle(probes.printer, UNREACHABLE_PRINTER),
    settle(probes.payment, UNKNOWN_PAYMENT),
    settle(probes.centre, UNREACHABLE_CENTRE),
    settle(probes.disk, null),
  ]);
  let readers: ReaderHealth[];
  try {
    readers = probes.readers();
  } catch {
    readers = [];
  }
  const now = probes.now();
  const parts = { outOfServiceSince: probes.outOfServiceSince(), readers, printer, payment, centre, disk };
  const problems = healthProblems(parts, now);
  return {
    at: now.toISOString(),
    overall: overallHealth(problems),
    problems,
    ...parts,
    versions: probes.versions,
  };
}

/** The payment device's health from its status (change tubes, cash box, faults). */
export async function paymentHealthOf(device: PaymentDevice): Promise<PaymentHealth> {
  const status = await device.status();
  if (!status.ok) return { ...UNKNOWN_PAYMENT, state: 'offline', faults: ['offline'] };
  const s = status.value;
  return {
    state: s.online ? 'online' : 'offline',
    faults: [...s.faults],
    changeLevels: { ...s.changeLevels },
    coinBoxFull: s.coinBoxFull,
  };
}

/** A reader's health from its status; `lastError` is the last failure kind the host saw, if any. */
export function readerHealthOf(status: ReaderStatus, lastError: string | null = null): ReaderHealth {
  switch (status.kind) {
    case 'ready':
      return {
        name: status.reader.slice(0, 128),
        state: 'ready',
        cardPresent: status.cardPresent,
        lastError,
      };
    case 'no-reader':
      return { name: '-', state: 'no-reader', cardPresent: false, lastError };
    case 'service-down':
      return { name: '-', state: 'service-down', cardPresent: false, lastError: lastError ?? 'service-down' };
  }
}
