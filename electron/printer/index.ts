export type { JobLookup, PrintFailure, PrintJob, PrintResult, Printer, PrinterStatus } from './printer.ts';
export { checkPrintJob, MAX_COPIES } from './printer.ts';
export { IppPrinter } from './ipp-printer.ts';
export type { IppPrinterOptions } from './ipp-printer.ts';
export { SpoolPrinter } from './spool-printer.ts';
