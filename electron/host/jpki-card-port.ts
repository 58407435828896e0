import {
  isCardError,
  type CardError,
  type CardReader,
  type CardSession,
  type ReaderStatus,
} from '../../native/card-transport.ts';
import { JpkiClient } from '../../native/jpki/jpki-client.ts';
import { relayPinReset, type PinResetAuthority, type PinResetResult } from '../../native/jpki/pin-reset.ts';
import type { PinResetTarget } from '../../protocol/secure-messaging.ts';
import type {
  AuthPinOutcome,
  CardFailure,
  CardHandle,
  CardPort,
  CardResult,
  SigningProofOutcome,
} from './card-port.ts';

export function cardFailureFrom(error: CardError): CardFailure {
  switch (error.kind) {
    case 'card-removed':
    case 'aborted':
      return { kind: 'card-removed' };
    case 'unsupported-card':
      return { kind: 'card-unsupported' };
    case 'timeout':
      return { kind: 'timeout' };
    case 'no-reader':
    case 'service-down':
      return { kind: 'no-reader' };
    case 'communication':
      return { kind: 'card-communication', detail: error.detail };
    case 'unexpected-status':
      return { kind: 'card-communication', detail: `${error.command}: SW ${error.sw.toString(16)}` };
  }
}

function readerState(status: ReaderStatus): 'ready' | 'no-reader' | 'service-down' {
  return status.kind;
}

/**
 * One card on the reader, one resident: every APDU of the session goes through this handle,
 * one at a time (the certificate read that runs while the resident types is queued before the
 * VERIFY that follows it).
 */
class JpkiCardHandle implements CardHandle {
  readonly #session: CardSession;
  readonly #client: JpkiClient;
  #queue: Promise<unknown> = Promise.resolve();
  #released = false;

  constructor(session: CardSession) {
    this.#session = session;
    this.#client = new JpkiClient(session.transport);
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(operation, operation);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  prepare(): Promise<CardResult<{ authPinTriesLeft: number }>> {
    return this.#serial(async () => {
      const checked = await this.#client.checkCard();
      if (checked.kind !== 'ok') return { ok: false, failure: cardFailureFrom(checked) };
      const status = await this.#client.authPinTriesLeft();
      if (isCardError(status)) return { ok: false, failure: cardFailureFrom(status) };
      switch (status.kind) {
        case 'tries-left':
          return { ok: true, value: { authPinTriesLeft: status.triesLeft } };
        case 'locked':
          return { ok: true, value: { authPinTriesLeft: 0 } };
        case 'verified':
          // A card still verified from an earlier session: refuse it rather than skip the PIN.
          return { ok: false, failure: { kind: 'card-communication', detail: 'card already verified' } };
      }
    });
  }

  readAuthCertificate(): Promise<CardResult<Uint8Array>> {
    return this.#serial(async () => {
      const result = await this.#client.readAuthCertificate();
      return result.kind === 'certificate'
        ? { ok: true, value: result.der }
        : { ok: false, failure: cardFailureFrom(result) };
    });
  }

  verifyAuthPin(pin: Uint8Array): Promise<CardResult<AuthPinOutcome>> {
    return this.#serial(async () => {
      const result = await this.#client.verifyAuthPin(pin);
      if (result.kind === 'malformed-pin')
        return { ok: false, failure: { kind: 'card-communication', detail: 'malformed PIN' } };
      if (isCardError(result)) return { ok: false, failure: cardFailureFrom(result) };
      return { ok: true, value: result };
    });
  }

  signWithAuthKey(digestInfo: Uint8Array): Promise<CardResult<Uint8Array>> {
    return this.#serial(async () => {
      const result = await this.#client.signWithAuthKey(digestInfo);
      if (result.kind === 'signature') return { ok: true, value: result.signature };
      if (result.kind === 'pin-required')
        return { ok: false, failure: { kind: 'card-communication', detail: 'PIN not verified' } };
      return { ok: false, failure: cardFailureFrom(result) };
    });
  }

  proveWithSigningKey(pin: Uint8Array, digestInfo: Uint8Array): Promise<CardResult<SigningProofOutcome>> {
    return this.#serial(async () => {
      const verified = await this.#client.verifySigningPin(pin);
      if (verified.kind === 'malformed-pin')
        return { ok: false, failure: { kind: 'card-communication', detail: 'malformed PIN' } };
      if (isCardError(verified)) return { ok: false, failure: cardFailureFrom(verified) };
      if (verified.kind !== 'ok') return { ok: true, value: verified };
      const signed = await this.#client.signWithSigningKey(digestInfo);
      if (signed.kind === 'pin-required')
        return { ok: false, failure: { kind: 'card-communication', detail: 'PIN not verified' } };
      if (signed.kind !== 'signature') return { ok: false, failure: cardFailureFrom(signed) };
      const certificate = await this.#client.readSigningCertificate();
      if (certificate.kind !== 'certificate') return { ok: false, failure: cardFailureFrom(certificate) };
      return {
        ok: true,
        value: { kind: 'signed', signature: signed.signature, signingCertificate: certificate.der },
      };
    });
  }

  resetPin(authority: PinResetAuthority, target: PinResetTarget): Promise<PinResetResult> {
    return this.#serial(() => relayPinReset(this.#client, authority, target));
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    try {
      await this.#session.close();
    } catch {
      // closing a session whose card is gone is not an error for the resident
    }
  }
}

/** The session's card port over a native CardReader (PC/SC through pcscd, or in-process). */
export function createJpkiCardPort(
  reader: CardReader,
  options: { connectTimeoutMs?: number } = {},
): CardPort {
  return {
    async waitForCard(signal) {
      const session = await reader.connect({ signal, timeoutMs: options.connectTimeoutMs ?? 120_000 });
      if (isCardError(session)) return { ok: false, failure: cardFailureFrom(session) };
      return { ok: true, value: new JpkiCardHandle(session) };
    },
    onCardRemoved(listener) {
      let present =
        reader.status().kind === 'ready' && (reader.status() as { cardPresent: boolean }).cardPresent;
      return reader.onStatus((status) => {
        const nowPresent = status.kind === 'ready' && status.cardPresent;
        if (present && !nowPresent) listener();
        present = nowPresent;
      });
    },
    cardPresent() {
      const status = reader.status();
      return status.kind === 'ready' && status.cardPresent;
    },
    readerState: () => readerState(reader.status()),
    onReaderState(listener) {
      return reader.onStatus((status) => listener(readerState(status)));
    },
  };
}
