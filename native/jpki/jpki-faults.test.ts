/**
 * Faults in-process: the card leaves between any two commands of the authentication, and a
 * transport that corrupts answers. Every case must end in a typed value, quickly, with no
 * exception, and with at most one PIN try offered to the card.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeResponse, parseCommand } from '../apdu.ts';
import { isCardError } from '../card-transport.ts';
import type { CardTransport } from '../card-transport.ts';
import { testCard } from '../test-pki/fixtures.ts';
import { InProcessCardReader } from '../virtual-card/in-process-reader.ts';
import type { CardPersonalisation } from '../virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../virtual-card/virtual-my-number-card.ts';
import { JpkiClient, pinFromDigits } from './jpki-client.ts';
import type { ReadMode } from './jpki-client.ts';
import { sha256DigestInfo } from './jpki-files.ts';

let perso: CardPersonalisation;
const digestInfo = (): Uint8Array => sha256DigestInfo(createHash('sha256').update('fault').digest());

/** The kiosk's flow: card check, certificate and tries while the PIN is typed, then authenticate. */
async function kioskFlow(client: JpkiClient): Promise<{ kind: string }> {
  const checked = await client.checkCard();
  if (checked.kind !== 'ok') return checked;
  const cert = await client.readAuthCertificate();
  if (cert.kind !== 'certificate') return cert;
  const tries = await client.authPinTriesLeft();
  if (isCardError(tries)) return tries;
  return client.authenticate({ pin: pinFromDigits([1, 2, 3, 4]), digestInfo: digestInfo() });
}

/** Counts the VERIFY commands that carried a PIN. */
function spy(transport: CardTransport): { transport: CardTransport; pinTries: () => number } {
  let tries = 0;
  return {
    pinTries: () => tries,
    transport: {
      transmit(apdu) {
        const cmd = parseCommand(apdu);
        if (!('kind' in cmd) && cmd.ins === 0x20 && cmd.data) tries += 1;
        return transport.transmit(apdu);
      },
    },
  };
}

async function connected(
  card: VirtualMyNumberCard,
): Promise<{ reader: InProcessCardReader; transport: CardTransport }> {
  const reader = new InProcessCardReader();
  reader.insert(card);
  const s = await reader.connect({ timeoutMs: 1000 });
  if (!('transport' in s)) throw new Error(s.kind);
  return { reader, transport: s.transport };
}

beforeAll(async () => {
  perso = await testCard({ holderId: 'faults-unit' });
});

describe.each<ReadMode>(['short', 'extended'])(
  'card removed between any two commands (%s reads)',
  (readMode) => {
    it('ends every position in card-removed, without waiting for a time-out, spending no PIN try', async () => {
      const card = new VirtualMyNumberCard({ personalisation: perso });
      const full = await connected(card);
      const whole = new JpkiClient(full.transport, { readMode });
      expect((await kioskFlow(whole)).kind).toBe('authenticated');
      const total = whole.apduCount;
      expect(total).toBeGreaterThan(5);

      for (let n = 1; n < total; n++) {
        const c = new VirtualMyNumberCard({ personalisation: perso });
        const { reader, transport } = await connected(c);
        const s = spy(transport);
        reader.removeAfterCommands(n);
        const result = await kioskFlow(new JpkiClient(s.transport, { readMode }));
        // card-removed, not a time-out: the flow noticed the removal instead of waiting it out
        expect(result, `removed after ${n}`).toEqual({ kind: 'card-removed' });
        expect(s.pinTries()).toBeLessThanOrEqual(1);
        expect(c.triesLeft('auth')).toBe(3);
      }
    });
  },
);

type Corruption = (apdu: Uint8Array, answer: Uint8Array) => Uint8Array;

/** A transport that corrupts the answer to the `at`-th command (1-based) and passes the rest. */
function corrupting(inner: CardTransport, at: number, corrupt: Corruption): CardTransport {
  let count = 0;
  return {
    async transmit(apdu) {
      count += 1;
      const answer = await inner.transmit(apdu);
      return count === at ? corrupt(apdu, answer) : answer;
    },
  };
}

const CORRUPTIONS: Record<string, Corruption> = {
  'empty answer': () => new Uint8Array(0),
  'one byte': () => Uint8Array.of(0x90),
  'status word only, data missing': (_a, r) => r.subarray(r.length - 2),
  'truncated data': (_a, r) =>
    r.length > 10 ? Uint8Array.from([...r.subarray(0, 5), ...r.subarray(-2)]) : r,
  'oversized data': (_a, r) => Uint8Array.from([...r.subarray(0, -2), ...new Uint8Array(300), 0x90, 0x00]),
  'nonsense status word': (_a, r) => Uint8Array.from([...r.subarray(0, -2), 0x12, 0x34]),
  'unexpected 6F00': () => encodeResponse(0x6f00),
  'random bytes': () => Uint8Array.from({ length: 37 }, (_, i) => (i * 73 + 11) & 0xff),
  '61xx with nobody to chain': () => Uint8Array.of(0x61, 0x10),
};

