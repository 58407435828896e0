/**
 * The kiosk host alone (no page), driven as the renderer drives it: per transaction the card is
 * off the reader, 証明書の交付 is pressed, and the moment the place-card screen shows the bench
 * puts the card on; the PIN is typed at once, the fee paid at once through the payment simulator.
 * Measures the machine time from the card placed to the document's first byte at the printer,
 * the whole transaction, and the process's heap after the warm-up and after the last one.
 */
import type { KioskHost } from '../../../electron/host/kiosk-host.ts';
import { runTransaction } from '../../dev/drive.ts';
import type { RunningStack } from '../../dev/stack.ts';
import type { BenchPrinter } from './bench-printer.ts';
import { hostMemory } from './memory.ts';

export interface HostRunResult {
  /** Card placed → first byte at the printer, each transaction (ms). */
  cardToFirstByteMs: number[];
  /** Card placed → printed and back on the welcome screen (ms). */
  cardToWelcomeMs: number[];
  /** Where the time between the card placed and the first byte goes, each transaction (ms). */
  steps: Record<HostStep, number[]>;
  heapAfterWarmUpMb: number;
  heapAfterAllMb: number;
  rssAfterAllMb: number;
}

export const HOST_STEPS = {
  cardRead: 'card placed → PIN screen (card read)',
  authenticate: 'PIN screen → menu (PIN typed at once, authentication, menu)',
  choose: 'menu → payment screen (certificate chosen, 確認)',
  pay: 'payment screen → issuing (the note’s credit over ccTalk, acceptor stopped, change paid)',
  issue: 'paid → first byte at the printer (issue, seal check, PDF, Print-Job)',
} as const;
export type HostStep = keyof typeof HOST_STEPS;

/** The first moment (performance.now()) each screen showed, until stopped. */
function screenTimes(host: KioskHost): { at: Map<string, number>; stop: () => void } {
  const at = new Map<string, number>();
  const stop = host.onSnapshot((snapshot) => {
    if (!at.has(snapshot.view.screen)) at.set(snapshot.view.screen, performance.now());
  });
  return { at, stop };
}

/** Puts the card on the reader as soon as the host asks for it; answers when it did. */
function placeCardWhenAsked(host: KioskHost, place: () => Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    let placed = false;
    const unsubscribe = host.onSnapshot((snapshot) => {
      if (placed || snapshot.view.screen !== 'place-card') return;
      placed = true;
      unsubscribe();
      const at = performance.now();
      place().then(() => resolve(at), reject);
    });
  });
}

export async function runHostTransactions(
  stack: RunningStack,
  printer: BenchPrinter,
  options: { transactions: number; warmUp: number },
): Promise<HostRunResult> {
  const slot = stack.card;
  if (!slot) throw new Error('the kiosk bench needs a card on the stack');
  const cardToFirstByteMs: number[] = [];
  const cardToWelcomeMs: number[] = [];
  const steps: Record<HostStep, number[]> = {
    cardRead: [],
    authenticate: [],
    choose: [],
    pay: [],
    issue: [],
  };
  let heapAfterWarmUpMb = Number.NaN;
  for (let i = 0; i < options.transactions; i++) {
    await slot.remove();
    const placed = placeCardWhenAsked(stack.host, () => slot.insert());
    const screens = screenTimes(stack.host);
    let endedAt = 0;
    const outcome = await runTransaction(
      stack.host,
      { pin: '1234', certificateType: 'juminhyo', copies: 1 },
      stack.insertMoney,
    ).finally(() => {
      endedAt = performance.now();
      screens.stop();
    });
    if (outcome.kind !== 'printed') throw new Error(`transaction ${i + 1} did not print: ${outcome.kind}`);
    const placedAt = await placed;
    const firstByteAt = await printer.nextDocumentStart(placedAt);
    cardToFirstByteMs.push(firstByteAt - placedAt);
    cardToWelcomeMs.push(endedAt - placedAt);
    const seen = (screen: string) => screens.at.get(screen) ?? Number.NaN;
    const paidAt = screens.at.get('issuing') ?? seen('printing');
    steps.cardRead.push(seen('pin-entry') - placedAt);
    steps.authenticate.push(seen('menu') - seen('pin-entry'));
    steps.choose.push(seen('payment') - seen('menu'));
    steps.pay.push(paidAt - seen('payment'));
    steps.issue.push(firstByteAt - paidAt);
    if (i + 1 === options.warmUp) heapAfterWarmUpMb = hostMemory().heapMb;
  }
  const end = hostMemory();
  return {
    cardToFirstByteMs,
    cardToWelcomeMs,
    steps,
    heapAfterWarmUpMb,
    heapAfterAllMb: end.heapMb,
    rssAfterAllMb: end.rssMb,
  };
}
