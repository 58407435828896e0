/**
 * What the development card bridge and the phone's web page say over their WebSocket (JSON text
 * frames). The bridge opens with `card`; the page sends `transmit` and gets `response` (or
 * `error`) with the same id. APDUs travel as hex. No Node module: the page bundles it.
 */
import type { CardError } from '../../native/card-transport.ts';

export type BridgeToPage =
  | {
      type: 'card';
      holderId: string;
      /** The test card's 照合番号B (the bridge knows it; a real card is asked). */ collationB: string;
    }
  | { type: 'response'; id: number; apdu: string }
  | { type: 'error'; id: number; error: CardError };

export type PageToBridge = { type: 'transmit'; id: number; apdu: string };

/** The bridge's URL goes in the page's fragment (never sent to the centre): `/phone/#bridge=<url>`. */
export const BRIDGE_FRAGMENT_PARAM = 'bridge';

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) return undefined;
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}
