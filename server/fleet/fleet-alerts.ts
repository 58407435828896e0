/**
 * The fleet's alerts from the last heartbeat of each terminal: out of paper, reader missing,
 * centre unreachable (no heartbeat for `silentAfterMs`: the kiosk cannot reach the centre, or is
 * off), terminal certificate expiring within 30 days (or expired). Pure.
 */
import type { TerminalHealthRecord } from './fleet-store.ts';

export const FLEET_ALERTS = [
  'out-of-paper',
  'reader-missing',
  'centre-unreachable',
  'certificate-expiring',
] as const;
export type FleetAlertCode = (typeof FLEET_ALERTS)[number];

export interface FleetAlert {
  terminalId: string;
  storeCode: string;
  code: FleetAlertCode;
  /** Since when the condition is known (epoch ms): the heartbeat that showed it, or the last one heard. */
  since: number;
}

export const DEFAULT_SILENT_AFTER_MS = 5 * 60_000;
export const CERTIFICATE_WARNING_MS = 30 * 24 * 60 * 60_000;

export function fleetAlerts(
  records: readonly TerminalHealthRecord[],
  now: number,
  options: { silentAfterMs?: number } = {},
): FleetAlert[] {
  const silentAfterMs = options.silentAfterMs ?? DEFAULT_SILENT_AFTER_MS;
  const alerts: FleetAlert[] = [];
  for (const r of records) {
    const alert = (code: FleetAlertCode, since = r.receivedAt) =>
      alerts.push({ terminalId: r.terminalId, storeCode: r.storeCode, code, since });
    const codes = new Set(r.health.problems.map((p) => p.code));
    if (codes.has('printer-out-of-paper')) alert('out-of-paper');
    if (codes.has('reader-missing') || codes.has('reader-service-down')) alert('reader-missing');
    if (now - r.receivedAt > silentAfterMs) alert('centre-unreachable');
    if (r.certificateNotAfter - now <= CERTIFICATE_WARNING_MS) alert('certificate-expiring');
  }
  return alerts;
}
