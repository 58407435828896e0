/**
 * The centre's side of a PIN reset at the kiosk (issue 11, step 2), without HTTP: for a resident
 * authenticated in this transaction, reserve the grant bound to that card for the transaction (the
 * one-time password, or the card alone in the bound-card mode) and build the secure-messaging
 * command that sets the PIN the grant is for (署名用 or 利用者証明用) and restores its counter; then read the card's sealed answer:
 * its authentic "reset-done" spends the grant, a refusal releases it (so does the kiosk's release
 * when the card never answered). The card key is derived from the centre's master key and the
 * holder: the kiosk never sees it.
 */
import {
  buildPinResetCommand,
  CHALLENGE_LENGTH,
  checkPinResetResponse,
  deriveCardKey,
} from '../../protocol/secure-messaging.ts';
import {
  AUTH_PIN_PATTERN,
  SIGNING_PIN_PATTERN,
  type PinResetMode,
  type PinResetAuthenticateRequest,
  type PinResetAuthenticateResponse,
  type PinResetCommandRequest,
  type PinResetCommandResponse,
  type PinResetConfirmRequest,
  type PinResetConfirmResponse,
  type PinResetReleaseRequest,
  type PinResetReleaseResponse,
  type PinResetStartRequest,
  type PinResetStartResponse,
} from '../../protocol/pin-reset.ts';
import type { RevocationChecker } from '../auth/revocation.ts';
import type { TrustStore } from '../auth/trustStore.ts';
import { verifySigningProof } from '../auth/verifySigningProof.ts';
import type { CentreRepository } from '../db/repository.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import type { OneTimePasswordStore } from './one-time-passwords.ts';

export type { PinResetMode } from '../../protocol/pin-reset.ts';

export interface PinResetSettings {
  /** The master key the cards' reset keys derive from (≥ 32 bytes); never leaves the centre. */
  masterKey: Uint8Array;
  mode: PinResetMode;
}

export interface PinResetServiceDeps {
  repository: CentreRepository;
  /**
   * The 4-digit PIN's reset (`authenticate`): the kiosk's trust store and revocation, and the 署名用
   * CA certificates; without `signingCaCertificates` every signing proof is refused.
   */
  trustStore?: TrustStore;
  revocation?: RevocationChecker;
  signingCaCertificates?: readonly Uint8Array[];
  oneTimePasswords: OneTimePasswordStore;
  settings: PinResetSettings;
  now: () => Date;
  /** Decisions only: transaction id and outcome, never a PIN, password or holder. */
  log?: (fields: {
    transactionId: string;
    step: 'authenticate' | 'start' | 'command' | 'confirm' | 'release';
    outcome: string;
    grant?: 'spent' | 'released' | 'not-reserved';
  }) => void;
}

export interface PinResetService {
  /** The card proven with its signing key for the 4-digit PIN's reset (in place of /v1/authenticate). */
  authenticate(request: PinResetAuthenticateRequest): Promise<CentreResult<PinResetAuthenticateResponse>>;
  /** The centre's mode for this authenticated transaction's reset (the kiosk follows it). */
  start(request: PinResetStartRequest): Promise<CentreResult<PinResetStartResponse>>;
  command(request: PinResetCommandRequest): Promise<CentreResult<PinResetCommandResponse>>;
  confirm(request: PinResetConfirmRequest): Promise<CentreResult<PinResetConfirmResponse>>;
  release(request: PinResetReleaseRequest): Promise<CentreResult<PinResetReleaseResponse>>;
}

function decodeChallenge(b64: string): Uint8Array | null {
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length === CHALLENGE_LENGTH ? Uint8Array.from(bytes) : null;
}