describe('corrupted answers', () => {
  it.each(Object.keys(CORRUPTIONS))(
    '%s at any position ends in a typed result, never a throw',
    async (name) => {
      const corrupt = CORRUPTIONS[name]!;
      const probe = await connected(new VirtualMyNumberCard({ personalisation: perso }));
      const whole = new JpkiClient(probe.transport);
      expect((await kioskFlow(whole)).kind).toBe('authenticated');
      let refused = 0;
      for (let at = 1; at <= whole.apduCount; at++) {
        const card = new VirtualMyNumberCard({ personalisation: perso });
        const { transport } = await connected(card);
        const s = spy(corrupting(transport, at, corrupt));
        const client = new JpkiClient(s.transport);
        const result = await kioskFlow(client);
        expect(result.kind).not.toBe('timeout');
        expect(s.pinTries()).toBeLessThanOrEqual(1);
        if (result.kind === 'authenticated') {
          // only a corruption the protocol cannot see may pass (e.g. a PIN-status answer made harmless)
          const r = result as unknown as { certificate: Uint8Array };
          expect(Buffer.from(r.certificate).equals(Buffer.from(perso.authCertificate))).toBe(true);
        } else {
          refused += 1;
          expect(
            ['communication', 'unexpected-status', 'unsupported-card', 'wrong-pin', 'locked', 'pin-required'],
            `${name} at ${at}: ${JSON.stringify(result)}`,
          ).toContain(result.kind);
        }
        expect(card.triesLeft('auth')).toBeGreaterThanOrEqual(2);
      }
      // a broken status word breaks every position; cut or padded data only the positions
      // whose data the flow checks (label, signature; a short READ is legitimately continued)
      const statusBroken = !['truncated data', 'oversized data', 'status word only, data missing'].includes(
        name,
      );
      expect(refused).toBeGreaterThanOrEqual(statusBroken ? whole.apduCount - 1 : 2);
    },
  );

  it('does not take a certificate shorter than its DER length', async () => {
    const { transport } = await connected(new VirtualMyNumberCard({ personalisation: perso }));
    // the 5th command is the first READ of EF 000A: cut it to 100 bytes and claim the file ended
    const client = new JpkiClient(
      corrupting(transport, 5, (_a, r) => Uint8Array.from([...r.subarray(0, 100), 0x62, 0x82])),
    );
    expect(await client.checkCard()).toEqual({ kind: 'ok' });
    expect(await client.readAuthCertificate()).toEqual({
      kind: 'communication',
      detail: 'certificate file shorter than its DER length',
    });
  });
});

describe('extended-length reads', () => {
  it('authenticates in at most 10 APDUs, the certificate in one READ BINARY', async () => {
    const { transport } = await connected(new VirtualMyNumberCard({ personalisation: perso }));
    const commands: string[] = [];
    const client = new JpkiClient(transport, {
      readMode: 'extended',
      onApdu: (t) => commands.push(t.command),
    });
    const result = await client.authenticate({ pin: pinFromDigits([1, 2, 3, 4]), digestInfo: digestInfo() });
    expect(result.kind).toBe('authenticated');
    if (result.kind !== 'authenticated') return;
    expect(Buffer.from(result.certificate).equals(Buffer.from(perso.authCertificate))).toBe(true);
    expect(commands.length).toBeLessThanOrEqual(10);
    expect(commands.filter((c) => c.startsWith('READ BINARY'))).toEqual([
      'READ BINARY',
      'READ BINARY (extended)',
    ]);
  });

  it('falls back to short reads when the reader or card refuses extended length', async () => {
    const { transport } = await connected(new VirtualMyNumberCard({ personalisation: perso }));
    const refusing: CardTransport = {
      transmit: (apdu) =>
        apdu.length === 7 && apdu[4] === 0
          ? Promise.resolve(encodeResponse(0x6700))
          : transport.transmit(apdu),
    };
    const client = new JpkiClient(refusing, { readMode: 'extended' });
    const cert = await client.readAuthCertificate();
    expect(cert.kind).toBe('certificate');
    expect(client.readMode).toBe('short');
  });
});
