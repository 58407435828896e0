/** The simulated devices' side of the ccTalk bus: every frame for one of them gets its reply. */
import { COIN_DENOMINATIONS, type CoinDenomination } from '../../../electron/payment/payment-port.ts';
import { encodeFrame, FrameDecoder, type CctalkFrame } from '../../../electron/payment/cctalk/frame.ts';
import { Address, Header, HOPPER_ADDRESSES } from '../../../electron/payment/cctalk/headers.ts';
import type { ByteChannel } from '../../../electron/payment/cctalk/link.ts';
import type { CashMachine } from './cash-machine.ts';

const HOPPER_BY_ADDRESS = new Map<number, CoinDenomination>(
  COIN_DENOMINATIONS.map((d) => [HOPPER_ADDRESSES[d], d]),
);

type Answer = { header: number; data?: Uint8Array } | undefined;

const ack = (data?: Uint8Array): Answer => ({ header: Header.REPLY, ...(data ? { data } : {}) });
const nak: Answer = { header: Header.NAK };

function answer(machine: CashMachine, frame: CctalkFrame): Answer {
  const { destination: address, header, data } = frame;
  if (header === Header.SIMPLE_POLL) return ack();
  if (address === Address.COIN_VALIDATOR || address === Address.BILL_VALIDATOR) {
    const coin = address === Address.COIN_VALIDATOR;
    switch (header) {
      case Header.READ_BUFFERED_CREDIT:
        return coin ? ack(machine.coinEvents.reply()) : nak;
      case Header.READ_BUFFERED_BILL_EVENTS:
        return coin ? nak : ack(machine.billEvents.reply());
      case Header.MODIFY_INHIBIT_STATUS:
        if (data.length !== 2) return nak;
        if (coin) machine.coinInhibits = data[0] as number;
        else machine.billInhibits = data[0] as number;
        return ack();
      case Header.ROUTE_BILL: {
        if (coin || data.length !== 1) return nak;
        const error = machine.routeBill(data[0] as number);
        return ack(error === undefined ? undefined : Uint8Array.of(error));
      }
      case Header.MODIFY_MASTER_INHIBIT:
        if (data.length !== 1) return nak;
        if (coin) machine.coinMaster = ((data[0] as number) & 1) === 1;
        else machine.billMaster = ((data[0] as number) & 1) === 1;
        return ack();
      default:
        return nak;
    }
  }
  const denomination = HOPPER_BY_ADDRESS.get(address);
  if (denomination === undefined) return undefined;
  const hopper = machine.hoppers.get(denomination);
  if (!hopper) return undefined;
  switch (header) {
    case Header.HOPPER_COIN_LEVEL: {
      const level = machine.tubes[denomination];
      return ack(Uint8Array.of(level & 0xff, (level >> 8) & 0xff));
    }
    case Header.ENABLE_HOPPER:
      hopper.enabled = data[0] === 165;
      return ack();
    case Header.DISPENSE_HOPPER_COINS:
      if (!hopper.enabled || data.length !== 1) return nak;
      machine.dispense(denomination, data[0] as number);
      return ack(Uint8Array.of(hopper.counter));
    case Header.REQUEST_HOPPER_STATUS:
      return ack(Uint8Array.of(hopper.counter, hopper.remaining, hopper.paid, hopper.unpaid));
    default:
      return nak;
  }
}

/** Answers ccTalk on `channel` for the machine's devices; silent while the machine is offline. */
export function serveCctalk(machine: CashMachine, channel: ByteChannel): () => void {
  const decoder = new FrameDecoder();
  return channel.onData((bytes) => {
    for (const result of decoder.push(bytes)) {
      if (!result.ok || result.frame.source !== Address.HOST || !machine.online) continue;
      const reply = answer(machine, result.frame);
      if (!reply) continue;
      channel.write(
        encodeFrame({
          destination: Address.HOST,
          source: result.frame.destination,
          header: reply.header,
          data: reply.data ?? new Uint8Array(0),
        }),
      );
    }
  });
}
