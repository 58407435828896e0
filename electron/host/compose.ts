import { randomUUID } from 'node:crypto';
import { renderCertificatePdf } from '../../certificate-templates/render.ts';
import type { CardReader } from '../../native/card-transport.ts';
import { flushDeliveries } from '../journal/delivery-outbox.ts';
import { journalTransactionEvent } from '../journal/journal-events.ts';
import { openKioskJournal, type KioskJournal } from '../journal/journal.ts';
import { recoverJournal, type RecoveryReport } from '../journal/recovery.ts';
import type { PaymentDevice } from '../payment/payment-port.ts';
import { printingBothSides, type Printer } from '../printer/printer.ts';
import { createCentreClient, type CentreClientTls } from './centre-client.ts';
import { createMunicipalityKeyRing, type DocumentRenderer } from './issue-document.ts';
import { createJpkiCardPort } from './jpki-card-port.ts';
import { createPinResetCentre } from './pin-reset-client.ts';
import { createKioskHost, type KioskHost } from './kiosk-host.ts';
import type { Logger } from './logger.ts';
import { composeOperatorMode, type OperatorOptions } from './operator-compose.ts';
import { receiptNumberOf } from './receipt-number.ts';
import type { Timeouts, TransactionEvent } from './session-machine.ts';

/** How often delivery reports still owed to the centre are sent again. */
const DELIVERY_RETRY_MS = 30_000;

export interface KioskHostParts {
  reader: CardReader;
  centreUrl: string;
  /** Mutual TLS to the centre: this terminal's certificate and key, and the CA that vouches for the centre. */
  centreTls?: CentreClientTls;
  printer: Printer;
  payment: PaymentDevice;
  /** The root keys (kid → SPKI DER) a seal key list must verify against (KIOSK_SEAL_ROOT_KEYS). */
  sealRootKeys: ReadonlyMap<string, Uint8Array>;
  terminalId: string;
  logger: Logger;
  /** The kiosk journal's SQLite file (electron/journal/); default in memory (tests). */
  journalPath?: string;
  timeouts?: Partial<Timeouts>;
  /** The idle reset's limit (kiosk-host.ts, DEFAULT_SESSION_IDLE_MS). */
  sessionIdleMs?: number;
  onTransactionEvent?: (event: TransactionEvent) => void;
  /** What recovery at start did with the transactions a stopped host left unfinished. */
  onRecovery?: (report: RecoveryReport) => void;
  /** Operator mode and the heartbeat (electron/host/operator-compose.ts); absent: no operator PIN, no heartbeat. */
  operator?: OperatorOptions;
}

export interface ComposedKioskHost extends KioskHost {
  journal: KioskJournal;
  recovery: RecoveryReport;
}

/**
 * Wires the session to its real parts: the card reader, the centre, the renderer of documents,
 * the printer and the journal. Before the first resident, every transaction a stopped host left
 * unfinished is resolved (electron/journal/recovery.ts); delivery reports owed to the centre are
 * sent after every session and retried on a timer.
 */
export async function composeKioskHost(parts: KioskHostParts): Promise<ComposedKioskHost> {
  const centre = createCentreClient({
    baseUrl: parts.centreUrl,
    ...(parts.centreTls ? { tls: parts.centreTls } : {}),
  });
  const keyRing = createMunicipalityKeyRing(centre, parts.sealRootKeys);
  // The PIN reset (issue 11) goes to the same centre over the same terminal certificate.
  const pinResetCentre = createPinResetCentre({
    baseUrl: parts.centreUrl,
    ...(parts.centreTls ? { tls: parts.centreTls } : {}),
  });
  // Back sides only where the printer duplexes; decided once at start, so a document and its
  // reprint by recovery go out with their back sides on two-sided jobs (a printer swapped in
  // counts from the next start).
  const duplex = (await parts.printer.duplex?.()) === true;
  const printer = duplex ? printingBothSides(parts.printer) : parts.printer;
  parts.logger.info({ printer: printer.describe(), duplex }, 'printer sides');
  const render: DocumentRenderer = (input) => renderCertificatePdf({ ...input, options: { duplex } });
  const journal = openKioskJournal(parts.journalPath ?? ':memory:');
  const recovery = await recoverJournal({
    journal,
    centre,
    keyRing,
    render,
    printer,
    terminalId: parts.terminalId,
  });
  if (recovery.outcomes.length > 0 || recovery.deliveries.pending > 0)
    parts.logger.info(
      {
        recovered: recovery.outcomes.map((o) => ({
          transactionId: o.transactionId,
          from: o.from,
          outcome: o.outcome,
          ...(o.outcome === 'refund-due' ? { reason: o.reason } : {}),
        })),
        deliveries: recovery.deliveries,
      },
      'journal recovered',
    );
  parts.onRecovery?.(recovery);

  let flushing: Promise<unknown> = Promise.resolve();
  let closed = false;
  const flush = () => {
    if (closed) return;
    flushing = flushing
      .then(() => (closed ? undefined : flushDeliveries(journal, centre)))
      .catch((error: unknown) => parts.logger.warn({ err: String(error) }, 'delivery reports not sent'));
  };
  const timer = setInterval(flush, DELIVERY_RETRY_MS);
  timer.unref();

  const cardPort = createJpkiCardPort(parts.reader);
  const sessionHost = createKioskHost(
    {
      cardPort,
      centre,
      keyRing,
      render,
      printer,
      payment: parts.payment,
      terminalId: parts.terminalId,
      newTransactionId: randomUUID,
      // The reset's mode is the centre's setting (asked for at each reset), not the kiosk's.
      pinReset: { centre: pinResetCentre },
      onTransactionEvent: (event) => {
        // Written first: the journal holds the step before the host takes it.
        const refused = journalTransactionEvent(journal, parts.terminalId, event);
        if (refused)
          parts.logger.warn({ transactionId: event.transactionId, refused }, 'journal refused a step');
        // The 受付番号 on screen is derived from the id: log both once, so support can find one from the other.
        const receipt =
          event.kind === 'started' ? { receiptNumber: receiptNumberOf(event.transactionId) } : {};
        parts.logger.info({ transaction: loggable(event), ...receipt }, `transaction ${event.kind}`);
        parts.onTransactionEvent?.(event);
        if (event.kind === 'ended') flush();
      },
    },
    {
      logger: parts.logger,
      ...(parts.timeouts ? { timeouts: parts.timeouts } : {}),
      ...(parts.sessionIdleMs === undefined ? {} : { sessionIdleMs: parts.sessionIdleMs }),
    },
  );
  const operator = composeOperatorMode({
    host: sessionHost,
    reader: parts.reader,
    cardPort,
    printer: parts.printer,
    payment: parts.payment,
    journal,
    recovery,
    centreUrl: parts.centreUrl,
    ...(parts.centreTls ? { centreTls: parts.centreTls } : {}),
    terminalId: parts.terminalId,
    logger: parts.logger,
    options: parts.operator ?? { pinRecord: null, heartbeatIntervalMs: 0 },
  });
  const host = operator.host;
  return {
    ...host,
    journal,
    recovery,
    async close() {
      closed = true;
      clearInterval(timer);
      await operator.close();
      await host.close();
      await flushing;
      journal.close();
      await centre.close();
      await pinResetCentre.close();
    },
  };
}

/** The event as logged: ids, codes and amounts; the card binding and the chosen options stay in the journal. */
function loggable(event: TransactionEvent): Record<string, unknown> {
  if (event.kind !== 'paid') return event;
  const { holderBinding: _binding, options: _options, ...rest } = event;
  return rest;
}
