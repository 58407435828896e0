/**
 * The card port's view of the reader for the card reminder: whether a card lies on it now (held
 * by a session or not), and the removal event.
 */
import { describe, expect, it } from 'vitest';
import { InProcessCardReader } from '../../native/virtual-card/in-process-reader.ts';
import type { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import { createJpkiCardPort } from './jpki-card-port.ts';

/** Only lies on the reader: this test sends it no command. */
const idleCard = { powerOn() {}, powerOff() {} } as unknown as VirtualMyNumberCard;

describe('JPKI card port: the card on the reader', () => {
  it('says whether a card is on the reader and reports its removal', async () => {
    const reader = new InProcessCardReader();
    const port = createJpkiCardPort(reader);
    let removals = 0;
    const off = port.onCardRemoved(() => (removals += 1));
    expect(port.cardPresent()).toBe(false);
    reader.insert(idleCard);
    expect(port.cardPresent()).toBe(true);
    reader.remove();
    expect(port.cardPresent()).toBe(false);
    expect(removals).toBe(1);
    off();
    await reader.close();
  });
});
