/**
 * The whole kiosk stack for the demo, the headless commands and the tests: the reference centre
 * (embedded, or one given by URL), the card reader (pcscd + vpcd, or in-process where pcscd is
 * absent) with an optional holder's virtual card on it, the printer (ippeveprinter, or a spool
 * folder), the payment simulator (its own process, ccTalk over a pseudo-terminal), and the kiosk
 * host wired to all four — the same host Electron's main process runs.
 */
import type { PinResetMode } from '../../protocol/pin-reset.ts';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeKioskHost } from '../../electron/host/compose.ts';
import { developmentOperatorPin } from '../../electron/host/operator-pin-file.ts';
import type { KioskJournal } from '../../electron/journal/journal.ts';
import type { RecoveryReport } from '../../electron/journal/recovery.ts';
import type { KioskHost } from '../../electron/host/kiosk-host.ts';
import type { Logger } from '../../electron/host/logger.ts';
import type { Timeouts, TransactionEvent } from '../../electron/host/session-machine.ts';
import { openCctalkPaymentDevice } from '../../electron/payment/cctalk/index.ts';
import type { PaymentDevice } from '../../electron/payment/payment-port.ts';
import { IppPrinter, SpoolPrinter, type Printer } from '../../electron/printer/index.ts';
import type { CardReader } from '../../native/card-transport.ts';
import { PcscCardReader } from '../../native/pcsc/index.ts';
import { InProcessCardReader } from '../../native/virtual-card/in-process-reader.ts';
import { VpcdConnection } from '../../native/virtual-card/vpcd-connection.ts';
import { startCentre } from '../../server/centre.ts';
import { parseSealRootKeys } from '../../protocol/seal-root-keys.ts';
import { describeServiceError, startIppEvePrinter, startPcscd, SYSTEM_PATHS } from '../system/services.ts';
import { demoOpeningHoursClock } from './clock.ts';
import { launchPaymentSim, type RunningPaymentSim } from './payment-sim/launch.ts';
import { liveResponderPolicy, startWorldRevocation } from './revocation.ts';
import {
  DEMO_TERMINAL_ID,
  kioskTlsFor,
  centreTlsFor,
  centreOptionsFor,
  ensureDevWorld,
  openVirtualCard,
  type DevWorld,
} from './world.ts';

export { DEMO_TERMINAL_ID };

export type CardMode = 'pcsc' | 'in-process' | 'auto';
export type PrinterMode = 'ipp' | 'spool' | 'auto';

export interface StackOptions {
  worldDir: string;
  /** Where printed documents land (ippeveprinter's -d folder, or the spool folder). */
  outputDir: string;
  logger: Logger;
  holderId?: string;
  card?: CardMode;
  /** A printer mode, or a Printer to use as it is (fault tests). */
  printer?: PrinterMode | Printer;
  centreUrl?: string;
  /**
   * Demo only: the embedded centre judges opening hours (and nothing else) on the shifted clock of
   * clock.ts, so a demo or test at night still finds the service open. Default: the real time.
   * Certificate validity, OCSP/CRL freshness, sessions and issuedAt always use the real time.
   */
  demoOpeningHours?: boolean;
  timeouts?: Partial<Timeouts>;
  onTransactionEvent?: (event: TransactionEvent) => void;
  /** The kiosk journal's file (`npm run journal` reads var/kiosk-journal.sqlite); default in memory. */
  journalPath?: string;
  /** A payment device to use as it is; default: start the payment simulator and open its line. */
  payment?: PaymentDevice;
  /** The embedded centre's PIN-reset mode (its setting; the kiosk follows it). Default `password`. */
  pinResetMode?: PinResetMode;
}

export interface VirtualCardSlot {
  holderId: string;
  insert(): Promise<void>;
  remove(): Promise<void>;
}

export interface RunningStack {
  world: DevWorld;
  host: KioskHost;
  /** The host's journal (electron/journal/) and what recovery at start did. */
  journal: KioskJournal;
  recovery: RecoveryReport;
  centreUrl: string;
  printer: Printer;
  /** The IPP printer's URL when ippeveprinter runs. */
  printerUrl: string | undefined;
  outputDir: string;
  card: VirtualCardSlot | undefined;
  /** The payment simulator (absent when a device was given): its control port is the resident's hand. */
  paymentSim: RunningPaymentSim | undefined;
  /** Puts a coin or note into the simulator's slot, as a resident does. */
  insertMoney(yen: number): Promise<unknown>;
  /** One line per part: what was started and where. */
  parts: string[];
  close(): Promise<void>;
}

