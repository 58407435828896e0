import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReaderStatus } from '../card-transport.ts';
import { JpkiClient, pinFromDigits } from '../jpki/jpki-client.ts';
import { sha256DigestInfo } from '../jpki/jpki-files.ts';
import { testCard } from '../test-pki/fixtures.ts';
import type { CardPersonalisation } from '../virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../virtual-card/virtual-my-number-card.ts';
import { PcscCardReader } from './pcsc-card-reader.ts';
import type { PcscReaderOptions } from './pcsc-card-reader.ts';
import { SimulatedPcsc } from './simulated-pcsc.fixture.ts';

let perso: CardPersonalisation;
let reader: PcscCardReader | null = null;
const digestInfo = (): Uint8Array => sha256DigestInfo(createHash('sha256').update('hotplug').digest());

function open(sim: SimulatedPcsc | (() => SimulatedPcsc), opts: PcscReaderOptions = {}): PcscCardReader {
  const factory = typeof sim === 'function' ? sim : () => sim;
  reader = new PcscCardReader({ ...opts, pcsc: factory });
  return reader;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

beforeAll(async () => {
  perso = await testCard({ holderId: 'hotplug-unit' });
});

afterEach(async () => {
  await reader?.close();
  reader = null;
});

describe('PcscCardReader: hot-plug and several readers', () => {
  it('follows a reader plugged in, a card put on it, the reader pulled mid-session, another plugged in', async () => {
    const sim = new SimulatedPcsc();
    const r = open(sim);
    const seen: ReaderStatus[] = [];
    r.onStatus((s) => seen.push(s));
    await settle();
    expect(r.status()).toEqual({ kind: 'no-reader' });
    const a = sim.plug('Reader A');
    expect(r.status()).toEqual({ kind: 'ready', reader: 'Reader A', cardPresent: false });
    a.insert(new VirtualMyNumberCard({ personalisation: perso }));
    const session = await r.connect({ timeoutMs: 1000 });
    if (!('transport' in session)) throw new Error(session.kind);
    const client = new JpkiClient(session.transport);
    expect(await client.checkCard()).toEqual({ kind: 'ok' });
    sim.unplug('Reader A');
    expect(r.status()).toEqual({ kind: 'no-reader' });
    expect(await client.readAuthCertificate()).toEqual({ kind: 'card-removed' });
    await session.close();
    sim.plug('Reader B');
    expect(r.status()).toEqual({ kind: 'ready', reader: 'Reader B', cardPresent: false });
    expect(seen.map((s) => s.kind)).toEqual(['ready', 'ready', 'no-reader', 'ready']);
  });

  it('with several readers follows the one the card is on; a named reader stays named', async () => {
    const sim = new SimulatedPcsc();
    const r = open(sim);
    await settle();
    sim.plug('Contact');
    const nfc = sim.plug('Contactless');
    expect(r.status()).toEqual({ kind: 'ready', reader: 'Contact', cardPresent: false });
    nfc.insert(new VirtualMyNumberCard({ personalisation: perso }));
    expect(r.status()).toEqual({ kind: 'ready', reader: 'Contactless', cardPresent: true });
    expect(r.readers()).toEqual([
      { name: 'Contact', cardPresent: false, cardMute: false },
      { name: 'Contactless', cardPresent: true, cardMute: false },
    ]);
    const session = await r.connect({ timeoutMs: 1000 });
    if (!('transport' in session)) throw new Error(session.kind);
    const result = await new JpkiClient(session.transport).authenticate({
      pin: pinFromDigits([1, 2, 3, 4]),
      digestInfo: digestInfo(),
    });
    expect(result.kind).toBe('authenticated');
    await session.close();
    expect(nfc.dispositions).toEqual([nfc.SCARD_UNPOWER_CARD]);
    await r.close();

    const named = open(sim, { readerName: 'Contact' });
    await settle();
    sim.emit('reader', sim.readers.get('Contact'));
    sim.emit('reader', nfc);
    expect(named.status()).toMatchObject({ kind: 'ready', reader: 'Contact', cardPresent: false });
  });

  it('reports a mute card as unsupported, and connect says so at once', async () => {
    const sim = new SimulatedPcsc();
    const r = open(sim);
    await settle();
    sim.plug('Reader').insertMuteCard();
    expect(r.status()).toEqual({ kind: 'ready', reader: 'Reader', cardPresent: true, unsupportedCard: true });
    expect(await r.connect({ timeoutMs: 1000 })).toEqual({ kind: 'unsupported-card', reason: 'not-jpki' });
  });
});

describe('PcscCardReader: time-outs and protocols', () => {
  it('times out a connect the reader never answers', async () => {
    const sim = new SimulatedPcsc();
    const r = open(sim, { connectTimeoutMs: 100 });
    await settle();
    sim.plug('Stalled', { stall: 'connect' }).insert(new VirtualMyNumberCard({ personalisation: perso }));
    // The call's own limit is longer than the test's: only the reader's 100 ms time-out can end it.
    expect(await r.connect({ timeoutMs: 600_000 })).toEqual({ kind: 'timeout', operation: 'connect' });
  });

  it('times out a transmit the reader never answers, then refuses further APDUs on that session', async () => {
    const sim = new SimulatedPcsc();
    const r = open(sim, { transmitTimeoutMs: 100 });
    await settle();
    sim.plug('Stalled', { stall: 'transmit' }).insert(new VirtualMyNumberCard({ personalisation: perso }));
    const session = await r.connect({ timeoutMs: 1000 });
    if (!('transport' in session)) throw new Error(session.kind);
    const client = new JpkiClient(session.transport);
    expect(await client.selectJpkiAp()).toEqual({ kind: 'timeout', operation: 'transmit' });
    expect(await client.selectJpkiAp()).toEqual({
      kind: 'communication',
      detail: 'a previous APDU timed out',
    });
    await session.close();
  });

  it.each(['T0', 'T1'] as const)(
    'authenticates over %s (T=0: answers through GET RESPONSE)',
    async (protocol) => {
      const sim = new SimulatedPcsc();
      const r = open(sim);
      await settle();
      const rd = sim.plug('Reader', { protocol });
      rd.insert(new VirtualMyNumberCard({ personalisation: perso }));
      const session = await r.connect({ timeoutMs: 1000 });
      if (!('transport' in session)) throw new Error(session.kind);
      const result = await new JpkiClient(session.transport).authenticate({
        pin: pinFromDigits([1, 2, 3, 4]),
        digestInfo: digestInfo(),
      });
      expect(result.kind).toBe('authenticated');
      if (result.kind === 'authenticated')
        expect(Buffer.from(result.certificate).equals(Buffer.from(perso.authCertificate))).toBe(true);
      expect(new Set(rd.protocolsUsed)).toEqual(
        new Set([protocol === 'T0' ? rd.SCARD_PROTOCOL_T0 : rd.SCARD_PROTOCOL_T1]),
      );
      await session.close();
    },
  );

  it('survives pcscd stopping mid-session: typed errors, service-down, then ready again', async () => {
    let current = new SimulatedPcsc();
    let contexts = 0;
    const r = open(
      () => {
        contexts += 1;
        current = contexts === 1 ? current : new SimulatedPcsc();
        return current;
      },
      { serviceRetryMs: 50 },
    );
    await settle();
    const first = current;
    first.plug('Reader').insert(new VirtualMyNumberCard({ personalisation: perso }));
    const session = await r.connect({ timeoutMs: 1000 });
    if (!('transport' in session)) throw new Error(session.kind);
    const client = new JpkiClient(session.transport);
    expect(await client.checkCard()).toEqual({ kind: 'ok' });
    first.stopService();
    expect(r.status().kind).toBe('service-down');
    const after = await client.readAuthCertificate();
    expect(['communication', 'card-removed']).toContain(after.kind);
    await session.close();
    await new Promise((res) => setTimeout(res, 150));
    expect(contexts).toBeGreaterThanOrEqual(2);
    current.plug('Reader');
    expect(r.status()).toEqual({ kind: 'ready', reader: 'Reader', cardPresent: false });
  });
});
