import { pino, type Logger } from 'pino';
import { redactDeep } from '../../protocol/redaction.ts';
import { HOST_LOG_RING } from '../diagnostics/log-export.ts';

/**
 * Structured logs for the kiosk host. Logs carry transaction ids and codes, never names,
 * addresses, PINs or My Numbers; the redaction list is a second line of defence for fields that
 * must never be logged even by mistake.
 */
export const REDACTED_FIELDS = [
  'pin',
  'authPin',
  'signingPin',
  'myNumber',
  'name',
  'nameKana',
  'address',
  'document',
  'certificate',
  '*.pin',
  '*.authPin',
  '*.signingPin',
  '*.myNumber',
  '*.name',
  '*.address',
  '*.document',
];

/**
 * `also`: a second destination for every line (default: the process's ring of recent lines that
 * the operator's redacted log export reads, electron/diagnostics/log-export.ts).
 */
export function createHostLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; also?: NodeJS.WritableStream } = {},
): Logger {
  return pino(
    {
      name: 'kiosk-host',
      level: options.level ?? process.env.KIOSK_LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_FIELDS, censor: '[redacted]' },
      // At any depth, in arrays and in errors (protocol/redaction.ts); the paths above stay as a second line.
      formatters: { log: (fields) => redactDeep(fields) as Record<string, unknown> },
    },
    // Each stream takes every level the logger lets through (multistream's own default is info).
    pino.multistream([
      { level: 'trace', stream: options.destination ?? pino.destination(2) },
      { level: 'trace', stream: options.also ?? HOST_LOG_RING.stream },
    ]),
  );
}

export type { Logger };
