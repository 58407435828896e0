/**
 * IppPrinter: prints a PDF on an IPP Everywhere printer and follows the job to its end.
 * Print-Job (application/pdf, copies, job-name) → poll Get-Job-Attributes (quickly at first, then
 * every 500 ms) until completed/aborted/canceled, at most 2 minutes, giving up after 3 failed
 * queries in a row; a job that runs out of time is cancelled. A Print-Job whose answer never came
 * (time-out, connection lost after the document went out) may still have been accepted: the job
 * is looked up by its name (Get-Jobs) and followed if the printer has it, before the print is
 * declared failed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { callIpp, describeIppError } from './ipp-client.ts';
import type { IppCallError } from './ipp-client.ts';
import {
  failureForEndedJob,
  failureFromPrinterReasons,
  jobProgressFromAttributes,
  keywords,
  printerStatusFromAttributes,
} from './ipp-attributes.ts';
import { checkPrintJob } from './printer.ts';
import type { JobLookup, PrintFailure, PrintJob, PrintResult, Printer, PrinterStatus } from './printer.ts';

export type IppPrinterOptions = {
  /** e.g. ipp://127.0.0.1:8631/ipp/print */
  url: string;
  /** Time between Get-Job-Attributes polls once a job has run a while. Default 500 ms. */
  pollIntervalMs?: number;
  /** How long a job may take from submission to completion. Default 120 000 ms. */
  jobTimeoutMs?: number;
  /** Failed job queries in a row before giving up. Default 3. */
  maxFailedQueries?: number;
  /** Time-out of one status query. Default 3 000 ms. */
  queryTimeoutMs?: number;
  /** Time-out of the Print-Job request that carries the document. Default 30 000 ms. */
  submitTimeoutMs?: number;
  /** requesting-user-name sent with jobs: the kiosk, never the resident. Default "kiosk". */
  requestingUserName?: string;
};

const PRINTER_ATTRIBUTES = ['printer-state', 'printer-state-reasons'];
const JOB_ATTRIBUTES = ['job-state', 'job-state-reasons', 'job-impressions-completed'];
const LISTED_JOB_ATTRIBUTES = ['job-id', 'job-name', 'job-state', 'job-impressions-completed'];
/** Get-Jobs tries after a Print-Job went unanswered (the printer may be restarting). */
const LOOKUPS_AFTER_LOST_SUBMIT = 3;

export class IppPrinter implements Printer {
  private readonly url: string;
  private readonly pollIntervalMs: number;
  private readonly jobTimeoutMs: number;
  private readonly maxFailedQueries: number;
  private readonly queryTimeoutMs: number;
  private readonly submitTimeoutMs: number;
  private readonly requestingUserName: string;

  constructor(options: IppPrinterOptions) {
    this.url = options.url;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
    this.maxFailedQueries = options.maxFailedQueries ?? 3;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 3_000;
    this.submitTimeoutMs = options.submitTimeoutMs ?? 30_000;
    this.requestingUserName = options.requestingUserName ?? 'kiosk';
  }

  describe(): string {
    return `IPP ${this.url}`;
  }

  async status(): Promise<PrinterStatus> {
    const answer = await this.printerAttributes();
    if (!answer.ok) return { kind: 'unreachable', detail: describeIppError(answer.error) };
    return printerStatusFromAttributes(answer.attributes);
  }

  /** Whether `sides-supported` offers two-sided (long edge) printing; undefined without an answer. */
  async duplex(): Promise<boolean | undefined> {
    const answer = await callIpp(this.url, {
      operation: 'Get-Printer-Attributes',
      operationAttributes: { 'requested-attributes': ['sides-supported'] },
      timeoutMs: this.queryTimeoutMs,
    });
    if (!answer.ok) return undefined;
    const supported = answer.response.printer['sides-supported'];
    return (Array.isArray(supported) ? supported : [supported]).includes('two-sided-long-edge');
  }

  async print(pdf: Uint8Array, job: PrintJob): Promise<PrintResult> {
    try {
      return await this.printChecked(pdf, job);
    } catch (err) {
      // Nothing below is expected to throw; if it does, it is still a typed failure.
      return fail({ kind: 'unavailable', detail: `printer client error: ${String(err)}` });
    }
  }

