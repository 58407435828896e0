import { randomUUID } from 'node:crypto';
import { renderCertificatePdf } from '../../certificate-templates/render.ts';
import type { CardReader } from '../../native/card-transport.ts';
import type { PaymentDevice } from '../payment/payment-port.ts';
import type { Printer } from '../printer/printer.ts';
import { createCentreClient, type CentreClientTls } from './centre-client.ts';
import { createMunicipalityKeyRing } from './issue-document.ts';
import { createJpkiCardPort } from './jpki-card-port.ts';
import { createKioskHost, type KioskHost } from './kiosk-host.ts';
import type { Logger } from './logger.ts';
import { receiptNumberOf } from './receipt-number.ts';
import type { Timeouts, TransactionEvent } from './session-machine.ts';

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
  timeouts?: Partial<Timeouts>;
  onTransactionEvent?: (event: TransactionEvent) => void;
}

/** Wires the session to its real parts: the card reader, the centre, the renderer of documents, the printer. */
export function composeKioskHost(parts: KioskHostParts): KioskHost {
  const centre = createCentreClient({
    baseUrl: parts.centreUrl,
    ...(parts.centreTls ? { tls: parts.centreTls } : {}),
  });
  return createKioskHost(
    {
      cardPort: createJpkiCardPort(parts.reader),
      centre,
      keyRing: createMunicipalityKeyRing(centre, parts.sealRootKeys),
      render: (input) => renderCertificatePdf(input),
      printer: parts.printer,
      payment: parts.payment,
      terminalId: parts.terminalId,
      newTransactionId: randomUUID,
      onTransactionEvent: (event) => {
        // The 受付番号 on screen is derived from the id: log both once, so support can find one from the other.
        const receipt =
          event.kind === 'started' ? { receiptNumber: receiptNumberOf(event.transactionId) } : {};
        parts.logger.info({ transaction: event, ...receipt }, `transaction ${event.kind}`);
        parts.onTransactionEvent?.(event);
      },
    },
    { logger: parts.logger, ...(parts.timeouts ? { timeouts: parts.timeouts } : {}) },
  );
}
