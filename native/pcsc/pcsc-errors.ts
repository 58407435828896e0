/** Maps pcsclite's error messages (which end in the PC/SC return code) to CardError values. */
import type { CardError } from '../card-transport.ts';

const SCARD = {
  E_CANCELLED: 0x80100002,
  E_INVALID_HANDLE: 0x80100003,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  F_COMM_ERROR: 0x80100013,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/** The PC/SC return code in a pcsclite error message such as "SCardTransmit error: Card was removed.(0x80100069)". */
export function pcscCode(err: unknown): number | null {
  const message = err instanceof Error ? err.message : String(err);
  const m = /\(0x([0-9a-fA-F]{8})\)/.exec(message);
  return m ? parseInt(m[1]!, 16) : null;
}

export function isCancelled(err: unknown): boolean {
  return pcscCode(err) === SCARD.E_CANCELLED;
}

export function cardErrorFromPcsc(err: unknown, operation: string): CardError {
  const code = pcscCode(err);
  switch (code) {
    case SCARD.W_REMOVED_CARD:
    case SCARD.E_NO_SMARTCARD:
    case SCARD.W_UNPOWERED_CARD:
      return { kind: 'card-removed' };
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
    case SCARD.F_COMM_ERROR:
      return { kind: 'service-down' };
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
    case SCARD.E_NO_READERS_AVAILABLE:
      return { kind: 'no-reader' };
    case SCARD.E_TIMEOUT:
      return { kind: 'timeout', operation };
    case SCARD.E_SHARING_VIOLATION:
      return { kind: 'communication', detail: `${operation}: reader in use by another process` };
    case SCARD.W_UNRESPONSIVE_CARD:
      return { kind: 'communication', detail: `${operation}: card does not answer` };
    case SCARD.W_RESET_CARD:
      return { kind: 'communication', detail: `${operation}: card was reset by another process` };
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return { kind: 'communication', detail: `${operation}: ${message}` };
    }
  }
}