  private async printChecked(pdf: Uint8Array, job: PrintJob): Promise<PrintResult> {
    const refused = checkPrintJob(pdf, job);
    if (refused) return fail(refused);

    // Pre-flight: a printer that is away or out of paper is reported before anything is sent.
    const before = await this.status();
    if (before.kind === 'unreachable') return fail({ kind: 'unavailable', detail: before.detail });
    if (before.kind === 'stopped') {
      return fail(
        failureFromPrinterReasons(before.reasons) ?? {
          kind: 'unavailable',
          detail: `printer stopped (${before.reasons.join(',') || 'no reason given'})`,
        },
      );
    }

    const deadline = Date.now() + this.jobTimeoutMs;
    const submitted = await callIpp(this.url, {
      operation: 'Print-Job',
      operationAttributes: {
        'requesting-user-name': this.requestingUserName,
        'job-name': job.jobName,
        'document-format': 'application/pdf',
      },
      jobAttributes: { copies: job.copies, ...(job.sides ? { sides: job.sides } : {}) },
      document: pdf,
      timeoutMs: Math.min(this.submitTimeoutMs, this.jobTimeoutMs),
    });
    if (!submitted.ok) {
      if (!mayHaveBeenAccepted(submitted.error)) return fail(submitFailure(submitted.error));
      // No answer to a request that carried the document: the job may exist and still print.
      const found = await this.lookUpAfterLostSubmit(job.jobName, deadline);
      if (found.kind === 'completed') return completedResult(found);
      if (found.kind === 'active') return this.follow(Number(found.jobId), deadline);
      if (found.kind === 'ended') return this.follow(Number(found.jobId), deadline);
      return fail(submitFailure(submitted.error));
    }
    const jobId = submitted.response.job['job-id'];
    if (typeof jobId !== 'number' || !Number.isInteger(jobId)) {
      return fail({ kind: 'unavailable', detail: 'printer accepted the job without a job-id' });
    }
    return this.follow(jobId, deadline);
  }

  async findJob(jobName: string): Promise<JobLookup> {
    const answer = await callIpp(this.url, {
      operation: 'Get-Jobs',
      operationAttributes: {
        'requesting-user-name': this.requestingUserName,
        'which-jobs': 'all',
        'requested-attributes': LISTED_JOB_ATTRIBUTES,
      },
      timeoutMs: this.queryTimeoutMs,
    });
    if (!answer.ok) return { kind: 'unknown', detail: describeIppError(answer.error) };
    return jobLookupOf(answer.response.jobs, jobName);
  }

  async cancelJob(jobId: string): Promise<void> {
    await callIpp(this.url, {
      operation: 'Cancel-Job',
      operationAttributes: { 'job-id': Number(jobId), 'requesting-user-name': this.requestingUserName },
      timeoutMs: this.queryTimeoutMs,
    });
  }

  /** Looks the job up a few times: a printer that lost the answer may be busy or restarting. */
  private async lookUpAfterLostSubmit(jobName: string, deadline: number): Promise<JobLookup> {
    let last: JobLookup = { kind: 'unknown', detail: 'not looked up' };
    for (let attempt = 0; attempt < LOOKUPS_AFTER_LOST_SUBMIT; attempt++) {
      last = await this.findJob(jobName);
      if (last.kind !== 'unknown') return last;
      if (Date.now() + this.pollIntervalMs >= deadline) break;
      await sleep(this.pollIntervalMs);
    }
    return last;
  }

  private async follow(jobId: number, deadline: number): Promise<PrintResult> {
    let failedQueries = 0;
    let polls = 0;
    let lastError = '';
    for (;;) {
      const answer = await callIpp(this.url, {
        operation: 'Get-Job-Attributes',
        operationAttributes: {
          'job-id': jobId,
          'requesting-user-name': this.requestingUserName,
          'requested-attributes': JOB_ATTRIBUTES,
        },
        timeoutMs: Math.max(1, Math.min(this.queryTimeoutMs, deadline - Date.now())),
      });
      if (answer.ok) {
        failedQueries = 0;
        const progress = jobProgressFromAttributes(answer.response.job);
        if (progress.kind === 'completed') {
          // "Printed" is what the printer says it printed, when it says it.
          const impressions = impressionsOf(answer.response.job);
          return completedResult({
            jobId: String(jobId),
            ...(impressions === undefined ? {} : { impressions }),
          });
        }
        if (progress.kind === 'ended') {
          const printer = await this.printerAttributes();
          const reasons = printer.ok ? keywords(printer.attributes['printer-state-reasons']) : [];
          return fail(failureForEndedJob(progress, reasons));
        }
        if (progress.kind === 'unknown') {
          failedQueries += 1;
          lastError = progress.detail;
        }
      } else {
        failedQueries += 1;
        lastError = describeIppError(answer.error);
      }
      if (failedQueries >= this.maxFailedQueries) {
        return fail({
          kind: 'unavailable',
          detail: `lost track of job ${jobId} after ${failedQueries} failed queries (${lastError})`,
        });
      }
      // Short jobs finish in well under a poll interval: look again soon at first (50, 100,
      // 200, 400 ms), then every pollIntervalMs.
      const delay = Math.min(this.pollIntervalMs, 50 * 2 ** polls);
      polls += 1;
      if (Date.now() + delay >= deadline) return fail(await this.giveUp(jobId));
      await sleep(delay);
    }
  }

