/** Talking to a running payment simulator's control port (tests, kiosk:web's developer panel, npm run issue). */
import type { CashMachineStatus, InsertOutcome } from './cash-machine.ts';

export type SimCommand = 'jam' | 'box-full' | 'clear' | 'empty-change' | 'fill-change' | 'offline' | 'online';

export class PaymentSimControlError extends Error {
  override readonly name = 'PaymentSimControlError';
}

export class PaymentSimControl {
  constructor(readonly url: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    const response = await fetch(new URL(path, this.url), { method });
    const body = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new PaymentSimControlError(body.error ?? `HTTP ${response.status}`);
    return body;
  }

  /** A resident puts a coin or note in the slot. */
  async insert(yen: number): Promise<InsertOutcome> {
    return (await this.call<{ outcome: InsertOutcome }>('POST', `insert/${yen}`)).outcome;
  }

  async command(command: SimCommand): Promise<CashMachineStatus> {
    return (await this.call<{ status: CashMachineStatus }>('POST', command)).status;
  }

  async status(): Promise<CashMachineStatus> {
    return (await this.call<{ status: CashMachineStatus }>('GET', 'status')).status;
  }
}
