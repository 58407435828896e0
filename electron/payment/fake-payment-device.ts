/**
 * A payment device in memory for the host's unit tests: what a resident inserts is credit, payouts
 * come out of tubes with counts, faults are switched on by the test. The real one is ccTalk
 * (cctalk/), tested against the simulator.
 */
import { exactChange, mostOf, planYen, type CoinLevels } from './change-plan.ts';
import type {
  Denomination,
  PaymentDevice,
  PaymentEvent,
  PaymentFault,
  PaymentResult,
  PaymentStatus,
  Payout,
} from './payment-port.ts';

export class FakePaymentDevice implements PaymentDevice {
  readonly listeners = new Set<(event: PaymentEvent) => void>();
  tubes: CoinLevels = { 10: 50, 50: 50, 100: 50, 500: 50 };
  accepting: number | null = null;
  offline = false;
  /** Everything paid out, in order. */
  readonly payouts: Payout[] = [];

  onEvent(listener: (event: PaymentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: PaymentEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  async startAccepting(dueYen: number): Promise<PaymentResult<void>> {
    if (this.offline) return { ok: false, failure: { kind: 'offline' } };
    this.accepting = dueYen;
    this.emit({ kind: 'accepting', denominations: [10, 50, 100, 500, 1000] });
    return { ok: true, value: undefined };
  }

  async stopAccepting(): Promise<PaymentResult<void>> {
    this.accepting = null;
    return this.offline ? { ok: false, failure: { kind: 'offline' } } : { ok: true, value: undefined };
  }

  /** A resident inserts money: credit while accepting, else handed back. */
  insert(yen: Denomination): void {
    if (this.accepting === null || this.offline) {
      this.emit({ kind: 'rejected', reason: 'not-accepting' });
      return;
    }
    this.emit({ kind: 'credit', yen, medium: yen >= 1000 ? 'note' : 'coin' });
  }

  fault(fault: PaymentFault): void {
    if (fault === 'offline') this.offline = true;
    this.emit({ kind: 'fault', fault });
  }

  async payOut(yen: number): Promise<PaymentResult<Payout>> {
    if (this.offline) return { ok: false, failure: { kind: 'offline', paidYen: 0 } };
    const plan = exactChange(yen, this.tubes) ?? mostOf(yen, this.tubes);
    for (const [d, n] of Object.entries(plan)) this.tubes[Number(d) as keyof CoinLevels] -= n;
    const payout: Payout = { paidYen: planYen(plan), coins: plan };
    this.payouts.push(payout);
    if (payout.paidYen < yen)
      return {
        ok: false,
        failure: { kind: 'change-empty', paidYen: payout.paidYen, owedYen: yen - payout.paidYen },
      };
    return { ok: true, value: payout };
  }

  async status(): Promise<PaymentResult<PaymentStatus>> {
    return {
      ok: true,
      value: { online: !this.offline, faults: [], changeLevels: { ...this.tubes }, coinBoxFull: false },
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