  /** The job ran out of time: cancel it so it cannot come out later, and say why if we can. */
  private async giveUp(jobId: number): Promise<PrintFailure> {
    await callIpp(this.url, {
      operation: 'Cancel-Job',
      operationAttributes: { 'job-id': jobId, 'requesting-user-name': this.requestingUserName },
      timeoutMs: this.queryTimeoutMs,
    });
    const printer = await this.printerAttributes();
    const paper = printer.ok
      ? failureFromPrinterReasons(keywords(printer.attributes['printer-state-reasons']))
      : undefined;
    return paper ?? { kind: 'timeout' };
  }

  private async printerAttributes(): Promise<
    { ok: true; attributes: Record<string, unknown> } | { ok: false; error: IppCallError }
  > {
    const answer = await callIpp(this.url, {
      operation: 'Get-Printer-Attributes',
      operationAttributes: { 'requested-attributes': PRINTER_ATTRIBUTES },
      timeoutMs: this.queryTimeoutMs,
    });
    return answer.ok ? { ok: true, attributes: { ...answer.response.printer } } : answer;
  }
}

function fail(failure: PrintFailure): PrintResult {
  return { ok: false, failure };
}

function completedResult(job: { jobId: string; impressions?: number }): PrintResult {
  return job.impressions === undefined
    ? { ok: true, jobId: job.jobId }
    : { ok: true, jobId: job.jobId, impressions: job.impressions };
}

function impressionsOf(job: Readonly<Record<string, unknown>>): number | undefined {
  const impressions = job['job-impressions-completed'];
  return typeof impressions === 'number' && Number.isInteger(impressions) && impressions >= 0
    ? impressions
    : undefined;
}

/**
 * A Print-Job that got no answer may still have been accepted: the document went out (a
 * time-out, or the connection dropped after sending). A refused connection sent nothing.
 */
function mayHaveBeenAccepted(error: IppCallError): boolean {
  if (error.kind === 'timeout') return true;
  return error.kind === 'unreachable' && !/ECONNREFUSED|not an IPP URL/.test(error.detail);
}

/** The newest job of that name in a Get-Jobs answer. */
export function jobLookupOf(jobs: readonly Readonly<Record<string, unknown>>[], jobName: string): JobLookup {
  let newest: { id: number; attributes: Readonly<Record<string, unknown>> } | undefined;
  for (const attributes of jobs) {
    const id = attributes['job-id'];
    if (attributes['job-name'] !== jobName || typeof id !== 'number' || !Number.isInteger(id)) continue;
    if (!newest || id > newest.id) newest = { id, attributes };
  }
  if (!newest) return { kind: 'none' };
  const jobId = String(newest.id);
  const progress = jobProgressFromAttributes(newest.attributes);
  switch (progress.kind) {
    case 'completed': {
      const impressions = impressionsOf(newest.attributes);
      return impressions === undefined
        ? { kind: 'completed', jobId }
        : { kind: 'completed', jobId, impressions };
    }
    case 'ended':
      return { kind: 'ended', jobId };
    case 'waiting':
    case 'unknown':
      // A job the printer lists but whose state it does not say is treated as one that may print.
      return { kind: 'active', jobId };
  }
}

function submitFailure(error: IppCallError): PrintFailure {
  switch (error.kind) {
    case 'ipp-status':
      return { kind: 'rejected', detail: `printer refused the job: ${error.statusCode}` };
    case 'timeout':
      // The document went out and no answer came back: the job may or may not exist.
      return { kind: 'timeout' };
    default:
      return { kind: 'unavailable', detail: describeIppError(error) };
  }
}
