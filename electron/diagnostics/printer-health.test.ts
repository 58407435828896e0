import { describe, expect, it } from 'vitest';
import { printerHealthFromAttributes, printerHealthFromStatus } from './printer-health.ts';

describe('printer health from Get-Printer-Attributes', () => {
  it('reads state reasons, marker levels (scaled to the high level), the tray and the queue', () => {
    expect(
      printerHealthFromAttributes({
        'printer-state': 'processing',
        'printer-state-reasons': ['toner-low-report', 'none'],
        'marker-names': ['Black Toner', 'Cyan Toner'],
        'marker-types': ['toner', 'toner'],
        'marker-levels': [9, -2],
        'marker-high-levels': [90, 100],
        'queued-job-count': 2,
        'printer-input-tray':
          'type=sheetFeedAutoRemovableTray;mediafeed=0;level=125;maxcapacity=250;name=main;',
      }),
    ).toEqual({
      state: 'processing',
      reasons: ['toner-low-report'],
      supplies: [
        { name: 'Black Toner', kind: 'toner', levelPercent: 10 },
        { name: 'Cyan Toner', kind: 'toner', levelPercent: null },
        { name: 'main', kind: 'paper', levelPercent: 50 },
      ],
      queuedJobs: 2,
    });
  });

  it('an idle printer with an empty tray is stopped; a printer without marker attributes has no supplies', () => {
    expect(
      printerHealthFromAttributes({ 'printer-state': 3, 'printer-state-reasons': 'media-empty-report' }),
    ).toEqual({ state: 'stopped', reasons: ['media-empty-report'], supplies: [], queuedJobs: null });
  });

  it('falls back to Printer.status() alone', () => {
    expect(printerHealthFromStatus({ kind: 'unreachable', detail: 'refused' })).toEqual({
      state: 'unreachable',
      reasons: [],
      supplies: [],
      queuedJobs: null,
    });
  });
});
