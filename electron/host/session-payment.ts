/**
 * The session's dealings with the payment device: accept money towards the fee, settle (stop the
 * acceptor, pay the change), and refund what the machine kept when the session fails. Each
 * result says what actually left the machine and what is owed (a refund slip).
 */
import type { KioskErrorCode } from '../kiosk-api.ts';
import type { PaymentDevice, PaymentEvent, PaymentFailure, PaymentFault } from '../payment/payment-port.ts';

export type PaymentFaultEvent = { type: 'PAYMENT_FAULT'; code: KioskErrorCode };
type CreditEvent = { type: 'CREDIT'; yen: number } | { type: 'ACCEPTING'; denominations: number[] };

export function kioskErrorForPayment(
  fault: PaymentFault | PaymentFailure['kind'] | 'events-lost',
): KioskErrorCode {
  return fault === 'jam' ? 'payment-jammed' : 'payment-unavailable';
}

/**
 * While the payment screen is up: the acceptor takes money towards `dueYen`; each credit, and
 * any fault that stops the acceptor, goes to the session. Stopping the actor inhibits the acceptor.
 */
export function acceptMoney({
  input,
  sendBack,
}: {
  input: { device: PaymentDevice; dueYen: number };
  sendBack: (event: CreditEvent | PaymentFaultEvent) => void;
}): () => void {
  const off = input.device.onEvent((event: PaymentEvent) => {
    if (event.kind === 'credit') sendBack({ type: 'CREDIT', yen: event.yen });
    else if (event.kind === 'accepting') sendBack({ type: 'ACCEPTING', denominations: event.denominations });
    else if (event.kind === 'fault' && event.fault !== 'change-empty')
      sendBack({ type: 'PAYMENT_FAULT', code: kioskErrorForPayment(event.fault) });
    // Credit may have gone unreported: the session cannot know what the resident put in.
    else if (event.kind === 'events-lost')
      sendBack({ type: 'PAYMENT_FAULT', code: kioskErrorForPayment('events-lost') });
  });
  void input.device.startAccepting(input.dueYen).then((started) => {
    if (!started.ok) sendBack({ type: 'PAYMENT_FAULT', code: kioskErrorForPayment(started.failure.kind) });
  });
  return () => {
    off();
    void input.device.stopAccepting();
  };
}

/** Inhibits the acceptor and sums the credit that still arrives while it stops. */
async function stopAndCollect(device: PaymentDevice): Promise<number> {
  let lateYen = 0;
  const off = device.onEvent((event) => {
    if (event.kind === 'credit') lateYen += event.yen;
  });
  try {
    await device.stopAccepting();
  } finally {
    off();
  }
  return lateYen;
}

/** Pays `yen` out; says what left the machine and what could not. */
async function payOut(device: PaymentDevice, yen: number): Promise<{ paidYen: number; owedYen: number }> {
  if (yen <= 0) return { paidYen: 0, owedYen: 0 };
  const result = await device.payOut(yen);
  if (result.ok) return { paidYen: result.value.paidYen, owedYen: Math.max(0, yen - result.value.paidYen) };
  const f = result.failure;
  const paidYen = f.kind === 'change-empty' || f.kind === 'offline' ? (f.paidYen ?? 0) : 0;
  return { paidYen, owedYen: yen - paidYen };
}

export interface Settlement {
  /** Credit that arrived while the acceptor stopped. */
  lateYen: number;
  changeYen: number;
  owedYen: number;
}

/** The fee is covered: stop accepting and pay the change. */
export async function settlePayment(input: {
  device: PaymentDevice;
  paidYen: number;
  dueYen: number;
}): Promise<Settlement> {
  const lateYen = await stopAndCollect(input.device);
  const { paidYen, owedYen } = await payOut(input.device, input.paidYen + lateYen - input.dueYen);
  return { lateYen, changeYen: paidYen, owedYen };
}

/** The session failed: stop accepting and give back what the machine kept (including late credit). */
export async function refundMoney(input: {
  device: PaymentDevice;
  keptYen: number;
}): Promise<{ refundedYen: number; owedYen: number }> {
  const lateYen = await stopAndCollect(input.device);
  const { paidYen, owedYen } = await payOut(input.device, input.keptYen + lateYen);
  return { refundedYen: paidYen, owedYen };
}
