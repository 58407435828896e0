import type { IntentResult, KioskIntent, KioskSnapshot } from '../kiosk-api.ts';

/** Messages between the page's window.kiosk (kiosk-bridge.ts) and the Node host, over WebSocket. */
export type BridgeRequest = { id: number; type: 'get' } | { id: number; type: 'intent'; intent: KioskIntent };

export type BridgeMessage =
  | { type: 'snapshot'; snapshot: KioskSnapshot }
  | { type: 'reply'; id: number; snapshot: KioskSnapshot }
  | { type: 'result'; id: number; result: IntentResult };

export const BRIDGE_PATH = '/kiosk';
export const BRIDGE_SCRIPT_PATH = '/kiosk-bridge.js';
/**
 * The query parameter that carries kiosk:web's per-start secret: in the page's URL (printed by
 * `npm run kiosk:web`) and, from there, in the bridge's WebSocket URL. Without it, no connection.
 */
export const BRIDGE_KEY_PARAM = 'key';
