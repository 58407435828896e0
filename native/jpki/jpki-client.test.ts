import { createHash, verify, X509Certificate } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CardSession } from '../card-transport.ts';
import { testCard } from '../test-pki/fixtures.ts';
import { InProcessCardReader } from '../virtual-card/in-process-reader.ts';
import type { CardPersonalisation } from '../virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../virtual-card/virtual-my-number-card.ts';
import { JpkiClient, pinFromDigits } from './jpki-client.ts';
import type { ApduTrace } from './jpki-client.ts';
import { sha256DigestInfo } from './jpki-files.ts';

let perso: CardPersonalisation;
let reader: InProcessCardReader;
let session: CardSession;
let trace: ApduTrace[];
let client: JpkiClient;

const pin = (s: string): Uint8Array => pinFromDigits([...s].map(Number));
const challenge = Buffer.from('kiosk challenge 0001');
const digestInfo = (): Uint8Array => sha256DigestInfo(createHash('sha256').update(challenge).digest());

async function open(p: CardPersonalisation): Promise<void> {
  reader = new InProcessCardReader();
  reader.insert(new VirtualMyNumberCard({ personalisation: p }));
  const s = await reader.connect({ timeoutMs: 1000 });
  if (!('transport' in s)) throw new Error(`connect failed: ${s.kind}`);
  session = s;
  trace = [];
  client = new JpkiClient(session.transport, { onApdu: (t) => trace.push(t) });
}

beforeAll(async () => {
  perso = await testCard({ holderId: 'client-unit' });
});

beforeEach(async () => {
  await open(perso);
});

