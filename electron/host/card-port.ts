import type { PinResetAuthority, PinResetResult } from '../../native/jpki/pin-reset.ts';
import type { PinResetTarget } from '../../protocol/secure-messaging.ts';

/**
 * What the session needs from the card, in the session's own words. Implemented over
 * native/ (PC/SC or the in-process virtual reader) by jpki-card-port.ts.
 */
export type CardFailure =
  | { kind: 'card-removed' }
  | { kind: 'card-unsupported' }
  | { kind: 'card-communication'; detail: string }
  | { kind: 'no-reader' }
  | { kind: 'timeout' };

export type CardResult<T> = { ok: true; value: T } | { ok: false; failure: CardFailure };

export type AuthPinOutcome = { kind: 'ok' } | { kind: 'wrong'; triesLeft: number } | { kind: 'locked' };

/** The 4-digit PIN's reset: the card's proof with its 署名用 key, or why the signing PIN did not open it. */
export type SigningProofOutcome =
  | { kind: 'signed'; signature: Uint8Array; signingCertificate: Uint8Array }
  | { kind: 'wrong'; triesLeft: number }
  | { kind: 'locked' };

export interface CardHandle {
  /** Selects JPKI-AP, checks the token, and reads the 4-digit PIN's tries left without spending one. */
  prepare(): Promise<CardResult<{ authPinTriesLeft: number }>>;
  /** The 利用者証明用 certificate (DER); may run while the resident types. */
  readAuthCertificate(): Promise<CardResult<Uint8Array>>;
  /** VERIFY with the PIN digits; the caller wipes `pin` afterwards. */
  verifyAuthPin(pin: Uint8Array): Promise<CardResult<AuthPinOutcome>>;
  /** COMPUTE DIGITAL SIGNATURE with the auth key over a DER DigestInfo. */
  signWithAuthKey(digestInfo: Uint8Array): Promise<CardResult<Uint8Array>>;
  /**
   * A centre-authorised PIN reset (issue 11): the card's challenge to `authority`, its command
   * relayed as it is, the card's answer back (native/jpki/pin-reset.ts). Optional: only the
   * PIN-reset flow needs it.
   */
  resetPin?(authority: PinResetAuthority, target: PinResetTarget): Promise<PinResetResult>;
  /**
   * The 4-digit PIN's reset (issue 11): VERIFY the 署名用 PIN, sign the DigestInfo with the signing
   * key, read the 署名用 certificate. Optional: only the PIN-reset flow needs it. The caller's
   * `pin` is wiped here.
   */
  proveWithSigningKey?(pin: Uint8Array, digestInfo: Uint8Array): Promise<CardResult<SigningProofOutcome>>;
  /** Disconnects with SCARD_UNPOWER_CARD so no verified state survives. Never throws. */
  release(): Promise<void>;
}

export interface CardPort {
  /** Waits for a card on the reader and connects exclusively. */
  waitForCard(signal: AbortSignal): Promise<CardResult<CardHandle>>;
  /** Called when the card leaves the reader while a session holds it. */
  onCardRemoved(listener: () => void): () => void;
  /** Whether a card lies on the reader now (held by a session or not). */
  cardPresent(): boolean;
  readerState(): 'ready' | 'no-reader' | 'service-down';
  onReaderState(listener: (state: 'ready' | 'no-reader' | 'service-down') => void): () => void;
}
