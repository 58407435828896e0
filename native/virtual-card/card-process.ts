/**
 * One call to put a personalised virtual card on the vpcd reader: load the card file, open
 * its state, connect to vpcd. For `scripts/card.ts` and for tests that need a card behind pcscd.
 */
import { CardStateStore } from './card-state-store.ts';
import { loadPersonalisation } from './personalisation.ts';
import type { PersonalisationError } from './personalisation.ts';
import { VirtualMyNumberCard } from './virtual-my-number-card.ts';
import { VpcdConnection } from './vpcd-connection.ts';
import type { VpcdConnectionOptions } from './vpcd-connection.ts';

export interface StartVirtualCardOptions extends VpcdConnectionOptions {
  /** The card file (CardPersonalisation JSON). */
  personalisationPath: string;
  /** Directory for PIN counters; created if missing. */
  stateDir: string;
  connectTimeoutMs?: number;
}

export interface RunningVirtualCard {
  kind: 'running';
  card: VirtualMyNumberCard;
  connection: VpcdConnection;
  /** Takes the card off the reader. */
  stop(): Promise<void>;
}

export async function startVirtualCard(
  opts: StartVirtualCardOptions,
): Promise<RunningVirtualCard | PersonalisationError | { kind: 'vpcd-unreachable'; detail: string }> {
  const personalisation = await loadPersonalisation(opts.personalisationPath);
  if ('kind' in personalisation) return personalisation;
  const card = new VirtualMyNumberCard({ personalisation, stateStore: new CardStateStore(opts.stateDir) });
  const connection = new VpcdConnection(card, opts);
  const inserted = await connection.insert({ timeoutMs: opts.connectTimeoutMs ?? 5000 });
  if (inserted.kind !== 'inserted') {
    await connection.close();
    return inserted;
  }
  return { kind: 'running', card, connection, stop: () => connection.close() };
}
