/**
 * One whole kiosk transaction of the load test — authenticate (challenge, the card signs, the
 * centre checks), menu, issue a 住民票 of the resident alone, check it, render it, confirm delivery
 * — with the kiosk's retry policy: only idempotent replays. Before /v1/issue nothing is recorded
 * against the resident, so a failed authentication starts again with a new transaction id; from
 * /v1/issue on, the same request is replayed with the same transaction id (issue and delivery are
 * idempotent on it), so a centre that died after answering, or a database restarted between two
 * steps, can neither lose the paper nor bill it twice. Network failures and 5xx answers are
 * retried, and a sign-in whose challenge was lost (SIGN_IN_AGAIN); any other refusal (4xx) ends the
 * transaction.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { renderCertificatePdf } from '../../certificate-templates/render.ts';
import type { IssueResponse } from '../../protocol/api.ts';
import { CentreErrorBodySchema } from '../../protocol/errors.ts';
import type { PublishedSealKeys } from '../../protocol/seal-keys.ts';
import {
  authenticateWithCard,
  confirmDelivery,
  requestIssue,
  TerminalError,
  verifyIssued,
  type Authenticated,
  type CentreLink,
} from '../bench/centre/terminal.ts';
import type { Kiosk } from './kiosks.ts';

export type TransactionOutcome =
  | {
      kind: 'completed';
      transactionId: string;
      holderId: string;
      billedYen: number;
      ms: number;
      /** Each step's time, retries included: authentication, the issue call, the delivery report. */
      authenticateMs: number;
      issueMs: number;
      deliveryMs: number;
    }
  | { kind: 'not-offered'; holderId: string }
  | { kind: 'mis-issued'; transactionId: string; holderId: string; detail: string }
  | { kind: 'failed'; transactionId?: string; holderId: string; step: string; lastError: string };

export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 10, firstDelayMs: 50, maxDelayMs: 2_000 };

