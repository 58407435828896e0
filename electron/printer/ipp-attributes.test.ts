import { describe, expect, it } from 'vitest';
import {
  failureForEndedJob,
  failureFromPrinterReasons,
  jobProgressFromAttributes,
  keywords,
  printerStatusFromAttributes,
} from './ipp-attributes.ts';

describe('printerStatusFromAttributes', () => {
  it('maps idle and processing printers', () => {
    expect(printerStatusFromAttributes({ 'printer-state': 'idle', 'printer-state-reasons': 'none' })).toEqual(
      {
        kind: 'idle',
      },
    );
    expect(
      printerStatusFromAttributes({ 'printer-state': 'processing', 'printer-state-reasons': 'none' }),
    ).toEqual({
      kind: 'processing',
    });
  });

  it('accepts the numeric enum values the decoder leaves when it does not know them', () => {
    expect(printerStatusFromAttributes({ 'printer-state': 3 })).toEqual({ kind: 'idle' });
    expect(printerStatusFromAttributes({ 'printer-state': 4 })).toEqual({ kind: 'processing' });
    expect(printerStatusFromAttributes({ 'printer-state': 5, 'printer-state-reasons': 'paused' })).toEqual({
      kind: 'stopped',
      reasons: ['paused'],
    });
  });

  it('reports a stopped printer with all its reasons, one or several', () => {
    expect(
      printerStatusFromAttributes({
        'printer-state': 'stopped',
        'printer-state-reasons': ['media-empty-error', 'toner-low-warning'],
      }),
    ).toEqual({ kind: 'stopped', reasons: ['media-empty-error', 'toner-low-warning'] });
    expect(
      printerStatusFromAttributes({ 'printer-state': 'stopped', 'printer-state-reasons': 'none' }),
    ).toEqual({
      kind: 'stopped',
      reasons: [],
    });
  });

  it('reports an idle printer without paper as stopped (it cannot serve the next resident)', () => {
    expect(
      printerStatusFromAttributes({ 'printer-state': 'idle', 'printer-state-reasons': 'media-empty-report' }),
    ).toEqual({ kind: 'stopped', reasons: ['media-empty-report'] });
    expect(
      printerStatusFromAttributes({ 'printer-state': 'idle', 'printer-state-reasons': ['media-jam-error'] }),
    ).toEqual({ kind: 'stopped', reasons: ['media-jam-error'] });
  });

  it('keeps an idle printer idle when the reasons are only warnings about supplies', () => {
    expect(
      printerStatusFromAttributes({
        'printer-state': 'idle',
        'printer-state-reasons': ['media-low-report', 'toner-low-warning'],
      }),
    ).toEqual({ kind: 'idle' });
  });

  it('treats an answer without a known state as unreachable rather than guessing', () => {
    expect(printerStatusFromAttributes({}).kind).toBe('unreachable');
    expect(printerStatusFromAttributes({ 'printer-state': 42 }).kind).toBe('unreachable');
    expect(printerStatusFromAttributes({ 'printer-state': ['idle'] }).kind).toBe('unreachable');
  });
});

describe('failureFromPrinterReasons', () => {
  it('maps every empty-tray and media-needed reason to out-of-paper', () => {
    for (const reason of [
      'media-empty',
      'media-empty-error',
      'media-empty-report',
      'media-needed',
      'media-needed-warning',
    ]) {
      expect(failureFromPrinterReasons([reason])).toEqual({ kind: 'out-of-paper' });
    }
  });

  it('maps a paper jam to jammed, and a jam wins over an empty tray', () => {
    expect(failureFromPrinterReasons(['media-jam-error'])).toEqual({ kind: 'jammed' });
    expect(failureFromPrinterReasons(['media-empty-error', 'media-jam'])).toEqual({ kind: 'jammed' });
  });

  it('finds nothing in unrelated reasons', () => {
    expect(failureFromPrinterReasons([])).toBeUndefined();
    expect(failureFromPrinterReasons(['media-low-report', 'door-open-error', 'none'])).toBeUndefined();
  });
});

describe('jobProgressFromAttributes', () => {
  it('keeps waiting while the job is pending or processing', () => {
    expect(jobProgressFromAttributes({ 'job-state': 'pending' })).toEqual({
      kind: 'waiting',
      state: 'pending',
    });
    expect(jobProgressFromAttributes({ 'job-state': 5 })).toEqual({ kind: 'waiting', state: 'processing' });
    expect(jobProgressFromAttributes({ 'job-state': 'processing-stopped' })).toEqual({
      kind: 'waiting',
      state: 'processing-stopped',
    });
  });

  it('recognises completion and the two unhappy ends', () => {
    expect(jobProgressFromAttributes({ 'job-state': 'completed' })).toEqual({ kind: 'completed' });
    expect(jobProgressFromAttributes({ 'job-state': 9 })).toEqual({ kind: 'completed' });
    expect(
      jobProgressFromAttributes({ 'job-state': 'aborted', 'job-state-reasons': 'aborted-by-system' }),
    ).toEqual({
      kind: 'ended',
      state: 'aborted',
      reasons: ['aborted-by-system'],
    });
    expect(jobProgressFromAttributes({ 'job-state': 7 })).toEqual({
      kind: 'ended',
      state: 'canceled',
      reasons: [],
    });
  });

  it('says unknown for a missing or strange job-state', () => {
    expect(jobProgressFromAttributes({}).kind).toBe('unknown');
    expect(jobProgressFromAttributes({ 'job-state': 'exploded' }).kind).toBe('unknown');
  });
});

describe('failureForEndedJob', () => {
  it('blames the paper when the printer reports it', () => {
    expect(
      failureForEndedJob({ state: 'aborted', reasons: ['aborted-by-system'] }, ['media-empty-report']),
    ).toEqual({
      kind: 'out-of-paper',
    });
    expect(failureForEndedJob({ state: 'aborted', reasons: ['media-jam-error'] }, [])).toEqual({
      kind: 'jammed',
    });
  });

  it('otherwise passes the job reasons on', () => {
    expect(
      failureForEndedJob({ state: 'aborted', reasons: ['aborted-by-system', 'job-data-insufficient'] }, []),
    ).toEqual({
      kind: 'job-aborted',
      reason: 'aborted-by-system,job-data-insufficient',
    });
    expect(failureForEndedJob({ state: 'canceled', reasons: [] }, ['toner-low-report'])).toEqual({
      kind: 'job-aborted',
      reason: 'job-canceled',
    });
  });
});

describe('keywords', () => {
  it('normalises scalar, list and missing values and drops none', () => {
    expect(keywords('media-jam')).toEqual(['media-jam']);
    expect(keywords(['none'])).toEqual([]);
    expect(keywords(undefined)).toEqual([]);
    expect(keywords(['a', 3, null, 'b'])).toEqual(['a', 'b']);
  });
});