export function createPinResetService(deps: PinResetServiceDeps): PinResetService {
  const log = deps.log ?? (() => undefined);

  /**
   * The holder and card of the live session this terminal authenticated in this transaction: by
   * the 4-digit PIN (`/v1/authenticate`), or by the signing key (`authenticate` here, tied to an
   * 'auth' grant).
   */
  async function sessionOf(request: {
    transactionId: string;
    terminalId: string;
  }): Promise<{ holderId: string; certificateFingerprint: string } | null> {
    const session = await deps.repository.getSession(request.transactionId);
    if (session && session.terminalId === request.terminalId && session.expiresAt > deps.now().getTime())
      return session;
    const signing = await deps.oneTimePasswords.signingSessionOf(request, deps.now());
    return signing ? { holderId: signing.holderId, certificateFingerprint: signing.cardBinding } : null;
  }

  return {
    async authenticate(request) {
      const answer = (value: PinResetAuthenticateResponse, outcome: string = value.kind) => {
        log({ transactionId: request.transactionId, step: 'authenticate', outcome });
        return succeed(value);
      };
      if (!deps.trustStore || !deps.signingCaCertificates)
        return fail('not-authenticated', 'no 署名用 CA configured');
      const proven = await verifySigningProof(
        {
          repository: deps.repository,
          trustStore: deps.trustStore,
          ...(deps.revocation ? { revocation: deps.revocation } : {}),
          signingCaCertificates: deps.signingCaCertificates,
          now: deps.now,
        },
        request,
      );
      if (!proven.ok) {
        const kind = proven.error.kind;
        if (kind === 'basic-information-changed') return answer({ kind });
        if (
          kind === 'signing-certificate-invalid' ||
          kind === 'signing-certificate-untrusted' ||
          kind === 'signing-certificate-expired' ||
          kind === 'signing-certificate-revoked'
        )
          return answer({ kind: 'signing-certificate-refused', reason: kind }, kind);
        log({ transactionId: request.transactionId, step: 'authenticate', outcome: kind });
        return fail(kind, proven.error.detail);
      }
      const bound = await deps.oneTimePasswords.bindSigningSession(
        {
          cardBinding: proven.value.holder.certificateFingerprint,
          transactionId: request.transactionId,
          terminalId: request.terminalId,
        },
        deps.now(),
      );
      return answer(bound === 'bound' ? { kind: 'authenticated' } : { kind: bound });
    },

    async start(request) {
      const session = await sessionOf(request);
      if (!session) return fail('not-authenticated', 'no live session for this transaction and terminal');
      log({ transactionId: request.transactionId, step: 'start', outcome: deps.settings.mode });
      return succeed({ mode: deps.settings.mode });
    },

    async command(request) {
      const session = await sessionOf(request);
      if (!session) return fail('not-authenticated', 'no live session for this transaction and terminal');
      const challenge = decodeChallenge(request.challenge);
      if (!challenge) return fail('bad-request', 'challenge: 8 bytes');
      const answer = (value: PinResetCommandResponse) => {
        log({ transactionId: request.transactionId, step: 'command', outcome: value.kind });
        return succeed(value);
      };
      // Checked before the grant is spent: a PIN the card would refuse must not use it up.
      const target = request.target ?? 'signing';
      const newPinText = target === 'signing' ? request.newSigningPin : request.newAuthPin;
      const rule = target === 'signing' ? SIGNING_PIN_PATTERN : AUTH_PIN_PATTERN;
      if (newPinText === undefined || !rule.test(newPinText)) return answer({ kind: 'pin-rules' });
      // The bound-card mode redeems on the card alone; a typed password is ignored there.
      const password = deps.settings.mode === 'password' ? request.oneTimePassword : undefined;
      const reservation = {
        cardBinding: session.certificateFingerprint,
        transactionId: request.transactionId,
      };
      const reserved = await deps.oneTimePasswords.reserve({ ...reservation, password, target }, deps.now());
      if (reserved.kind === 'wrong-password')
        return answer({ kind: 'wrong-password', triesLeft: reserved.triesLeft });
      if (reserved.kind !== 'granted') return answer({ kind: reserved.kind });
      if (reserved.grant.holderId !== session.holderId) {
        await deps.oneTimePasswords.release(reservation);
        return answer({ kind: 'no-grant' });
      }
      const cardKey = deriveCardKey(deps.settings.masterKey, session.holderId);
      const newPin = Uint8Array.from(Buffer.from(newPinText, 'ascii'));
      try {
        const apdu = buildPinResetCommand({ cardKey, challenge, target, newPin });
        return answer({ kind: 'command', apdu: Buffer.from(apdu).toString('base64') });
      } catch (error) {
        // No command left the centre: the grant is free again.
        await deps.oneTimePasswords.release(reservation);
        throw error;
      } finally {
        newPin.fill(0);
        cardKey.fill(0);
      }
    },

    async confirm(request) {
      const session = await sessionOf(request);
      if (!session) return fail('not-authenticated', 'no live session for this transaction and terminal');
      const challenge = decodeChallenge(request.challenge);
      if (!challenge) return fail('bad-request', 'challenge: 8 bytes');
      const cardKey = deriveCardKey(deps.settings.masterKey, session.holderId);
      try {
        const outcome = checkPinResetResponse({
          cardKey,
          challenge,
          response: Uint8Array.from(Buffer.from(request.response, 'base64')),
        });
        const reservation = {
          cardBinding: session.certificateFingerprint,
          transactionId: request.transactionId,
        };
        // Only the card's authentic answer decides: "reset-done" spends the grant for good, a
        // refusal gives it back; an answer that is not the card's changes nothing (it lapses).
        const grant =
          outcome.kind === 'reset-done'
            ? await deps.oneTimePasswords.spend(reservation, deps.now())
            : outcome.kind === 'card-refused' || outcome.kind === 'not-authorised'
              ? await deps.oneTimePasswords.release(reservation)
              : undefined;
        log({
          transactionId: request.transactionId,
          step: 'confirm',
          outcome: outcome.kind,
          ...(grant === undefined ? {} : { grant }),
        });
        return succeed(outcome);
      } finally {
        cardKey.fill(0);
      }
    },

    async release(request) {
      const session = await sessionOf(request);
      if (!session) return fail('not-authenticated', 'no live session for this transaction and terminal');
      const kind = await deps.oneTimePasswords.release({
        cardBinding: session.certificateFingerprint,
        transactionId: request.transactionId,
      });
      log({ transactionId: request.transactionId, step: 'release', outcome: kind });
      return succeed({ kind });
    },
  };
}
