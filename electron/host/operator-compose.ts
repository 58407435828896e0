/**
 * Wires operator mode and the heartbeat to the kiosk's real parts: health from the reader,
 * printer (IPP attributes when the printer is IPP), payment device, centre link, disk and
 * versions; today's counts from the journal; the self-tests; the redacted log export; the
 * out-of-service switch file. `npm run diagnose` collects the same health (diagnostics/).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CardReader } from '../../native/card-transport.ts';
import type { KioskHealth } from '../../protocol/heartbeat.ts';
import { createCentreLinkProbe } from '../diagnostics/centre-link.ts';
import { collectKioskHealth, paymentHealthOf, readerHealthOf } from '../diagnostics/collect-health.ts';
import { diskHealthOf, versionsOf } from '../diagnostics/disk-and-versions.ts';
import { createHeartbeatSender, type HeartbeatSender } from '../diagnostics/heartbeat-sender.ts';
import { HOST_LOG_RING, redactedLogExport } from '../diagnostics/log-export.ts';
import { printerHealthOf } from '../diagnostics/printer-health.ts';
import { runSelfTest } from '../diagnostics/self-tests.ts';
import { recoveryListOf } from '../diagnostics/recovery-list.ts';
import { todaysCounts } from '../diagnostics/todays-counts.ts';
import type { KioskJournal } from '../journal/journal.ts';
import type { RecoveryReport } from '../journal/recovery.ts';
import type { PaymentDevice } from '../payment/payment-port.ts';
import type { Printer } from '../printer/printer.ts';
import type { CardPort } from './card-port.ts';
import type { CentreClientTls } from './centre-client.ts';
import type { KioskHost } from './kiosk-host.ts';
import type { Logger } from './logger.ts';
import { withOperatorMode, type OperatorModeHost } from './operator-mode.ts';
import { createOperatorPinGate, OPERATOR_PIN_LOCK_MS, type OperatorPinRecord } from './operator-pin.ts';
import { fileOperatorPinLockStore } from './operator-pin-lock.ts';
import { operatorSwitchStore } from './operator-switch.ts';

export interface OperatorOptions {
  /** The operator PIN's hash (KIOSK_OPERATOR_PIN_FILE); null: operator mode cannot be entered. */
  pinRecord: OperatorPinRecord | null;
  /** Where the wrong-try count and lock are kept (beside the PIN file); unset: in memory (development PIN). */
  pinLockPath?: string;
  /** The out-of-service switch's file (default: in memory). */
  switchPath?: string;
  /** Where log exports are written (default var/log-exports under the working folder). */
  logExportDir?: string;
  /** The IPP printer's URL, for supplies and the queue. */
  printerUrl?: string;
  /** Heartbeat interval (default 60 s; 0: none). Heartbeats need mutual TLS. */
  heartbeatIntervalMs?: number;
  kioskVersion?: string;
  /** The folder whose disk is reported (default: the working folder). */
  diskPath?: string;
}

export interface OperatorParts {
  host: KioskHost;
  reader: CardReader;
  cardPort: CardPort;
  printer: Printer;
  payment: PaymentDevice;
  journal: KioskJournal;
  /** What recovery did at this start: the operator sees the list. */
  recovery?: Pick<RecoveryReport, 'outcomes'>;
  centreUrl: string;
  centreTls?: CentreClientTls;
  terminalId: string;
  logger: Logger;
  options: OperatorOptions;
}

export function composeOperatorMode(parts: OperatorParts): {
  host: OperatorModeHost;
  close(): Promise<void>;
} {
  const { options } = parts;
  const switchStore = operatorSwitchStore(options.switchPath);
  const centreLink = createCentreLinkProbe({
    baseUrl: parts.centreUrl,
    ...(parts.centreTls ? { tls: parts.centreTls } : {}),
  });
  const versions = versionsOf(options.kioskVersion ?? '0.0.0');
  const collect = (): Promise<KioskHealth> =>
    collectKioskHealth({
      now: () => new Date(),
      outOfServiceSince: () => switchStore.get()?.since ?? null,
      readers: () => [readerHealthOf(parts.reader.status())],
      printer: () => printerHealthOf(parts.printer, options.printerUrl),
      payment: () => paymentHealthOf(parts.payment),
      centre: () => centreLink.check(),
      disk: () => diskHealthOf(options.diskPath ?? process.cwd()),
      versions,
    });
  const host = withOperatorMode(parts.host, {
    pinGate: options.pinRecord
      ? createOperatorPinGate(
          options.pinRecord,
          options.pinLockPath === undefined
            ? {}
            : {
                lockStore: fileOperatorPinLockStore(options.pinLockPath, {
                  now: Date.now,
                  lockMs: OPERATOR_PIN_LOCK_MS,
                }),
              },
        )
      : null,
    switchStore,
    collectHealth: collect,
    todaysCounts: () => todaysCounts(parts.journal, new Date()),
    recoveryList: () => (parts.recovery ? recoveryListOf(parts.recovery, parts.journal) : []),
    selfTest: (test) =>
      runSelfTest(
        {
          printer: parts.printer,
          cardPort: parts.cardPort,
          payment: parts.payment,
          terminalId: parts.terminalId,
        },
        test,
      ),
    async exportLog() {
      const dir = options.logExportDir ?? join(process.cwd(), 'var', 'log-exports');
      await mkdir(dir, { recursive: true });
      const text = redactedLogExport(HOST_LOG_RING.lines());
      const file = join(
        dir,
        `kiosk-log-${parts.terminalId}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`,
      );
      await writeFile(file, text, { mode: 0o600 });
      return { file, lines: text === '' ? 0 : text.trimEnd().split('\n').length };
    },
    logger: parts.logger,
  });
  let heartbeat: HeartbeatSender | undefined;
  if (parts.centreTls && (options.heartbeatIntervalMs ?? 60_000) > 0)
    heartbeat = createHeartbeatSender({
      baseUrl: parts.centreUrl,
      tls: parts.centreTls,
      terminalId: parts.terminalId,
      collect,
      ...(options.heartbeatIntervalMs === undefined ? {} : { intervalMs: options.heartbeatIntervalMs }),
    });
  return {
    host,
    async close() {
      await heartbeat?.close();
      await centreLink.close();
    },
  };
}
