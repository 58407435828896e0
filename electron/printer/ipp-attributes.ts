/**
 * Pure mapping from IPP attributes (as the `ipp` parser returns them: one value as a scalar,
 * several as an array, enums as their keyword or, when unknown, their number) to our typed
 * PrinterStatus, job progress and PrintFailure. No I/O here, so every branch is unit-tested.
 */
import type { PrintFailure, PrinterStatus } from './printer.ts';

export type IppAttributes = Readonly<Record<string, unknown>>;

/** RFC 8011 printer-state enum values. */
const PRINTER_STATES: Readonly<Record<number, string>> = { 3: 'idle', 4: 'processing', 5: 'stopped' };
/** RFC 8011 job-state enum values. */
const JOB_STATES: Readonly<Record<number, string>> = {
  3: 'pending',
  4: 'pending-held',
  5: 'processing',
  6: 'processing-stopped',
  7: 'canceled',
  8: 'aborted',
  9: 'completed',
};

/** A keyword attribute as a list of strings; 'none' and non-strings are dropped. */
export function keywords(value: unknown): string[] {
  const values = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0 && v !== 'none');
}

function enumKeyword(value: unknown, table: Readonly<Record<number, string>>): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return table[value];
  return undefined;
}

/** The printer-state-reasons keyword without its severity suffix (-error, -warning, -report). */
function reasonStem(reason: string): string {
  return reason.replace(/-(error|warning|report)$/, '');
}

/**
 * The paper conditions that stop a kiosk from printing, whatever severity suffix the printer
 * gives them (ippeveprinter, for one, reports an empty tray as "media-empty-report").
 */
export function failureFromPrinterReasons(reasons: readonly string[]): PrintFailure | undefined {
  const stems = reasons.map(reasonStem);
  if (stems.some((s) => s === 'media-jam' || s.startsWith('media-jam'))) return { kind: 'jammed' };
  if (stems.some((s) => s.startsWith('media-empty') || s.startsWith('media-needed'))) {
    return { kind: 'out-of-paper' };
  }
  return undefined;
}

/** Printer status from Get-Printer-Attributes' printer-state and printer-state-reasons. */
export function printerStatusFromAttributes(attrs: IppAttributes): PrinterStatus {
  const state = enumKeyword(attrs['printer-state'], PRINTER_STATES);
  const reasons = keywords(attrs['printer-state-reasons']);
  if (state === 'stopped') return { kind: 'stopped', reasons };
  if (state !== 'idle' && state !== 'processing') {
    return {
      kind: 'unreachable',
      detail: `printer answered without a known printer-state (${String(state)})`,
    };
  }
  // An idle printer with no paper cannot serve the next resident: report it as stopped.
  if (failureFromPrinterReasons(reasons)) return { kind: 'stopped', reasons };
  return { kind: state };
}

export type JobProgress =
  | { kind: 'waiting'; state: 'pending' | 'pending-held' | 'processing' | 'processing-stopped' }
  | { kind: 'completed' }
  | { kind: 'ended'; state: 'aborted' | 'canceled'; reasons: string[] }
  | { kind: 'unknown'; detail: string };

/** Job progress from Get-Job-Attributes' job-state and job-state-reasons. */
export function jobProgressFromAttributes(attrs: IppAttributes): JobProgress {
  const state = enumKeyword(attrs['job-state'], JOB_STATES);
  switch (state) {
    case 'pending':
    case 'pending-held':
    case 'processing':
    case 'processing-stopped':
      return { kind: 'waiting', state };
    case 'completed':
      return { kind: 'completed' };
    case 'aborted':
    case 'canceled':
      return { kind: 'ended', state, reasons: keywords(attrs['job-state-reasons']) };
    default:
      return { kind: 'unknown', detail: `job-state ${String(attrs['job-state'])}` };
  }
}

/**
 * Why a job that ended without completing failed: a paper condition on the printer or in the
 * job's own reasons first, otherwise the job's reasons as they are.
 */
export function failureForEndedJob(
  job: { state: 'aborted' | 'canceled'; reasons: readonly string[] },
  printerReasons: readonly string[],
): PrintFailure {
  const paper = failureFromPrinterReasons(printerReasons) ?? failureFromPrinterReasons(job.reasons);
  if (paper) return paper;
  const reason = job.reasons.length > 0 ? job.reasons.join(',') : `job-${job.state}`;
  return { kind: 'job-aborted', reason };
}
