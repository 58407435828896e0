import { beforeAll, describe, expect, it } from 'vitest';
import type { ReaderStatus } from '../card-transport.ts';
import { testCard } from '../test-pki/fixtures.ts';
import { InProcessCardReader } from './in-process-reader.ts';
import { CONTACT_CARD_LATENCY, fixedLatency } from './latency.ts';
import type { CardPersonalisation } from './personalisation.ts';
import { VirtualMyNumberCard } from './virtual-my-number-card.ts';

let perso: CardPersonalisation;
beforeAll(async () => {
  perso = await testCard({ holderId: 'reader-unit' });
});

describe('InProcessCardReader', () => {
  it('waits for a card, reports presence, and powers the card off on close', async () => {
    const reader = new InProcessCardReader();
    const seen: ReaderStatus[] = [];
    reader.onStatus((s) => seen.push(s));
    const card = new VirtualMyNumberCard({ personalisation: perso });
    const pending = reader.connect({ timeoutMs: 2000 });
    setTimeout(() => reader.insert(card), 20);
    const session = await pending;
    expect('transport' in session).toBe(true);
    if (!('transport' in session)) return;
    expect(card.powered).toBe(true);
    expect(await reader.connect()).toEqual({
      kind: 'communication',
      detail: 'reader in use (exclusive session open)',
    });
    await session.close();
    expect(card.powered).toBe(false);
    reader.remove();
    expect(seen).toEqual([
      { kind: 'ready', reader: reader.name, cardPresent: true },
      { kind: 'ready', reader: reader.name, cardPresent: false },
    ]);
  });

  it('times out and aborts with typed errors', async () => {
    const reader = new InProcessCardReader();
    expect(await reader.connect({ timeoutMs: 20 })).toEqual({ kind: 'timeout', operation: 'connect' });
    const ac = new AbortController();
    const pending = reader.connect({ signal: ac.signal });
    ac.abort();
    expect(await pending).toEqual({ kind: 'aborted' });
  });

  it('fails the transport with card-removed after removal', async () => {
    const reader = new InProcessCardReader();
    reader.insert(new VirtualMyNumberCard({ personalisation: perso }));
    const session = await reader.connect();
    if (!('transport' in session)) throw new Error(session.kind);
    reader.remove();
    await expect(session.transport.transmit(Uint8Array.from([0, 0xa4, 4, 0x0c]))).rejects.toMatchObject({
      cardError: { kind: 'card-removed' },
    });
  });

  it('adds the card latency model to each command, and a card pulled meanwhile is card-removed', async () => {
    const reader = new InProcessCardReader({ cardLatency: fixedLatency(30) });
    reader.insert(new VirtualMyNumberCard({ personalisation: perso }));
    const session = await reader.connect({ timeoutMs: 1000 });
    if (!('transport' in session)) throw new Error(session.kind);
    const select = Uint8Array.from(Buffer.from('00A4040C0AD392F000260100000001', 'hex'));
    const t0 = performance.now();
    await session.transport.transmit(select);
    await session.transport.transmit(select);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    const pending = session.transport.transmit(select);
    setTimeout(() => reader.remove(), 5);
    await expect(pending).rejects.toMatchObject({ cardError: { kind: 'card-removed' } });
  });

  it('models a contact card: signing costs far more than selecting', () => {
    const sign = CONTACT_CARD_LATENCY({ cla: 0x80, ins: 0x2a, responseBytes: 258 });
    const select = CONTACT_CARD_LATENCY({ cla: 0x00, ins: 0xa4, responseBytes: 2 });
    expect(sign).toBeGreaterThan(10 * select);
  });
});
