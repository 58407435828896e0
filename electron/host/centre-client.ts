import type { z } from 'zod';
import {
  API_PREFIX,
  AuthenticateResponseSchema,
  CentreErrorBodySchema,
  ChallengeResponseSchema,
  IssueResponseSchema,
  MunicipalityKeysResponseSchema,
  type AuthenticateRequest,
  type AuthenticateResponse,
  type CentreErrorCode,
  type ChallengeRequest,
  type ChallengeResponse,
  type IssueRequest,
  type IssueResponse,
  type MunicipalityKey,
} from '../../protocol/index.ts';

export type CentreFailure =
  | { kind: 'centre-error'; code: CentreErrorCode; status: number }
  | { kind: 'centre-unreachable'; detail: string }
  | { kind: 'centre-bad-response'; detail: string };

export type CentreResult<T> = { ok: true; value: T } | { ok: false; failure: CentreFailure };

export interface CentreClient {
  challenge(request: ChallengeRequest): Promise<CentreResult<ChallengeResponse>>;
  authenticate(request: AuthenticateRequest): Promise<CentreResult<AuthenticateResponse>>;
  issue(request: IssueRequest): Promise<CentreResult<IssueResponse>>;
  municipalityKeys(): Promise<CentreResult<MunicipalityKey[]>>;
}

const MAX_RESPONSE_BYTES = 1 << 20;

/**
 * The kiosk's client for the centre (protocol/). Every answer is validated against the
 * contract's schema; anything else is a typed failure, never a thrown exception.
 */
export function createCentreClient(options: { baseUrl: string; timeoutMs?: number }): CentreClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const base = options.baseUrl.replace(/\/$/, '') + API_PREFIX;

  async function call<S extends z.ZodType>(
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<CentreResult<z.infer<S>>> {
    let response: Response;
    try {
      response = await fetch(base + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { ok: false, failure: { kind: 'centre-unreachable', detail: (error as Error).name } };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { ok: false, failure: { kind: 'centre-unreachable', detail: (error as Error).name } };
    }
    if (text.length > MAX_RESPONSE_BYTES) {
      return { ok: false, failure: { kind: 'centre-bad-response', detail: 'response too large' } };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return {
        ok: false,
        failure: { kind: 'centre-bad-response', detail: `HTTP ${response.status}, not JSON` },
      };
    }
    if (!response.ok) {
      const parsedError = CentreErrorBodySchema.safeParse(json);
      if (parsedError.success) {
        return {
          ok: false,
          failure: { kind: 'centre-error', code: parsedError.data.error.code, status: response.status },
        };
      }
      return { ok: false, failure: { kind: 'centre-bad-response', detail: `HTTP ${response.status}` } };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return {
        ok: false,
        failure: { kind: 'centre-bad-response', detail: 'response does not match the contract' },
      };
    }
    return { ok: true, value: parsed.data };
  }

  return {
    challenge: (request) => call('/challenge', ChallengeResponseSchema, request),
    authenticate: (request) => call('/authenticate', AuthenticateResponseSchema, request),
    issue: (request) => call('/issue', IssueResponseSchema, request),
    async municipalityKeys() {
      const result = await call('/municipality-keys', MunicipalityKeysResponseSchema);
      return result.ok ? { ok: true, value: result.value.keys } : result;
    },
  };
}
