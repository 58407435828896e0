/**
 * One IPP operation over HTTP: encode with the `ipp` package, POST with a bounded time-out,
 * decode, check the status code. Every way this can go wrong comes back as an IppCallError.
 */
import ipp from 'ipp';
import { z } from 'zod';
import type { IppAttributes } from './ipp-attributes.ts';
import { checkIppFraming } from './ipp-framing.ts';

export type IppCallError =
  /** Nothing answered (connection refused, host down, reset before an answer). */
  | { kind: 'unreachable'; detail: string }
  /** Nothing answered in time; a request that carried a document may still have been accepted. */
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'http-status'; status: number }
  | { kind: 'malformed'; detail: string }
  | { kind: 'ipp-status'; statusCode: string };

export type IppResponse = {
  statusCode: string;
  printer: IppAttributes;
  job: IppAttributes;
  /** Every job group of the answer, in order (Get-Jobs answers one group per job). */
  jobs: IppAttributes[];
};

export type IppCallResult = { ok: true; response: IppResponse } | { ok: false; error: IppCallError };

export type IppOperation =
  'Get-Printer-Attributes' | 'Print-Job' | 'Get-Job-Attributes' | 'Get-Jobs' | 'Cancel-Job';

export type IppCall = {
  operation: IppOperation;
  operationAttributes?: Record<string, unknown>;
  jobAttributes?: Record<string, unknown>;
  document?: Uint8Array;
  timeoutMs: number;
};

// The decoder's hook for tags it does not know logs to the console by default; keep the raw
// value and stay quiet (our logs are structured and carry transaction ids only).
ipp.parse.handleUnknownTag = (_tag, _name, length, read) => (length > 0 ? read(length) : undefined);

const MAX_RESPONSE_BYTES = 1024 * 1024;

const attributeGroup = z.record(z.string(), z.unknown());
const responseShape = z.object({
  statusCode: z.string(),
  'printer-attributes-tag': z.union([attributeGroup, z.array(attributeGroup)]).optional(),
  'job-attributes-tag': z.union([attributeGroup, z.array(attributeGroup)]).optional(),
});

function allGroups(group: Record<string, unknown> | Record<string, unknown>[] | undefined): IppAttributes[] {
  if (group === undefined) return [];
  return Array.isArray(group) ? group : [group];
}

function firstGroup(group: Record<string, unknown> | Record<string, unknown>[] | undefined): IppAttributes {
  if (group === undefined) return {};
  return Array.isArray(group) ? (group[0] ?? {}) : group;
}

/** ipp://host:port/path → http://host:port/path (ipps → https); the default IPP port is 631. */
export function httpUrlFor(printerUri: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(printerUri);
  } catch {
    return undefined;
  }
  const scheme = { 'ipp:': 'http:', 'ipps:': 'https:', 'http:': 'http:', 'https:': 'https:' }[url.protocol];
  if (!scheme) return undefined;
  const http = new URL(`${scheme}//${url.host}${url.pathname}${url.search}`);
  if (url.port === '' && (url.protocol === 'ipp:' || url.protocol === 'ipps:')) http.port = '631';
  return http;
}

/**
 * The decoder reads every length with readInt16BE; give it a buffer whose 16-bit reads are
 * unsigned, so no length can move it backwards (checkIppFraming refuses such answers first;
 * this keeps the decoder finite even where the two readings of a message could differ).
 */
function unsignedLengths(answer: Buffer): Buffer {
  const copy = Buffer.from(answer);
  copy.readInt16BE = copy.readUInt16BE;
  return copy;
}

let requestCounter = Math.floor(Math.random() * 1_000_000);

function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && 'code' in cause)
      return String((cause as { code: unknown }).code);
    return err.message;
  }
  return String(err);
}

/** Sends one IPP request to `printerUri` and returns the decoded answer or a typed error. */
export async function callIpp(printerUri: string, call: IppCall): Promise<IppCallResult> {
  const url = httpUrlFor(printerUri);
  if (!url) return { ok: false, error: { kind: 'unreachable', detail: `not an IPP URL: ${printerUri}` } };

  requestCounter = (requestCounter % 2_000_000_000) + 1;
  const message: Record<string, unknown> = {
    version: '2.0',
    operation: call.operation,
    id: requestCounter,
    'operation-attributes-tag': {
      'attributes-charset': 'utf-8',
      'attributes-natural-language': 'en',
      'printer-uri': printerUri,
      ...call.operationAttributes,
    },
  };
  if (call.jobAttributes) message['job-attributes-tag'] = call.jobAttributes;
  if (call.document)
    message['data'] = Buffer.from(call.document.buffer, call.document.byteOffset, call.document.byteLength);

  let body: Buffer<ArrayBuffer>;
  try {
    body = ipp.serialize(message);
  } catch (err) {
    return { ok: false, error: { kind: 'malformed', detail: `cannot encode request: ${String(err)}` } };
  }

  let answer: Buffer;
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/ipp' },
      body,
      signal: AbortSignal.timeout(call.timeoutMs),
      redirect: 'error',
    });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, error: { kind: 'http-status', status: res.status } };
    }
    const length = Number(res.headers.get('content-length') ?? '0');
    if (length > MAX_RESPONSE_BYTES) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, error: { kind: 'malformed', detail: `answer too large (${length} bytes)` } };
    }
    answer = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      return { ok: false, error: { kind: 'timeout', afterMs: Date.now() - started } };
    }
    return { ok: false, error: { kind: 'unreachable', detail: describeFetchError(err) } };
  }

  const framing = checkIppFraming(answer);
  if (framing) {
    return { ok: false, error: { kind: 'malformed', detail: `${framing.reason} at byte ${framing.offset}` } };
  }
  let decoded: unknown;
  try {
    decoded = ipp.parse(unsignedLengths(answer));
  } catch (err) {
    return { ok: false, error: { kind: 'malformed', detail: `cannot decode answer: ${String(err)}` } };
  }
  const shape = responseShape.safeParse(decoded);
  if (!shape.success) {
    return { ok: false, error: { kind: 'malformed', detail: 'answer has no IPP status code' } };
  }
  const { statusCode } = shape.data;
  if (!statusCode.startsWith('successful-ok')) {
    return { ok: false, error: { kind: 'ipp-status', statusCode } };
  }
  return {
    ok: true,
    response: {
      statusCode,
      printer: firstGroup(shape.data['printer-attributes-tag']),
      job: firstGroup(shape.data['job-attributes-tag']),
      jobs: allGroups(shape.data['job-attributes-tag']),
    },
  };
}

export function describeIppError(error: IppCallError): string {
  switch (error.kind) {
    case 'unreachable':
      return `unreachable: ${error.detail}`;
    case 'timeout':
      return `no answer within ${error.afterMs} ms`;
    case 'http-status':
      return `HTTP status ${error.status}`;
    case 'malformed':
      return `malformed answer: ${error.detail}`;
    case 'ipp-status':
      return `IPP status ${error.statusCode}`;
  }
}
