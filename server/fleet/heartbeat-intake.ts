/**
 * Takes one heartbeat from a kiosk, after the mutual-TLS handshake named the terminal: the body
 * must be for that terminal, signed by the key of the certificate the connection proved, sent
 * within `maxClockSkewMs` of the centre's clock, and newer than the one kept (a replayed or
 * reordered heartbeat is refused, never kept over a newer one).
 */
import { X509Certificate } from 'node:crypto';
import {
  HeartbeatRequestSchema,
  verifyHeartbeatSignature,
  type HeartbeatResponse,
} from '../../protocol/heartbeat.ts';
import type { FleetStore } from './fleet-store.ts';

export type HeartbeatRefusal =
  'bad-request' | 'terminal-mismatch' | 'signature-invalid' | 'stale' | 'replayed';

export type HeartbeatIntake =
  { ok: true; value: HeartbeatResponse } | { ok: false; refusal: HeartbeatRefusal };

export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface PeerTerminal {
  terminalId: string;
  storeCode: string;
  /** DER of the client certificate the handshake verified. */
  certificateDer: Uint8Array;
}

export async function takeHeartbeat(
  body: unknown,
  peer: PeerTerminal,
  store: FleetStore,
  now: number,
  maxClockSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS,
): Promise<HeartbeatIntake> {
  const parsed = HeartbeatRequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, refusal: 'bad-request' };
  const heartbeat = parsed.data;
  if (heartbeat.terminalId !== peer.terminalId) return { ok: false, refusal: 'terminal-mismatch' };
  if (!verifyHeartbeatSignature(heartbeat, peer.certificateDer).ok)
    return { ok: false, refusal: 'signature-invalid' };
  const sentAt = Date.parse(heartbeat.sentAt);
  if (Math.abs(now - sentAt) > maxClockSkewMs) return { ok: false, refusal: 'stale' };
  const certificateNotAfter = Date.parse(new X509Certificate(Buffer.from(peer.certificateDer)).validTo);
  const kept = await store.record({
    terminalId: peer.terminalId,
    storeCode: peer.storeCode,
    sentAt,
    receivedAt: now,
    certificateNotAfter,
    health: heartbeat.health,
    signature: heartbeat.signature,
  });
  if (!kept) return { ok: false, refusal: 'replayed' };
  return { ok: true, value: { accepted: true, receivedAt: new Date(now).toISOString() } };
}
