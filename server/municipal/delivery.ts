import type { DeliveryRequest, DeliveryResponse } from '../../protocol/api.ts';
import { verifyDeliverySignature } from '../../protocol/delivery-signature.ts';
import type { CentreRepository } from '../db/repository.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';

export interface DeliveryDeps {
  repository: CentreRepository;
  now: () => Date;
  /**
   * Called once a delivery report is recorded (first time and repeats alike): e.g. document
   * retention drops the stored document once the resident has it or it was voided.
   */
  onDeliveryRecorded?: (transactionId: string, outcome: DeliveryRequest['outcome']) => Promise<void>;
}

/** The connection a report came over: the terminal certificate (DER) its handshake proved. */
export interface DeliveryConnection {
  terminalCertificateDer: Uint8Array;
}

/**
 * Billing follows delivery: the kiosk that issued the transaction reports what the resident got.
 * `delivered` bills the fee per copy × copies delivered; `voided` bills nothing. Idempotent; the
 * first report stands, with its signature. Over mutual TLS (`connection`) the report must be
 * signed by the key of the connection's certificate, else `signature-invalid` and nothing is
 * billed; without a connection (plain HTTP on loopback) nothing can be checked and none is kept.
 */
export async function recordDelivery(
  deps: DeliveryDeps,
  transactionId: string,
  request: DeliveryRequest,
  connection?: DeliveryConnection,
): Promise<CentreResult<DeliveryResponse>> {
  let proof: { signature: string; reportedAt: number } | undefined;
  if (connection) {
    const check = verifyDeliverySignature(transactionId, request, connection.terminalCertificateDer);
    if (!check.ok) return fail('signature-invalid', `delivery report: ${check.problem}`);
    proof = { signature: check.signature, reportedAt: Date.parse(check.reportedAt) };
  }
  const session = await deps.repository.getSession(transactionId);
  // Another terminal's transaction is answered as unknown: a kiosk learns nothing about others.
  if (!session || session.terminalId !== request.terminalId)
    return fail('not-issued', 'no issuance for this transaction and terminal');
  const recorded = await deps.repository.recordDelivery(transactionId, {
    outcome: request.outcome,
    copies: request.copies,
    at: deps.now().getTime(),
    ...(proof ? { proof } : {}),
  });
  switch (recorded.kind) {
    case 'not-issued':
      return fail('not-issued', 'nothing issued for this transaction');
    case 'bad-copies':
      return fail('bad-request', 'copies do not fit the issuance');
    case 'conflict':
      return fail('delivery-conflict', `already ${recorded.entry.state}`);
    case 'recorded': {
      const { settlement } = recorded.entry;
      if (!settlement) return fail('internal', 'recorded delivery without settlement');
      await deps.onDeliveryRecorded?.(transactionId, request.outcome);
      return succeed({
        transactionId,
        billing: settlement.outcome === 'delivered' ? 'billed' : 'voided',
        copies: settlement.copies,
        feeYenTotal: settlement.billedYen,
      });
    }
  }
}
