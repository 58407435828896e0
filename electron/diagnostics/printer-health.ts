/**
 * The printer's health for the operator: state, state reasons, supplies (marker levels and the
 * paper tray) and the queue, from one IPP Get-Printer-Attributes. A printer that is not IPP (the
 * spool folder) reports only what `Printer.status()` says.
 */
import { callIpp } from '../printer/ipp-client.ts';
import { keywords, printerStatusFromAttributes, type IppAttributes } from '../printer/ipp-attributes.ts';
import type { Printer, PrinterStatus } from '../printer/printer.ts';
import type { PrinterHealth, SupplyLevel } from '../../protocol/heartbeat.ts';

export const PRINTER_HEALTH_ATTRIBUTES = [
  'printer-state',
  'printer-state-reasons',
  'marker-names',
  'marker-types',
  'marker-levels',
  'marker-high-levels',
  'queued-job-count',
  'printer-input-tray',
] as const;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
}

function supplyKind(type: unknown): SupplyLevel['kind'] {
  if (typeof type !== 'string') return 'other';
  if (type.startsWith('toner')) return 'toner';
  if (type.startsWith('ink')) return 'ink';
  return 'other';
}

/** RFC 8011 levels: 0–100 percent, -1 other, -2 unknown, -3 "some left". */
function percent(level: unknown, high: unknown): number | null {
  if (typeof level !== 'number' || level < 0) return null;
  const top = typeof high === 'number' && high > 0 ? high : 100;
  return Math.max(0, Math.min(100, Math.round((level / top) * 100)));
}

/**
 * printer-input-tray (PWG 5100.13) is an octet string per tray:
 * `type=…;mediafeed=…;…;level=N;maxcapacity=M;…;name=…;`. Level -2 unknown, -3 "some".
 */
function traySupplies(value: unknown): SupplyLevel[] {
  const supplies: SupplyLevel[] = [];
  for (const entry of list(value)) {
    const text = typeof entry === 'string' ? entry : Buffer.isBuffer(entry) ? entry.toString('latin1') : '';
    const fields = new Map(
      text
        .split(';')
        .map((part) => part.split('=') as [string, string?])
        .filter((kv): kv is [string, string] => kv[1] !== undefined),
    );
    const level = Number(fields.get('level'));
    const capacity = Number(fields.get('maxcapacity'));
    if (!fields.has('level')) continue;
    supplies.push({
      name: (fields.get('name') ?? 'tray').slice(0, 64),
      kind: 'paper',
      levelPercent:
        Number.isFinite(level) && level >= 0 && Number.isFinite(capacity) && capacity > 0
          ? Math.max(0, Math.min(100, Math.round((level / capacity) * 100)))
          : null,
    });
  }
  return supplies;
}

/** Pure: the health the attributes describe. */
export function printerHealthFromAttributes(attrs: IppAttributes): PrinterHealth {
  const status = printerStatusFromAttributes(attrs);
  const names = list(attrs['marker-names']);
  const types = list(attrs['marker-types']);
  const levels = list(attrs['marker-levels']);
  const highs = list(attrs['marker-high-levels']);
  const markers: SupplyLevel[] = names.map((name, i) => ({
    name: String(name).slice(0, 64),
    kind: supplyKind(types[i]),
    levelPercent: percent(levels[i], highs[i]),
  }));
  const queued = attrs['queued-job-count'];
  return {
    state: status.kind,
    reasons: keywords(attrs['printer-state-reasons']).slice(0, 32),
    supplies: [...markers, ...traySupplies(attrs['printer-input-tray'])].slice(0, 16),
    queuedJobs: typeof queued === 'number' && queued >= 0 ? queued : null,
  };
}

/** What `Printer.status()` alone says (the spool folder, or an IPP printer that did not answer). */
export function printerHealthFromStatus(status: PrinterStatus): PrinterHealth {
  return {
    state: status.kind,
    reasons: status.kind === 'stopped' ? status.reasons.slice(0, 32) : [],
    supplies: [],
    queuedJobs: null,
  };
}

/** Asks an IPP printer for its health; an unreachable printer is a health, not an error. */
export async function ippPrinterHealth(printerUrl: string, timeoutMs = 3_000): Promise<PrinterHealth> {
  const answer = await callIpp(printerUrl, {
    operation: 'Get-Printer-Attributes',
    operationAttributes: {
      'requesting-user-name': 'kiosk-diagnostics',
      'requested-attributes': [...PRINTER_HEALTH_ATTRIBUTES],
    },
    timeoutMs,
  });
  if (!answer.ok) return { state: 'unreachable', reasons: [], supplies: [], queuedJobs: null };
  return printerHealthFromAttributes(answer.response.printer);
}

/** The printer's health through the best route it offers. */
export async function printerHealthOf(printer: Printer, ippUrl: string | undefined): Promise<PrinterHealth> {
  if (ippUrl !== undefined) return ippPrinterHealth(ippUrl);
  return printerHealthFromStatus(await printer.status());
}
