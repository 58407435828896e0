/**
 * The centre's reset API (protocol/pin-reset.ts) for the kiosk: over HTTPS with the terminal's
 * certificate (mutual TLS) like centre-client.ts, every answer validated. The request body
 * carries the new PIN (and the one-time password) inside TLS only; nothing here logs it.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import type { z } from 'zod';
import { CentreErrorBodySchema } from '../../protocol/index.ts';
import {
  PIN_RESET_COMMAND_PATH,
  PIN_RESET_CONFIRM_PATH,
  PIN_RESET_RELEASE_PATH,
  PIN_RESET_START_PATH,
  PinResetCommandResponseSchema,
  PinResetConfirmResponseSchema,
  PinResetReleaseResponseSchema,
  PinResetStartResponseSchema,
  type PinResetCommandRequest,
  type PinResetCommandResponse,
  type PinResetConfirmRequest,
  type PinResetConfirmResponse,
  type PinResetReleaseRequest,
  type PinResetReleaseResponse,
  type PinResetStartRequest,
  type PinResetStartResponse,
} from '../../protocol/pin-reset.ts';
import { readBounded, type CentreClientTls, type CentreResult } from './centre-client.ts';

export interface PinResetCentre {
  /** The centre's mode for this reset (its setting: the kiosk has none). */
  start(request: PinResetStartRequest): Promise<CentreResult<PinResetStartResponse>>;
  command(request: PinResetCommandRequest): Promise<CentreResult<PinResetCommandResponse>>;
  confirm(request: PinResetConfirmRequest): Promise<CentreResult<PinResetConfirmResponse>>;
  /** Gives the grant's reservation back (a reset that ended without the card's answer). */
  release(request: PinResetReleaseRequest): Promise<CentreResult<PinResetReleaseResponse>>;
  close(): Promise<void>;
}

const MAX_RESPONSE_BYTES = 16 * 1024;

export function createPinResetCentre(options: {
  baseUrl: string;
  timeoutMs?: number;
  tls?: CentreClientTls;
}): PinResetCentre {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const tls = options.tls;
  const agent = tls
    ? new Agent({
        connect: {
          cert: tls.certificatePem,
          key: tls.privateKeyPem,
          ca: tls.caPem,
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
          ...(tls.serverName ? { servername: tls.serverName } : {}),
        },
      })
    : undefined;
  const base = options.baseUrl.replace(/\/$/, '');

  async function post<S extends z.ZodType>(
    path: string,
    schema: S,
    body: unknown,
  ): Promise<CentreResult<z.infer<S>>> {
    let response: Response;
    try {
      const init = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      };
      response = agent
        ? ((await undiciFetch(base + path, { ...init, dispatcher: agent })) as unknown as Response)
        : await fetch(base + path, init);
    } catch (error) {
      return { ok: false, failure: { kind: 'centre-unreachable', detail: (error as Error).name } };
    }
    const read = await readBounded(response, MAX_RESPONSE_BYTES);
    if (!read.ok) return read;
    let json: unknown;
    try {
      json = JSON.parse(read.text);
    } catch {
      return {
        ok: false,
        failure: { kind: 'centre-bad-response', detail: `HTTP ${response.status}, not JSON` },
      };
    }
    if (!response.ok) {
      const refusal = CentreErrorBodySchema.safeParse(json);
      return refusal.success
        ? {
            ok: false,
            failure: { kind: 'centre-error', code: refusal.data.error.code, status: response.status },
          }
        : { ok: false, failure: { kind: 'centre-bad-response', detail: `HTTP ${response.status}` } };
    }
    const parsed = schema.safeParse(json);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, failure: { kind: 'centre-bad-response', detail: 'answer off the contract' } };
  }

  return {
    start: (request) => post(PIN_RESET_START_PATH, PinResetStartResponseSchema, request),
    command: (request) => post(PIN_RESET_COMMAND_PATH, PinResetCommandResponseSchema, request),
    confirm: (request) => post(PIN_RESET_CONFIRM_PATH, PinResetConfirmResponseSchema, request),
    release: (request) => post(PIN_RESET_RELEASE_PATH, PinResetReleaseResponseSchema, request),
    close: async () => agent?.close(),
  };
}
