/**
 * The host's hold on the job at the printer. A fault (an exception in an action, the idle limit)
 * can stop the session machine while its print call is still running; that call goes on and
 * its answer — printed or not — is what happened to the paper. The tracker keeps the answer of
 * the latest job so the host can settle the session on it (delivered, or refunded) instead of
 * refunding a job that may still come out of the printer.
 */
import type { PrintResult, Printer } from '../printer/printer.ts';

export interface PrintTracker {
  /** The printer to give the session machine: every job's answer is kept until the next job. */
  printer: Printer;
  /** The answer (or the pending answer) of the latest job, if it was named `jobName`. */
  outcomeOf(jobName: string): Promise<PrintResult> | undefined;
}

export function trackPrints(printer: Printer): PrintTracker {
  let latest: { jobName: string; outcome: Promise<PrintResult> } | undefined;
  const tracked: Printer = {
    describe: () => printer.describe(),
    status: () => printer.status(),
    print(pdf, job) {
      const outcome = printer.print(pdf, job).catch((error: unknown): PrintResult => ({
        ok: false,
        failure: { kind: 'unavailable', detail: `printer client error: ${String(error)}` },
      }));
      latest = { jobName: job.jobName, outcome };
      return outcome;
    },
  };
  if (printer.findJob) tracked.findJob = (jobName) => printer.findJob!(jobName);
  if (printer.cancelJob) tracked.cancelJob = (jobId) => printer.cancelJob!(jobId);
  if (printer.duplex) tracked.duplex = () => printer.duplex!();
  return {
    printer: tracked,
    outcomeOf: (jobName) => (latest?.jobName === jobName ? latest.outcome : undefined),
  };
}
