/**
 * A load-test kiosk terminal: one virtual card on an in-process reader, speaking the kiosk API
 * over HTTP exactly as a kiosk does (challenge → card signs hash(terminal id) + hash(challenge)
 * with the 利用者証明用 key → authenticate → issue), and checking what comes back: the seal
 * against the published municipality keys, the holder binding against its own certificate.
 * Test and benchmark tooling (it drives `native/` virtual cards); never part of the centre.
 */
import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fetch, request, type Dispatcher } from 'undici';
import { isCardError } from '../../../native/card-transport.ts';
import { JpkiClient, pinFromDigits } from '../../../native/jpki/jpki-client.ts';
import { InProcessCardReader } from '../../../native/virtual-card/in-process-reader.ts';
import type { VirtualMyNumberCard } from '../../../native/virtual-card/virtual-my-number-card.ts';
import {
  AuthenticateResponseSchema,
  ChallengeResponseSchema,
  IssueResponseSchema,
  MunicipalityKeysResponseSchema,
  DeliveryResponseSchema,
  type DeliveryRequest,
  type DeliveryResponse,
  type IssueRequest,
  type IssueResponse,
} from '../../../protocol/api.ts';
import { authenticationMessage, sha256DigestInfo } from '../../../protocol/auth-message.ts';
import { signDeliveryReport } from '../../../protocol/delivery-signature.ts';
import { checkPageSeals, holderBindingFor } from '../../../protocol/seal.ts';
import type { PublishedSealKeys } from '../../../protocol/seal-keys.ts';
import { verifyKeyList } from '../../../protocol/seal-keys.ts';
import { parseSealRootKeys } from '../../../protocol/seal-root-keys.ts';

export type TerminalFailure =
  | { kind: 'card'; detail: string }
  | { kind: 'http'; step: 'challenge' | 'authenticate' | 'issue'; status: number; body: unknown }
  | { kind: 'verification'; detail: string };

export class TerminalError extends Error {
  constructor(readonly failure: TerminalFailure) {
    super(
      `terminal: ${failure.kind}${'step' in failure ? ` at ${failure.step} (${failure.status})` : ''}: ${JSON.stringify('detail' in failure ? failure.detail : failure.body)}`,
    );
  }
}

/**
 * How a terminal reaches the centre: its URL, and for mutual TLS the undici dispatcher holding the
 * terminal certificate (absent: plain HTTP on loopback).
 */
/**
 * A plain URL, or mutual TLS: the terminal's connection pool and its private key, which signs the
 * delivery report as a kiosk's centre client does (protocol/delivery-signature.ts).
 */
export type CentreLink = string | { url: string; dispatcher: Dispatcher; terminalKey?: KeyObject };

const urlOf = (link: CentreLink): string => (typeof link === 'string' ? link : link.url);
const dispatcherOf = (link: CentreLink): { dispatcher?: Dispatcher } =>
  typeof link === 'string' ? {} : { dispatcher: link.dispatcher };

