/**
 * SpoolPrinter: the demo's last resort when no IPP printer exists. Each job becomes one file,
 * `<jobName>.pdf`, in a folder. The file appears whole or not at all (written beside it under a
 * temporary name, then hard-linked into place), and an existing job file is never overwritten:
 * printing the same transaction twice is refused, not silently repeated.
 */
import { randomBytes } from 'node:crypto';
import { access, constants, link, mkdir, open, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkPrintJob, isJobName } from './printer.ts';
import type { JobLookup, PrintJob, PrintResult, Printer, PrinterStatus } from './printer.ts';

export class SpoolPrinter implements Printer {
  private readonly dir: string;

  constructor(options: { dir: string }) {
    this.dir = resolve(options.dir);
  }

  describe(): string {
    return `spool ${this.dir}`;
  }

  async status(): Promise<PrinterStatus> {
    try {
      await mkdir(this.dir, { recursive: true });
      await access(this.dir, constants.W_OK);
      return { kind: 'idle' };
    } catch (err) {
      return { kind: 'unreachable', detail: `spool folder not writable: ${errorCode(err)}` };
    }
  }

  /** A job is printed once its file is in place (files appear whole or not at all). */
  async findJob(jobName: string): Promise<JobLookup> {
    if (!isJobName(jobName)) return { kind: 'none' };
    try {
      await access(join(this.dir, `${jobName}.pdf`), constants.F_OK);
      return { kind: 'completed', jobId: jobName };
    } catch (err) {
      return errorCode(err) === 'ENOENT'
        ? { kind: 'none' }
        : { kind: 'unknown', detail: `spool folder not readable: ${errorCode(err)}` };
    }
  }

  async print(pdf: Uint8Array, job: PrintJob): Promise<PrintResult> {
    const refused = checkPrintJob(pdf, job);
    if (refused) return { ok: false, failure: refused };

    const target = join(this.dir, `${job.jobName}.pdf`);
    const temp = join(this.dir, `.${job.jobName}.${randomBytes(6).toString('hex')}.tmp`);
    let tempCreated = false;
    let step: 'write' | 'publish' = 'write';
    try {
      await mkdir(this.dir, { recursive: true });
      const handle = await open(temp, 'wx', 0o600);
      tempCreated = true;
      try {
        await handle.writeFile(pdf);
        await handle.sync();
      } finally {
        await handle.close();
      }
      step = 'publish';
      await link(temp, target); // fails with EEXIST rather than replacing a spooled job
      return { ok: true, jobId: job.jobName };
    } catch (err) {
      if (step === 'publish' && errorCode(err) === 'EEXIST') {
        return { ok: false, failure: { kind: 'rejected', detail: `job ${job.jobName} is already spooled` } };
      }
      return { ok: false, failure: { kind: 'unavailable', detail: `spool write failed: ${errorCode(err)}` } };
    } finally {
      if (tempCreated) await unlink(temp).catch(() => undefined);
    }
  }
}

function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) return String((err as { code: unknown }).code);
  return String(err);
}