export class StackError extends Error {
  override readonly name = 'StackError';
}

function pcscAvailable(): boolean {
  return existsSync(SYSTEM_PATHS.pcscd.path) && existsSync(SYSTEM_PATHS.vpcdDriver.path);
}

export async function startDevStack(options: StackOptions): Promise<RunningStack> {
  const closers: Array<() => Promise<void>> = [];
  const parts: string[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const world = await ensureDevWorld(options.worldDir);

    let centreUrl = options.centreUrl;
    if (centreUrl) parts.push(`centre: ${centreUrl} (given)`);
    else {
      const openingHours = options.demoOpeningHours ? demoOpeningHoursClock() : undefined;
      // The test JPKI CA's revocation service (OCSP, CRL), on the real time as the centre checks it.
      const ocsp = await startWorldRevocation(world, () => new Date());
      closers.push(ocsp.close);
      const centre = await startCentre({
        ...centreOptionsFor(world, options.pinResetMode ? { pinResetMode: options.pinResetMode } : {}),
        tls: centreTlsFor(world),
        revocation: liveResponderPolicy(ocsp),
        logger: false,
        ...(openingHours ? { openingHoursNow: openingHours.openingHoursNow } : {}),
      });
      closers.push(centre.close);
      centreUrl = centre.url;
      parts.push(`centre: ${centre.url} (reference centre, mutual TLS, world ${world.dir})`);
      parts.push(`JPKI revocation: OCSP ${ocsp.ocspUrl}, CRL ${ocsp.crlBaseUrl}`);
      if (openingHours?.shifted) {
        parts.push(
          `demo opening hours: judged as at ${openingHours.openingHoursNow().toISOString()} (now is outside service hours); everything signed or checked uses the real time`,
        );
      }
    }

    const cardMode = options.card ?? 'auto';
    let reader: CardReader | undefined;
    let slot: VirtualCardSlot | undefined;
    const card = options.holderId ? await openVirtualCard(world, options.holderId) : undefined;
    if (card && !('transmit' in card))
      throw new StackError(`no test card for holder ${card.holderId} (${card.kind})`);
    let inProcessWhy = 'pcscd not installed';
    if (cardMode === 'pcsc' || (cardMode === 'auto' && pcscAvailable())) {
      const pcscd = await startPcscd();
      if (!pcscd.ok) {
        // Asked for PC/SC: that is an error. On auto (the demo), say why and use the in-process reader.
        if (cardMode === 'pcsc') throw new StackError(describeServiceError(pcscd.error));
        inProcessWhy = `pcscd could not be started: ${describeServiceError(pcscd.error)}`;
      } else {
        closers.push(pcscd.value.stop);
        const pcscReader = new PcscCardReader({ readerName: /Virtual PCD/ });
        closers.push(() => pcscReader.close());
        reader = pcscReader;
        parts.push(`card reader: pcscd with the vpcd virtual reader (TCP ${pcscd.value.vpcdPort})`);
        if (card) {
          const connection = new VpcdConnection(card, { port: pcscd.value.vpcdPort });
          closers.push(() => connection.close());
          slot = {
            holderId: card.holderId,
            async insert() {
              const inserted = await connection.insert({ timeoutMs: 10_000 });
              if (inserted.kind !== 'inserted')
                throw new StackError(`vpcd did not take the card: ${inserted.detail}`);
            },
            remove: () => connection.remove(),
          };
        }
      }
    }
    if (!reader) {
      const inProcess = new InProcessCardReader();
      closers.push(() => inProcess.close());
      reader = inProcess;
      parts.push(`card reader: in-process virtual reader (${inProcessWhy})`);
      if (card) {
        slot = {
          holderId: card.holderId,
          insert: async () => inProcess.insert(card),
          remove: async () => inProcess.remove(),
        };
      }
    }
    if (slot) {
      await slot.insert();
      parts.push(`card: virtual My Number Card of ${slot.holderId} on the reader`);
    }

    const printerMode = options.printer ?? 'auto';
    let printer: Printer | undefined;
    let printerUrl: string | undefined;
    let spoolWhy = 'ippeveprinter not installed';
    if (typeof printerMode === 'object') {
      printer = printerMode;
      parts.push(`printer: ${printer.describe()}`);
    } else if (
      printerMode === 'ipp' ||
      (printerMode === 'auto' && existsSync(SYSTEM_PATHS.ippeveprinter.path))
    ) {
      const started = await startIppEvePrinter({ name: `kiosk-${process.pid}`, spoolDir: options.outputDir });
      if (!started.ok) {
        if (printerMode === 'ipp') throw new StackError(describeServiceError(started.error));
        spoolWhy = `ippeveprinter could not be started: ${describeServiceError(started.error)}`;
      } else {
        closers.push(started.value.stop);
        printer = new IppPrinter({ url: started.value.url });
        printerUrl = started.value.url;
        parts.push(`printer: ippeveprinter ${started.value.url}, received documents in ${options.outputDir}`);
      }
    }
    if (!printer) {
      printer = new SpoolPrinter({ dir: options.outputDir });
      parts.push(
        printerMode === 'spool'
          ? `printer: PDF spool folder ${options.outputDir}`
          : `printer: PDF spool folder ${options.outputDir} (${spoolWhy})`,
      );
    }

    const sealRoots = parseSealRootKeys(await readFile(world.sealKeys.rootKeysPemPath, 'utf8'));
    if (!sealRoots.ok) throw new StackError(`${world.sealKeys.rootKeysPemPath}: ${sealRoots.error.detail}`);
    let payment = options.payment;
    let paymentSim: RunningPaymentSim | undefined;
    if (payment) parts.push('payment: the given device');
    else {
      paymentSim = await launchPaymentSim();
      closers.push(paymentSim.stop);
      const opened = await openCctalkPaymentDevice(paymentSim.devicePath);
      if (!opened.ok) throw new StackError(`the payment simulator's line: ${opened.detail}`);
      payment = opened.device;
      closers.push(() => opened.device.close());
      parts.push(
        `payment: simulated coin and note acceptor (ccTalk on ${paymentSim.devicePath}), developer panel ${paymentSim.control.url}`,
      );
    }
    const sim = paymentSim;

    // Operator mode with the development PIN (electron/host/operator-pin-file.ts); the switch in memory.
    const operatorPin = await developmentOperatorPin(process.env);
    if (!operatorPin.ok) throw new StackError(`operator PIN: ${operatorPin.problem}`);
    const host = await composeKioskHost({
      operator: {
        pinRecord: operatorPin.record,
        ...(operatorPin.lockPath === null ? {} : { pinLockPath: operatorPin.lockPath }),
        ...(printerUrl ? { printerUrl } : {}),
        kioskVersion: process.env['npm_package_version'] ?? '0.1.0',
        ...(process.env['KIOSK_LOG_EXPORT_DIR'] ? { logExportDir: process.env['KIOSK_LOG_EXPORT_DIR'] } : {}),
      },
      reader,
      payment,
      centreUrl,
      sealRootKeys: sealRoots.rootKeys,
      ...(centreUrl.startsWith('https:') ? { centreTls: kioskTlsFor(world) } : {}),
      printer,
      terminalId: DEMO_TERMINAL_ID,
      logger: options.logger,
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      ...(options.onTransactionEvent ? { onTransactionEvent: options.onTransactionEvent } : {}),
      ...(options.journalPath ? { journalPath: options.journalPath } : {}),
    });
    closers.push(() => host.close());

    return {
      world,
      host,
      journal: host.journal,
      recovery: host.recovery,
      centreUrl,
      printer,
      printerUrl,
      outputDir: options.outputDir,
      card: slot,
      paymentSim,
      insertMoney: async (yen) => {
        if (!sim) throw new StackError('no payment simulator in this stack');
        return sim.control.insert(yen);
      },
      parts,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export function defaultWorldDir(root: string): string {
  return process.env.KIOSK_WORLD_DIR ?? join(root, 'var', 'world');
}