async function post(
  link: CentreLink,
  path: string,
  body: object,
): Promise<{ status: number; json: unknown }> {
  // undici's request, not fetch: the same connection pool without WHATWG streams per call, which
  // were a fifth of a load-generating terminal's CPU.
  const res = await request(`${urlOf(link)}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...dispatcherOf(link),
  });
  return { status: res.statusCode, json: (await res.body.json()) as unknown };
}

export interface Authenticated {
  transactionId: string;
  terminalId: string;
  /** DER of the card's 利用者証明用 certificate, as the card returned it. */
  certificate: Uint8Array;
  municipalityCode: string;
  /** Whether the menu offers the 住民票 (it may not: e.g. an address too long for the form). */
  juminhyoOffered: boolean;
  /** The 住民票's fee per copy on the menu, when offered. */
  juminhyoFeeYen?: number;
}

/** Puts the card on its own reader and authenticates a new transaction at `centreUrl`. */
export async function authenticateWithCard(opts: {
  centreUrl: CentreLink;
  card: VirtualMyNumberCard;
  authPin: string;
  terminalId: string;
  transactionId?: string;
}): Promise<Authenticated> {
  const transactionId = opts.transactionId ?? randomUUID();
  const challenge = await post(opts.centreUrl, '/v1/challenge', {
    transactionId,
    terminalId: opts.terminalId,
  });
  if (challenge.status !== 200)
    throw new TerminalError({
      kind: 'http',
      step: 'challenge',
      status: challenge.status,
      body: challenge.json,
    });
  const { challenge: challengeB64 } = ChallengeResponseSchema.parse(challenge.json);
  const reader = new InProcessCardReader();
  reader.insert(opts.card);
  const session = await reader.connect();
  if (isCardError(session)) throw new TerminalError({ kind: 'card', detail: session.kind });
  let certificate: Uint8Array;
  let signature: Uint8Array;
  try {
    const digestInfo = sha256DigestInfo(
      authenticationMessage(opts.terminalId, Buffer.from(challengeB64, 'base64')),
    );
    const result = await new JpkiClient(session.transport).authenticate({
      pin: pinFromDigits([...opts.authPin].map(Number)),
      digestInfo,
    });
    if (result.kind !== 'authenticated') throw new TerminalError({ kind: 'card', detail: result.kind });
    certificate = result.certificate;
    signature = result.signature;
  } finally {
    await session.close();
    reader.remove();
    await reader.close();
  }
  const auth = await post(opts.centreUrl, '/v1/authenticate', {
    transactionId,
    terminalId: opts.terminalId,
    challenge: challengeB64,
    certificate: Buffer.from(certificate).toString('base64'),
    signature: Buffer.from(signature).toString('base64'),
    signatureAlgorithm: 'RS256',
  });
  if (auth.status !== 200)
    throw new TerminalError({ kind: 'http', step: 'authenticate', status: auth.status, body: auth.json });
  const { municipality, menu } = AuthenticateResponseSchema.parse(auth.json);
  const juminhyo = menu.find((item) => item.certificateType === 'juminhyo' && item.available);
  return {
    transactionId,
    terminalId: opts.terminalId,
    certificate,
    municipalityCode: municipality.code,
    juminhyoOffered: juminhyo !== undefined,
    ...(juminhyo?.available ? { juminhyoFeeYen: juminhyo.feeYen } : {}),
  };
}

/** POST /v1/issue; answers the parsed response or the refusal. */
export async function requestIssue(
  centreUrl: CentreLink,
  request: IssueRequest,
): Promise<{ ok: true; response: IssueResponse } | { ok: false; status: number; body: unknown }> {
  const res = await post(centreUrl, '/v1/issue', request);
  if (res.status !== 200) return { ok: false, status: res.status, body: res.json };
  return { ok: true, response: IssueResponseSchema.parse(res.json) };
}

/** POST /v1/transactions/{id}/delivery; answers the parsed response or the refusal. */
export async function confirmDelivery(
  centreUrl: CentreLink,
  transactionId: string,
  request: DeliveryRequest,
): Promise<{ ok: true; response: DeliveryResponse } | { ok: false; status: number; body: unknown }> {
  const signed =
    typeof centreUrl === 'string' || centreUrl.terminalKey === undefined
      ? request
      : signDeliveryReport(transactionId, request, centreUrl.terminalKey, new Date());
  const res = await post(centreUrl, `/v1/transactions/${transactionId}/delivery`, signed);
  if (res.status !== 200) return { ok: false, status: res.status, body: res.json };
  return { ok: true, response: DeliveryResponseSchema.parse(res.json) };
}

/** The published seal keys (kid → SPKI DER), from a list that verifies against the root keys in the PEM file. */
export async function fetchSealKeys(
  centreUrl: CentreLink,
  rootKeysPemPath: string,
): Promise<PublishedSealKeys> {
  const roots = parseSealRootKeys(await readFile(rootKeysPemPath, 'utf8'));
  if (!roots.ok)
    throw new TerminalError({ kind: 'verification', detail: `seal root keys: ${roots.error.detail}` });
  const res = await fetch(`${urlOf(centreUrl)}/v1/municipality-keys`, dispatcherOf(centreUrl));
  const list = verifyKeyList(MunicipalityKeysResponseSchema.parse(await res.json()), roots.rootKeys);
  if (!list.ok)
    throw new TerminalError({ kind: 'verification', detail: `published key list: ${list.error.kind}` });
  return list.keys;
}

export const sha256Hex = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');

/**
 * What a kiosk checks before printing: the seal verifies under a published key and matches the
 * document, the document is bound to the certificate this card authenticated with, and it is
 * the document of this transaction. Throws a TerminalError otherwise.
 */
export function verifyIssued(
  issued: IssueResponse,
  authenticated: Authenticated,
  sealKeys: PublishedSealKeys,
): void {
  const seals = issued.seals.map((seal) => new Uint8Array(Buffer.from(seal, 'base64')));
  const checked = checkPageSeals(seals, issued.document, sealKeys);
  if (!checked.ok) {
    const e = checked.error;
    const detail =
      e.kind === 'seal-document-mismatch'
        ? `seal does not match the document (page ${e.page} ${e.field})`
        : `seal: ${e.kind}`;
    throw new TerminalError({ kind: 'verification', detail });
  }
  const binding = holderBindingFor(issued.document.holderSalt, sha256Hex(authenticated.certificate));
  if (issued.document.holderBinding !== binding)
    throw new TerminalError({ kind: 'verification', detail: 'document bound to another certificate' });
  if (issued.document.transactionId !== authenticated.transactionId)
    throw new TerminalError({ kind: 'verification', detail: 'document of another transaction' });
}