describe('JpkiClient', () => {
  it('accepts a My Number Card token and reads the certificate exactly', async () => {
    expect(await client.selectJpkiAp()).toEqual({ kind: 'ok' });
    expect(await client.readTokenLabel()).toEqual({ kind: 'token', label: 'JPKIAPICCTOKEN2' });
    const cert = await client.readAuthCertificate();
    expect(cert.kind).toBe('certificate');
    if (cert.kind !== 'certificate') return;
    expect(Buffer.from(cert.der).equals(Buffer.from(perso.authCertificate))).toBe(true);
    // 1 SELECT EF + ceil(size/256) reads, last one exact: no read past the end
    const reads = trace.filter((t) => t.command === 'READ BINARY');
    expect(reads.length).toBe(1 + Math.ceil(perso.authCertificate.length / 256));
    expect(reads.every((t) => t.sw === 0x9000)).toBe(true);
  });

  it('refuses an old 住基カード token and phone tokens with a typed reason', async () => {
    await open(await testCard({ tokenLabel: 'JPKIAPICCTOKEN' }));
    expect(await client.readTokenLabel()).toEqual({ kind: 'unsupported-card', reason: 'old-token' });
    await open(await testCard({ tokenLabel: 'JPKIAPGPSETOKEN' }));
    expect(await client.checkCard()).toEqual({ kind: 'unsupported-card', reason: 'phone-token' });
  });

  it('reports tries left without spending one', async () => {
    expect(await client.authPinTriesLeft()).toEqual({ kind: 'tries-left', triesLeft: 3 });
    expect(await client.authPinTriesLeft()).toEqual({ kind: 'tries-left', triesLeft: 3 });
  });

  it('counts wrong PINs down to a lock: 2, 1, locked, then locked (6984)', async () => {
    expect(await client.verifyAuthPin(pin('0000'))).toEqual({ kind: 'wrong', triesLeft: 2 });
    expect(await client.verifyAuthPin(pin('0000'))).toEqual({ kind: 'wrong', triesLeft: 1 });
    expect(await client.verifyAuthPin(pin('0000'))).toEqual({ kind: 'locked' });
    expect(trace.at(-1)?.sw).toBe(0x63c0);
    expect(await client.verifyAuthPin(pin('1234'))).toEqual({ kind: 'locked' });
    expect(trace.at(-1)?.sw).toBe(0x6984);
    expect(await client.authPinTriesLeft()).toEqual({ kind: 'locked' });
  });

  it('zeroes the PIN buffer after VERIFY and refuses a malformed PIN without sending it', async () => {
    const buf = pin('1234');
    expect(await client.verifyAuthPin(buf)).toEqual({ kind: 'ok' });
    expect([...buf]).toEqual([0, 0, 0, 0]);
    const before = client.apduCount;
    expect(await client.verifyAuthPin(Uint8Array.from([0x31, 0x32, 0x33]))).toEqual({
      kind: 'malformed-pin',
    });
    expect(client.apduCount).toBe(before);
  });

  it('wipes the VERIFY APDU it handed to the transport', async () => {
    const sent: Uint8Array[] = [];
    const recording = new JpkiClient({
      transmit: async (apdu) => {
        sent.push(apdu);
        return session.transport.transmit(apdu.slice());
      },
    });
    expect(await recording.verifyAuthPin(pin('1234'))).toEqual({ kind: 'ok' });
    expect(sent.length).toBe(3); // SELECT AP, SELECT EF 0018, VERIFY
    const verifyApdu = sent[2];
    expect(verifyApdu?.length).toBe(9); // 00 20 00 80 04 + 4 digits
    expect([...(verifyApdu ?? [])]).toEqual(new Array(9).fill(0));
  });

  it('signs after VERIFY; the signature verifies with the certificate public key', async () => {
    expect(await client.signWithAuthKey(digestInfo())).toEqual({ kind: 'pin-required' });
    expect(await client.verifyAuthPin(pin('1234'))).toEqual({ kind: 'ok' });
    const signed = await client.signWithAuthKey(digestInfo());
    expect(signed.kind).toBe('signature');
    if (signed.kind !== 'signature') return;
    const key = new X509Certificate(Buffer.from(perso.authCertificate)).publicKey;
    expect(verify('sha256', challenge, key, signed.signature)).toBe(true);
    expect(verify('sha256', Buffer.from('other'), key, signed.signature)).toBe(false);
  });

  it('authenticates in one call, reusing the certificate read while the PIN was typed', async () => {
    const cert = await client.readAuthCertificate(); // while the resident types
    expect(cert.kind).toBe('certificate');
    const beforePin = client.apduCount;
    const pinBuf = pin('1234');
    const result = await client.authenticate({ pin: pinBuf, digestInfo: digestInfo() });
    expect(result.kind).toBe('authenticated');
    if (result.kind !== 'authenticated') return;
    expect([...pinBuf]).toEqual([0, 0, 0, 0]);
    const key = new X509Certificate(Buffer.from(result.certificate)).publicKey;
    expect(verify('sha256', challenge, key, result.signature)).toBe(true);
    // after the PIN: token check (SELECT 0006 + READ), SELECT 0018, VERIFY, SELECT 0017, SIGN
    expect(trace.slice(beforePin).map((t) => t.command)).toEqual([
      'SELECT EF 0006',
      'READ BINARY',
      'SELECT EF 0018',
      'VERIFY',
      'SELECT EF 0017',
      'COMPUTE DIGITAL SIGNATURE',
    ]);
  });

  it('authenticates cold in SELECT AP + token check + VERIFY + SIGN + certificate read', async () => {
    const result = await client.authenticate({ pin: pin('1234'), digestInfo: digestInfo() });
    expect(result.kind).toBe('authenticated');
    expect(client.apduCount).toBe(1 + 2 + 2 + 2 + 1 + Math.ceil(perso.authCertificate.length / 256));
  });

  it('returns wrong-pin with tries left from authenticate', async () => {
    expect(await client.authenticate({ pin: pin('9999'), digestInfo: digestInfo() })).toEqual({
      kind: 'wrong-pin',
      triesLeft: 2,
    });
  });

  it('reports card-removed when the card leaves mid-flow', async () => {
    reader.removeAfterCommands(3);
    const result = await client.authenticate({ pin: pin('1234'), digestInfo: digestInfo() });
    expect(result).toEqual({ kind: 'card-removed' });
  });

  it('reports not-jpki for a card without the JPKI application', async () => {
    const notJpki = { transmit: async (): Promise<Uint8Array> => Uint8Array.from([0x6a, 0x82]) };
    const c = new JpkiClient(notJpki);
    expect(await c.selectJpkiAp()).toEqual({ kind: 'unsupported-card', reason: 'not-jpki' });
  });
});
