import type { DeliveryRequest, DeliveryResponse } from '../../protocol/api.ts';
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

/**
 * Billing follows delivery: the kiosk that issued the transaction reports what the resident got.
 * `delivered` bills the fee per copy × copies delivered; `voided` bills nothing. Idempotent; the
 * first report stands.
 */
export async function recordDelivery(
  deps: DeliveryDeps,
  transactionId: string,
  request: DeliveryRequest,
): Promise<CentreResult<DeliveryResponse>> {
  const session = await deps.repository.getSession(transactionId);
  // Another terminal's transaction is answered as unknown: a kiosk learns nothing about others.
  if (!session || session.terminalId !== request.terminalId)
    return fail('not-issued', 'no issuance for this transaction and terminal');
  const recorded = await deps.repository.recordDelivery(transactionId, {
    outcome: request.outcome,
    copies: request.copies,
    at: deps.now().getTime(),
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
