/**
 * The fleet as the centre knows it: the last health of every terminal and the alerts it raises.
 * A console (or any operator tool in the centre) reads it through this module.
 */
import { fleetAlerts, type FleetAlert } from './fleet-alerts.ts';
import type { FleetStore, TerminalHealthRecord } from './fleet-store.ts';

export interface Fleet {
  store: FleetStore;
  /** The last heartbeat of every terminal, by store and terminal. */
  latestTerminalHealth(): Promise<TerminalHealthRecord[]>;
  /** The alerts in force now. */
  alerts(): Promise<FleetAlert[]>;
}

export function createFleet(
  store: FleetStore,
  options: { now?: () => number; silentAfterMs?: number } = {},
): Fleet {
  const now = options.now ?? Date.now;
  return {
    store,
    latestTerminalHealth: () => store.latest(),
    async alerts() {
      return fleetAlerts(await store.latest(), now(), {
        ...(options.silentAfterMs === undefined ? {} : { silentAfterMs: options.silentAfterMs }),
      });
    },
  };
}

export { FLEET_ALERTS, fleetAlerts, type FleetAlert, type FleetAlertCode } from './fleet-alerts.ts';
export { postgresFleetStore, sqliteFleetStore } from './fleet-store.ts';
export type { FleetStore, TerminalHealthRecord } from './fleet-store.ts';
export { takeHeartbeat, type HeartbeatIntake, type HeartbeatRefusal } from './heartbeat-intake.ts';
