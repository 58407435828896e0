/**
 * The printer seam: what the kiosk host needs from whatever puts certificates on paper.
 * Implementations: IppPrinter (a real IPP Everywhere printer) and SpoolPrinter (a folder, the
 * demo's last resort). Every failure is a typed value; nothing throws out of status() or print().
 */

export type PrinterStatus =
  | { kind: 'idle' | 'processing' }
  | { kind: 'stopped'; reasons: string[] }
  | { kind: 'unreachable'; detail: string };

export type PrintFailure =
  | { kind: 'out-of-paper' }
  | { kind: 'jammed' }
  | { kind: 'unavailable'; detail: string }
  | { kind: 'job-aborted'; reason: string }
  /** The job did not finish in time; it was cancelled if the printer still answered. */
  | { kind: 'timeout' }
  | { kind: 'rejected'; detail: string };

export type PrintJob = {
  /** The transaction id, never a resident's name. */
  jobName: string;
  copies: number;
  /** Both sides of the sheet (a document rendered with its back sides); one-sided when absent. */
  sides?: 'two-sided-long-edge';
};

export type PrintResult =
  | {
      ok: true;
      jobId: string;
      /** Impressions (printed sides) the printer reports for the job, when it reports them. */
      impressions?: number;
    }
  | { ok: false; failure: PrintFailure };

/** What the printer knows of the job named after a transaction (its newest, if several). */
export type JobLookup =
  | { kind: 'completed'; jobId: string; impressions?: number }
  /** Still queued or printing: it may yet come out. */
  | { kind: 'active'; jobId: string }
  /** Aborted or canceled: nothing more will come out of it. */
  | { kind: 'ended'; jobId: string }
  /** The printer answered and holds no job of that name. */
  | { kind: 'none' }
  /** The printer did not answer: the job may or may not exist. */
  | { kind: 'unknown'; detail: string };

export interface Printer {
  describe(): string; // e.g. "IPP ipp://127.0.0.1:8631/ipp/print" or "spool /path"
  status(): Promise<PrinterStatus>;
  /** Submits one PDF and waits until the printer reports the job completed. */
  print(pdf: Uint8Array, job: PrintJob): Promise<PrintResult>;
  /** Looks up a job by its name (the transaction id), e.g. after a host stopped mid-job. */
  findJob?(jobName: string): Promise<JobLookup>;
  /** Cancels a job that has not completed, so it cannot come out later. */
  cancelJob?(jobId: string): Promise<void>;
  /** Whether the printer prints both sides of a sheet; undefined when it did not answer. */
  duplex?(): Promise<boolean | undefined>;
}

/**
 * The printer for documents rendered with their back sides: every job goes out two-sided
 * (long edge), so each back lands behind its own front page.
 */
export function printingBothSides(printer: Printer): Printer {
  const both: Printer = {
    describe: () => `${printer.describe()} (two-sided)`,
    status: () => printer.status(),
    print: (pdf, job) => printer.print(pdf, { ...job, sides: 'two-sided-long-edge' }),
  };
  if (printer.findJob) both.findJob = (jobName) => printer.findJob!(jobName);
  if (printer.cancelJob) both.cancelJob = (jobId) => printer.cancelJob!(jobId);
  return both;
}

/** Job names are transaction ids: letters, digits, '.', '_' and '-' only (no names, no paths). */
const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const MAX_COPIES = 10;

export function isJobName(name: string): boolean {
  return JOB_NAME.test(name);
}

/** Checks a job before it goes anywhere; returns the reason it is refused, if it is. */
export function checkPrintJob(pdf: Uint8Array, job: PrintJob): PrintFailure | undefined {
  if (!JOB_NAME.test(job.jobName)) {
    return { kind: 'rejected', detail: 'job name must be a transaction id ([A-Za-z0-9._-], max 128)' };
  }
  if (!Number.isInteger(job.copies) || job.copies < 1 || job.copies > MAX_COPIES) {
    return { kind: 'rejected', detail: `copies must be an integer from 1 to ${MAX_COPIES}` };
  }
  if (pdf.byteLength < 5 || Buffer.from(pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    return { kind: 'rejected', detail: 'document is not a PDF' };
  }
  return undefined;
}