/** A short name for a failed attempt, for the "errors by kind" table (never personal data). */
export function errorKind(step: string, error: unknown): string {
  if (error instanceof TerminalError) {
    const f = error.failure;
    if (f.kind === 'http') {
      const code = errorCodeOf(f.body);
      return `${step}: HTTP ${f.status}${code ? ` ${code}` : ''}`;
    }
    return `${step}: ${f.kind}`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.name : 'unknown';
  return `${step}: network ${code}`;
}

/** The centre's error code in a refusal's body (`{ error: { code } }`), or '' when it names none. */
function errorCodeOf(body: unknown): string {
  const parsed = CentreErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error.code : '';
}

/**
 * Refusals of a sign-in after which a resident places the card again: its challenge is gone (a put
 * commits without waiting for the WAL, so a crash of PostgreSQL can take it back) or aged out while
 * the centre was unreachable. Nothing is recorded against the resident before issue.
 */
const SIGN_IN_AGAIN = new Set(['challenge-unknown', 'challenge-expired']);

/**
 * Whether a failed attempt may be replayed: the network, the centre's own fault (5xx), or a sign-in
 * whose challenge was lost (a new challenge and transaction id, as a card placed again).
 */
export function retryable(step: string, error: unknown): boolean {
  if (!(error instanceof TerminalError)) return true;
  const f = error.failure;
  if (f.kind !== 'http') return false;
  return f.status >= 500 || (step === 'authenticate' && SIGN_IN_AGAIN.has(errorCodeOf(f.body)));
}

async function withRetries<T>(
  step: string,
  policy: RetryPolicy,
  errors: string[],
  attempt: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; lastError: string }> {
  let delay = policy.firstDelayMs;
  let lastError = '';
  for (let i = 0; i < policy.attempts; i++) {
    try {
      return { ok: true, value: await attempt() };
    } catch (error) {
      lastError = errorKind(step, error);
      errors.push(lastError);
      if (!retryable(step, error)) break;
      await sleep(delay);
      delay = Math.min(policy.maxDelayMs, delay * 2);
    }
  }
  return { ok: false, lastError };
}

/** The mis-issuance check: why this paper is not its card holder's 住民票 of the resident alone, or undefined when it is. */
export function checkDocumentFor(
  issued: IssueResponse,
  authenticated: Authenticated,
  kiosk: Kiosk,
  sealKeys: PublishedSealKeys,
): string | undefined {
  try {
    verifyIssued(issued, authenticated, sealKeys);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { document } = issued;
  if (document.municipality.code !== kiosk.resident.municipalityCode)
    return 'document of another municipality';
  if (document.content.kind !== 'juminhyo') return `document of another kind (${document.content.kind})`;
  const self = document.content.members;
  if (
    self.length !== 1 ||
    self[0]?.nameKana !== kiosk.resident.nameKana ||
    self[0].birthDate !== kiosk.resident.birthDate
  )
    return 'document names another person';
  return undefined;
}

/** One whole transaction at `link` for `kiosk`; `errors` collects every failed attempt's kind. */
export async function runTransaction(opts: {
  link: CentreLink;
  kiosk: Kiosk;
  sealKeys: PublishedSealKeys;
  policy: RetryPolicy;
  render: boolean;
  errors: string[];
}): Promise<TransactionOutcome> {
  const { link, kiosk, policy, errors } = opts;
  const holderId = kiosk.resident.holderId;
  const begin = performance.now();
  const auth = await withRetries('authenticate', policy, errors, () =>
    authenticateWithCard({
      centreUrl: link,
      card: kiosk.card,
      authPin: kiosk.resident.card.authPin,
      terminalId: kiosk.terminalId,
    }),
  );
  if (!auth.ok) return { kind: 'failed', holderId, step: 'authenticate', lastError: auth.lastError };
  const authenticateMs = performance.now() - begin;
  const session = auth.value;
  if (!session.juminhyoOffered) return { kind: 'not-offered', holderId };
  const transactionId = session.transactionId;
  const issueBegin = performance.now();
  const issued = await withRetries('issue', policy, errors, async () => {
    const answer = await requestIssue(link, {
      transactionId,
      terminalId: kiosk.terminalId,
      certificateType: 'juminhyo',
      copies: 1,
      options: { scope: 'self' },
      ...(session.juminhyoFeeYen === undefined ? {} : { quotedFeeYen: session.juminhyoFeeYen }),
    });
    if (!answer.ok)
      throw new TerminalError({ kind: 'http', step: 'issue', status: answer.status, body: answer.body });
    return answer.response;
  });
  if (!issued.ok)
    return { kind: 'failed', transactionId, holderId, step: 'issue', lastError: issued.lastError };
  const issueMs = performance.now() - issueBegin;
  const wrong = checkDocumentFor(issued.value, session, kiosk, opts.sealKeys);
  if (wrong) return { kind: 'mis-issued', transactionId, holderId, detail: wrong };
  if (opts.render) {
    const pdf = await renderCertificatePdf({
      document: issued.value.document,
      seals: issued.value.seals.map((seal) => new Uint8Array(Buffer.from(seal, 'base64'))),
    });
    if (!pdf.ok) {
      errors.push(`render: ${pdf.error.kind}`);
      return { kind: 'failed', transactionId, holderId, step: 'render', lastError: pdf.error.kind };
    }
  }
  const deliveryBegin = performance.now();
  const delivered = await withRetries('delivery', policy, errors, async () => {
    const answer = await confirmDelivery(link, transactionId, {
      terminalId: kiosk.terminalId,
      outcome: 'delivered',
      copies: 1,
    });
    if (!answer.ok)
      throw new TerminalError({ kind: 'http', step: 'issue', status: answer.status, body: answer.body });
    return answer.response;
  });
  if (!delivered.ok)
    return { kind: 'failed', transactionId, holderId, step: 'delivery', lastError: delivered.lastError };
  return {
    kind: 'completed',
    transactionId,
    holderId,
    billedYen: delivered.value.feeYenTotal,
    ms: performance.now() - begin,
    authenticateMs,
    issueMs,
    deliveryMs: performance.now() - deliveryBegin,
  };
}
