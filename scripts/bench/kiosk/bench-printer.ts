/**
 * The printer of `npm run bench -- kiosk`: a real ippeveprinter (Debian's cups-ipp-utils) reached
 * through the printer tap, so the bench sees the moment a document's first byte reaches the
 * printer's socket. Without ippeveprinter, the spool printer, and the moment the kiosk hands it
 * the document instead — the report says which.
 */
import { IppPrinter, SpoolPrinter, type Printer } from '../../../electron/printer/index.ts';
import { describeServiceError, startIppEvePrinter } from '../../system/services.ts';
import { PrinterTapError, startPrinterTap } from './printer-tap.ts';

export interface BenchPrinter {
  printer: Printer;
  /** What "first byte at the printer" means with this printer, for the report. */
  firstByte: string;
  nextDocumentStart(since: number, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export async function startBenchPrinter(spoolDir: string): Promise<BenchPrinter> {
  const started = await startIppEvePrinter({ name: `kiosk-bench-${process.pid}`, spoolDir });
  if (started.ok) {
    const target = new URL(started.value.url);
    const tap = await startPrinterTap({ host: target.hostname, port: Number(target.port) });
    return {
      printer: new IppPrinter({ url: `ipp://127.0.0.1:${tap.port}${target.pathname}` }),
      firstByte: `ippeveprinter (${started.value.url}): the Print-Job's first document byte (%PDF-) passed to the printer's socket`,
      nextDocumentStart: (since, timeoutMs) => tap.nextDocumentStart(since, timeoutMs),
      async close() {
        await tap.close();
        await started.value.stop();
      },
    };
  }
  const spool = new SpoolPrinter({ dir: spoolDir });
  const handedOver: number[] = [];
  const printer: Printer = {
    describe: () => spool.describe(),
    status: () => spool.status(),
    print: (pdf, job) => {
      handedOver.push(performance.now());
      return spool.print(pdf, job);
    },
  };
  return {
    printer,
    firstByte: `spool printer (no ippeveprinter: ${describeServiceError(started.error)}): the document handed to the printer`,
    async nextDocumentStart(since) {
      const found = handedOver.find((at) => at >= since);
      if (found === undefined) throw new PrinterTapError('the kiosk handed no document to the printer');
      return found;
    },
    close: async () => undefined,
  };
}
