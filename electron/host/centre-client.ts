import { Agent, fetch as undiciFetch } from 'undici';
import type { z } from 'zod';
import {
  API_PREFIX,
  AuthenticateResponseSchema,
  CentreErrorBodySchema,
  ChallengeResponseSchema,
  IssueResponseSchema,
  KosekiRegistrationResponseSchema,
  MunicipalityKeysResponseSchema,
  type AuthenticateRequest,
  type AuthenticateResponse,
  type CentreErrorCode,
  type ChallengeRequest,
  type ChallengeResponse,
  type IssueRequest,
  type IssueResponse,
  type KosekiRegistrationRequest,
  type KosekiRegistrationResponse,
  type SignedKeyList,
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
  /** 利用登録 for 戸籍 certificates with the 本籍地, in the authenticated transaction. */
  kosekiRegistration(request: KosekiRegistrationRequest): Promise<CentreResult<KosekiRegistrationResponse>>;
  /** The root-signed list of seal keys, as served: the caller verifies it (issue-document.ts). */
  municipalityKeys(): Promise<CentreResult<SignedKeyList>>;
  /** Closes pooled connections (mutual TLS keeps them open). */
  close(): Promise<void>;
}

const MAX_RESPONSE_BYTES = 1 << 20;

/** The kiosk's side of mutual TLS: its terminal certificate and key, and the CA it trusts for the centre. */
export interface CentreClientTls {
  certificatePem: string;
  privateKeyPem: string;
  /** CA certificate(s) of the centre's server certificate, PEM. Only these are trusted. */
  caPem: string | string[];
  /** Expected server name when the URL's host is not in the certificate (default: the URL's host). */
  serverName?: string;
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

function fetchFor(tls: CentreClientTls | undefined): { fetch: Fetch; close(): Promise<void> } {
  if (!tls) return { fetch: (url, init) => fetch(url, init), close: async () => undefined };
  const agent = new Agent({
    connect: {
      cert: tls.certificatePem,
      key: tls.privateKeyPem,
      ca: tls.caPem,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(tls.serverName ? { servername: tls.serverName } : {}),
    },
  });
  return {
    fetch: (url, init) =>
      undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent,
      }) as unknown as Promise<Response>,
    close: () => agent.close(),
  };
}

/**
 * The kiosk's client for the centre (protocol/). Every answer is validated against the
 * contract's schema; anything else is a typed failure, never a thrown exception.
 */
export function createCentreClient(options: {
  baseUrl: string;
  timeoutMs?: number;
  /** Required for an https:// centre: the terminal certificate (mutual TLS) and the centre's CA. */
  tls?: CentreClientTls;
}): CentreClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const transport = fetchFor(options.tls);
  const base = options.baseUrl.replace(/\/$/, '') + API_PREFIX;

  async function call<S extends z.ZodType>(
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<CentreResult<z.infer<S>>> {
    let response: Response;
    try {
      response = await transport.fetch(base + path, {
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
    kosekiRegistration: (request) => call('/koseki-registration', KosekiRegistrationResponseSchema, request),
    municipalityKeys: () => call('/municipality-keys', MunicipalityKeysResponseSchema),
    close: () => transport.close(),
  };
}
