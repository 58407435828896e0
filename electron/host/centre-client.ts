import { Agent, fetch as undiciFetch } from 'undici';
import type { z } from 'zod';
import {
  API_PREFIX,
  AuthenticateResponseSchema,
  CentreErrorBodySchema,
  ChallengeResponseSchema,
  DeliveryResponseSchema,
  HouseholdMembersResponseSchema,
  IssueResponseSchema,
  KosekiRegistrationResponseSchema,
  MunicipalityKeysResponseSchema,
  type AuthenticateRequest,
  type AuthenticateResponse,
  type CentreErrorCode,
  type ChallengeRequest,
  type ChallengeResponse,
  type DeliveryReport,
  type DeliveryResponse,
  type HouseholdMembersRequest,
  type HouseholdMembersResponse,
  type IssueRequest,
  type IssueResponse,
  type KosekiRegistrationRequest,
  type KosekiRegistrationResponse,
  type SignedKeyList,
} from '../../protocol/index.ts';
import { signDeliveryReport } from '../../protocol/delivery-signature.ts';

export type CentreFailure =
  | { kind: 'centre-error'; code: CentreErrorCode; status: number }
  | { kind: 'centre-unreachable'; detail: string }
  | { kind: 'centre-bad-response'; detail: string };

export type CentreResult<T> = { ok: true; value: T } | { ok: false; failure: CentreFailure };

export interface CentreClient {
  challenge(request: ChallengeRequest): Promise<CentreResult<ChallengeResponse>>;
  authenticate(request: AuthenticateRequest): Promise<CentreResult<AuthenticateResponse>>;
  /** The household's names, asked for only when the resident chooses scope `members`. */
  householdMembers(request: HouseholdMembersRequest): Promise<CentreResult<HouseholdMembersResponse>>;
  issue(request: IssueRequest): Promise<CentreResult<IssueResponse>>;
  /**
   * Billing follows delivery: what the resident got (retried from the journal until answered),
   * signed with the terminal key when there is one (mutual TLS), at the time it is sent.
   */
  delivery(transactionId: string, report: DeliveryReport): Promise<CentreResult<DeliveryResponse>>;
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
 * Reads a body as it streams, counting bytes, and stops reading (cancelling the stream) as soon as
 * it passes `maxBytes`: a hostile or broken centre cannot make the kiosk buffer more than that.
 */
export async function readBounded(
  response: Response,
  maxBytes: number,
): Promise<{ ok: true; text: string } | { ok: false; failure: CentreFailure }> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, failure: { kind: 'centre-bad-response', detail: 'response too large' } };
  }
  if (!response.body) return { ok: true, text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, failure: { kind: 'centre-bad-response', detail: 'response too large' } };
      }
      chunks.push(value);
    }
  } catch (error) {
    return { ok: false, failure: { kind: 'centre-unreachable', detail: (error as Error).name } };
  }
  return { ok: true, text: new TextDecoder().decode(Buffer.concat(chunks)) };
}

/** One JSON request to the centre and its answer checked against the contract: a typed result, never a throw. */
export interface CentreRequester {
  /** GET when `body` is undefined, else POST of its JSON; `path` from the centre's root (`/v1/…`). */
  call<S extends z.ZodType>(path: string, schema: S, body?: unknown): Promise<CentreResult<z.infer<S>>>;
  close(): Promise<void>;
}

/**
 * The request every kiosk client of the centre goes through (this file's, and pin-reset-client.ts):
 * mutual TLS when `tls` is given, a time-out, a bounded body, the error body read as a typed
 * `centre-error`, and the answer validated against the schema.
 */
export function createCentreRequester(options: {
  baseUrl: string;
  timeoutMs?: number;
  tls?: CentreClientTls;
}): CentreRequester {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const transport = fetchFor(options.tls);
  const base = options.baseUrl.replace(/\/$/, '');

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
    const read = await readBounded(response, MAX_RESPONSE_BYTES);
    if (!read.ok) return { ok: false, failure: read.failure };
    const text = read.text;
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

  return { call, close: () => transport.close() };
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
  const requester = createCentreRequester(options);
  const call = <S extends z.ZodType>(path: string, schema: S, body?: unknown) =>
    requester.call(API_PREFIX + path, schema, body);

  return {
    challenge: (request) => call('/challenge', ChallengeResponseSchema, request),
    authenticate: (request) => call('/authenticate', AuthenticateResponseSchema, request),
    householdMembers: (request) => call('/household-members', HouseholdMembersResponseSchema, request),
    issue: (request) => call('/issue', IssueResponseSchema, request),
    delivery: (transactionId, report) =>
      call(
        `/transactions/${encodeURIComponent(transactionId)}/delivery`,
        DeliveryResponseSchema,
        options.tls
          ? signDeliveryReport(transactionId, report, options.tls.privateKeyPem, new Date())
          : report,
      ),
    kosekiRegistration: (request) => call('/koseki-registration', KosekiRegistrationResponseSchema, request),
    municipalityKeys: () => call('/municipality-keys', MunicipalityKeysResponseSchema),
    close: () => requester.close(),
  };
}
