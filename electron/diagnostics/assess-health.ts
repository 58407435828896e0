/**
 * What the kiosk's status means: the problems it shows and the overall verdict. Pure: the same
 * status always gives the same answer (the operator screen, `npm run diagnose` and the heartbeat
 * all use it).
 *
 * Blocking problems (the kiosk cannot serve a resident) make it `out-of-service`; any other
 * problem makes it `degraded`; none, `healthy`.
 */
import type {
  CentreLinkHealth,
  DiskHealth,
  HealthProblem,
  HealthProblemCode,
  OverallHealth,
  PaymentHealth,
  PrinterHealth,
  ReaderHealth,
} from '../../protocol/heartbeat.ts';

export const HEALTH_LIMITS = {
  /** A supply at or under this percentage is low. */
  lowSupplyPercent: 10,
  /** A change tube with fewer coins than this is low. */
  lowChangeCoins: 5,
  /** A round trip to the centre slower than this is slow. */
  slowCentreMs: 2_000,
  /** The kiosk's clock this far from the centre's (either way) is a problem. */
  clockSkewMs: 60_000,
  /** The terminal certificate expiring within this many days is a problem. */
  certificateWarningDays: 30,
  /** Free space under this is low. */
  lowDiskBytes: 1024 ** 3,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface HealthParts {
  outOfServiceSince: string | null;
  readers: ReaderHealth[];
  printer: PrinterHealth;
  payment: PaymentHealth;
  centre: CentreLinkHealth;
  disk: DiskHealth | null;
}

function reasonStem(reason: string): string {
  return reason.replace(/-(report|warning|error)$/, '');
}

function printerProblems(printer: PrinterHealth): HealthProblemCode[] {
  if (printer.state === 'unreachable') return ['printer-unreachable'];
  const stems = printer.reasons.map(reasonStem);
  const codes: HealthProblemCode[] = [];
  const outOfPaper = stems.some((s) => s.startsWith('media-empty') || s.startsWith('media-needed'));
  if (outOfPaper) codes.push('printer-out-of-paper');
  if (stems.some((s) => s.startsWith('media-jam'))) codes.push('printer-jammed');
  if (printer.state === 'stopped' && codes.length === 0) codes.push('printer-stopped');
  const low = (kind: 'paper' | 'toner' | 'ink') =>
    printer.supplies.some(
      (s) => s.kind === kind && s.levelPercent !== null && s.levelPercent <= HEALTH_LIMITS.lowSupplyPercent,
    );
  if (!outOfPaper && (low('paper') || stems.some((s) => s === 'media-low'))) codes.push('printer-paper-low');
  if (low('toner') || low('ink') || stems.some((s) => s === 'toner-low' || s === 'marker-supply-low'))
    codes.push('printer-toner-low');
  return codes;
}

function paymentProblems(payment: PaymentHealth): HealthProblemCode[] {
  if (payment.state === 'not-checked') return [];
  if (payment.state !== 'online') return ['payment-offline'];
  const codes: HealthProblemCode[] = [];
  if (payment.faults.includes('jam')) codes.push('payment-jammed');
  if (payment.coinBoxFull || payment.faults.includes('coin-box-full')) codes.push('payment-coin-box-full');
  const tubes = Object.values(payment.changeLevels);
  if (payment.faults.includes('change-empty') || tubes.some((n) => n < HEALTH_LIMITS.lowChangeCoins))
    codes.push('payment-change-low');
  return codes;
}

function centreProblems(centre: CentreLinkHealth, now: Date): HealthProblemCode[] {
  const codes: HealthProblemCode[] = [];
  if (!centre.reachable) codes.push('centre-unreachable');
  else if (centre.latencyMs !== null && centre.latencyMs > HEALTH_LIMITS.slowCentreMs)
    codes.push('centre-slow');
  if (centre.clockSkewMs !== null && Math.abs(centre.clockSkewMs) > HEALTH_LIMITS.clockSkewMs)
    codes.push('clock-skew');
  if (centre.terminalCertificateNotAfter !== null) {
    const left = Date.parse(centre.terminalCertificateNotAfter) - now.getTime();
    if (left <= 0) codes.push('terminal-certificate-expired');
    else if (left <= HEALTH_LIMITS.certificateWarningDays * DAY_MS)
      codes.push('terminal-certificate-expiring');
  }
  return codes;
}

/** Problems that leave no way to serve a resident. */
const BLOCKING: ReadonlySet<HealthProblemCode> = new Set<HealthProblemCode>([
  'out-of-service-switch',
  'reader-missing',
  'reader-service-down',
  'printer-unreachable',
  'printer-out-of-paper',
  'printer-jammed',
  'printer-stopped',
  'payment-offline',
  'payment-jammed',
  'payment-coin-box-full',
  'centre-unreachable',
  'terminal-certificate-expired',
]);

/** Every problem the status shows, in a stable order. */
export function healthProblems(parts: HealthParts, now: Date): HealthProblem[] {
  const codes: HealthProblemCode[] = [];
  if (parts.outOfServiceSince !== null) codes.push('out-of-service-switch');
  if (parts.readers.some((r) => r.state === 'service-down')) codes.push('reader-service-down');
  else if (!parts.readers.some((r) => r.state === 'ready')) codes.push('reader-missing');
  codes.push(...printerProblems(parts.printer));
  codes.push(...paymentProblems(parts.payment));
  codes.push(...centreProblems(parts.centre, now));
  if (parts.disk && parts.disk.freeBytes < HEALTH_LIMITS.lowDiskBytes) codes.push('disk-low');
  return codes.map((code) => ({ code, blocking: BLOCKING.has(code) }));
}

export function overallHealth(problems: readonly HealthProblem[]): OverallHealth {
  if (problems.some((p) => p.blocking)) return 'out-of-service';
  return problems.length > 0 ? 'degraded' : 'healthy';
}

/** `npm run diagnose`'s exit code: 0 healthy, 1 degraded, 2 out of service. */
export function exitCodeFor(overall: OverallHealth): 0 | 1 | 2 {
  return overall === 'healthy' ? 0 : overall === 'degraded' ? 1 : 2;
}
