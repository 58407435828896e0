/**
 * The kiosk bench's figures beside the previous run's: each run is kept in var/bench/kiosk.json
 * and the next run prints its figures beside it, with the change.
 */
import { z } from 'zod';

export const KIOSK_FIGURES = {
  coldStartHostMs: { label: 'cold start: host composed → welcome (in this process)', unit: 'ms' },
  coldStartUrlMs: { label: 'cold start: kiosk:web process → its URL', unit: 'ms' },
  coldStartScreenMs: { label: 'cold start: kiosk:web process → welcome shown in Chromium', unit: 'ms' },
  cardToFirstByteP50Ms: { label: 'card placed → first byte at the printer, p50', unit: 'ms' },
  cardToFirstByteP95Ms: { label: 'card placed → first byte at the printer, p95', unit: 'ms' },
  cardToFirstByteFirstMs: { label: 'card placed → first byte at the printer, first transaction', unit: 'ms' },
  stepCardReadP50Ms: { label: '  of which card placed → PIN screen, p50', unit: 'ms' },
  stepAuthenticateP50Ms: { label: '  of which PIN screen → menu (PIN at once), p50', unit: 'ms' },
  stepChooseP50Ms: { label: '  of which menu → payment screen, p50', unit: 'ms' },
  stepPayP50Ms: { label: '  of which payment screen → paid and settled, p50', unit: 'ms' },
  stepIssueP50Ms: { label: '  of which paid → first byte (issue, PDF, Print-Job), p50', unit: 'ms' },
  cardToWelcomeP50Ms: { label: 'card placed → printed, back on welcome, p50', unit: 'ms' },
  hostHeapAfterWarmUpMb: { label: 'host heap after the warm-up (no page)', unit: 'MB' },
  hostHeapAfterAllMb: { label: 'host heap after all (no page)', unit: 'MB' },
  hostRssAfterAllMb: { label: 'process rss after all (no page)', unit: 'MB' },
  pageTransactionP50Ms: { label: 'transaction through the page (taps), p50', unit: 'ms' },
  pageHostHeapAfterWarmUpMb: { label: 'host heap after the warm-up (with the page)', unit: 'MB' },
  pageHostHeapAfterAllMb: { label: 'host heap after all (with the page)', unit: 'MB' },
  rendererHeapAfterWarmUpMb: { label: 'renderer JS heap after the warm-up', unit: 'MB' },
  rendererHeapAfterAllMb: { label: 'renderer JS heap after all', unit: 'MB' },
  rendererNodesAfterWarmUp: { label: 'renderer DOM nodes after the warm-up', unit: 'nodes' },
  rendererNodesAfterAll: { label: 'renderer DOM nodes after all', unit: 'nodes' },
} as const;

export type KioskFigure = keyof typeof KIOSK_FIGURES;

const kioskRun = z.object({
  at: z.string(),
  transactions: z.number().int().positive(),
  pageTransactions: z.number().int().nonnegative(),
  figures: z.partialRecord(z.enum(Object.keys(KIOSK_FIGURES) as [KioskFigure, ...KioskFigure[]]), z.number()),
});

export type KioskRun = z.infer<typeof kioskRun>;

/** The previous run from var/bench/kiosk.json's text; undefined when there is none or it is in another form. */
export function parseKioskRun(text: string | undefined): KioskRun | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = kioskRun.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const shown = (value: number | undefined): string | number =>
  value === undefined || Number.isNaN(value) ? '—' : value;

/** One row per figure measured now: the figure, the previous run's and the change in per cent. */
export function besidePrevious(
  now: KioskRun,
  before: KioskRun | undefined,
): Array<Record<string, string | number>> {
  return (Object.keys(KIOSK_FIGURES) as KioskFigure[])
    .filter((key) => now.figures[key] !== undefined)
    .map((key) => {
      const value = now.figures[key] as number;
      const previous = before?.figures[key];
      const change =
        previous === undefined || previous === 0 || Number.isNaN(value) || Number.isNaN(previous)
          ? '—'
          : `${value >= previous ? '+' : ''}${(((value - previous) / previous) * 100).toFixed(0)}%`;
      return {
        measure: `${KIOSK_FIGURES[key].label} (${KIOSK_FIGURES[key].unit})`,
        now: shown(value),
        previous: shown(previous),
        change,
      };
    });
}
