/**
 * The operator's log export: the host's recent log lines, kept in a bounded ring in memory, and
 * written out redacted a second time — an allow-list of fields (times, levels, ids, codes, states,
 * amounts), every other field dropped, and in what is kept any run of 4 or more digits that is not
 * an id or a time, and any character outside printable ASCII, masked. So no PIN, name, address or
 * number can leave the kiosk in an export, whatever a log line held by mistake.
 */
import { Writable } from 'node:stream';

export interface LogRing {
  /** A pino destination (one JSON line per write). */
  stream: Writable;
  lines(): string[];
}

export function createLogRing(capacity = 2_000): LogRing {
  const kept: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() === '') continue;
        kept.push(line);
        if (kept.length > capacity) kept.shift();
      }
      done();
    },
  });
  return { stream, lines: () => [...kept] };
}

/** The fields an exported line may carry; their values are checked again below. */
const KEPT_FIELDS = new Set([
  'time',
  'level',
  'msg',
  'name',
  'transactionId',
  'receiptNumber',
  'terminalId',
  'code',
  'state',
  'from',
  'outcome',
  'reason',
  'fault',
  'kind',
  'statusCode',
  'route',
  'step',
  'yen',
  'paidYen',
  'changeYen',
  'owedYen',
  'refundedYen',
  'copies',
  'certificateType',
  'jobId',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Values that look like what they are allowed to be: ids, codes, small counts. */
const SAFE_VALUE: Readonly<Record<string, RegExp>> = {
  transactionId: UUID,
  receiptNumber: /^[0-9]{8}$/,
  terminalId: /^[A-Z0-9]{1,16}-[A-Z0-9]{1,8}$/,
  name: /^kiosk-host$/,
};

function maskText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/[0-9]{4,}/g, (run) => '#'.repeat(run.length));
}

function cleanValue(key: string, value: unknown): unknown {
  if (key === 'time' && typeof value === 'number') return value;
  if (typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) < 1_000_000 ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') {
    // Nested objects: their kind and code only (errors are logged as { type, code }).
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const inner = value as Record<string, unknown>;
      const out: Record<string, string> = {};
      for (const k of ['type', 'code', 'kind']) {
        if (typeof inner[k] === 'string') out[k] = maskText(inner[k]).slice(0, 64);
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    return undefined;
  }
  const pattern = SAFE_VALUE[key];
  if (pattern) return pattern.test(value) ? value : undefined;
  return maskText(value).slice(0, 200);
}

/** One log line as exported, or undefined when nothing of it may leave. */
export function redactLogLine(line: string): string | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
    if (!KEPT_FIELDS.has(key)) continue;
    const clean = cleanValue(key, value);
    if (clean !== undefined) out[key] = clean;
  }
  // A nested transaction event (compose.ts logs `{ transaction: {...} }`): its ids and codes.
  const transaction = (entry as Record<string, unknown>)['transaction'];
  if (transaction && typeof transaction === 'object' && !Array.isArray(transaction)) {
    for (const [key, value] of Object.entries(transaction as Record<string, unknown>)) {
      if (!KEPT_FIELDS.has(key) || key in out) continue;
      const clean = cleanValue(key, value);
      if (clean !== undefined) out[key] = clean;
    }
  }
  return Object.keys(out).length > 0 ? JSON.stringify(out) : undefined;
}

/** The export: one redacted JSON line per kept log line. */
export function redactedLogExport(lines: readonly string[]): string {
  return lines
    .map(redactLogLine)
    .filter((l): l is string => l !== undefined)
    .map((l) => `${l}\n`)
    .join('');
}

/** The process's own ring: the host logger (electron/host/logger.ts) writes every line here too. */
export const HOST_LOG_RING: LogRing = createLogRing();
