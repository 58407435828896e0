import { createPublicKey, createHash, publicDecrypt, constants, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromHex, parseResponse, toHex } from '../apdu.ts';
import { sha256DigestInfo } from '../jpki/jpki-files.ts';
import { testCard } from '../test-pki/fixtures.ts';
import { CardStateStore } from './card-state-store.ts';
import type { CardPersonalisation } from './personalisation.ts';
import { VirtualMyNumberCard } from './virtual-my-number-card.ts';

const JPKI = 'D392F000260100000001';
const SELECT_JPKI = `00A4040C0A${JPKI}`;
const ascii = (s: string): string => Buffer.from(s, 'ascii').toString('hex');

let perso: CardPersonalisation;
let card: VirtualMyNumberCard;

function send(hex: string): { sw: string; data: Uint8Array } {
  const res = parseResponse(card.transmit(fromHex(hex)));
  if (!res) throw new Error('no status word');
  return { sw: res.sw.toString(16).toUpperCase().padStart(4, '0'), data: res.data };
}
const sw = (hex: string): string => send(hex).sw;

beforeAll(async () => {
  perso = await testCard({ holderId: 'vcard-unit' });
});

beforeEach(() => {
  card = new VirtualMyNumberCard({ personalisation: perso });
  card.powerOn();
});

describe('VirtualMyNumberCard: SELECT', () => {
  it('answers 9000 to the JPKI AID and 6A82 to an AID the card does not have', () => {
    expect(sw(SELECT_JPKI)).toBe('9000');
    expect(sw('00A4040C0AD3921000310001010401')).toBe('6A82'); // 住基AP: not on the virtual card
    expect(sw('00A4040C07A00000')).toBe('6700'); // Lc says 7, 3 bytes follow: malformed
    expect(sw('00A4040C09A00000030800001000')).toBe('6A82'); // PIV
  });

  it('refuses EF selection before an application is selected (6986)', () => {
    expect(sw('00A4020C02000A')).toBe('6986');
  });

  it('selects known EFs and answers 6A82 for unknown ones', () => {
    sw(SELECT_JPKI);
    for (const fid of ['0001', '0002', '0006', '0008', '000A', '000B', '0017', '0018', '001A', '001B']) {
      expect(sw(`00A4020C02${fid}`), fid).toBe('9000');
    }
    expect(sw('00A4020C020099')).toBe('6A82');
  });

  it('answers 6A86 to bad P1/P2 and 6700 to a wrong-length file id', () => {
    sw(SELECT_JPKI);
    expect(sw('00A4010C02000A')).toBe('6A86');
    expect(sw('00A4020402000A')).toBe('6A86');
    expect(sw('00A4020C03000A00')).toBe('6700');
  });

  it('answers 6D00 to unknown instructions (GET DATA probes) and 6E00 to an unknown class', () => {
    expect(sw('00CA010000')).toBe('6D00');
    expect(sw('00CB3FFF055C035FC10200')).toBe('6D00');
    expect(sw('B0A4040C0A' + JPKI)).toBe('6E00');
  });
});

describe('VirtualMyNumberCard: READ BINARY', () => {
  beforeEach(() => {
    sw(SELECT_JPKI);
  });

  it('returns the token label padded to 32 bytes', () => {
    sw('00A4020C020006');
    const r = send('00B0000020');
    expect(r.sw).toBe('9000');
    expect(r.data.length).toBe(32);
    expect(Buffer.from(r.data).toString('ascii').trimEnd()).toBe('JPKIAPICCTOKEN2');
  });

  it('returns 8F 8F 00 from EF 0008', () => {
    sw('00A4020C020008');
    const r = send('00B0000003');
    expect(r.sw).toBe('9000');
    expect(toHex(r.data)).toBe('8F8F00');
  });

  it('serves the auth certificate starting 30 82 LL LL, read in 256-byte chunks', () => {
    sw('00A4020C02000A');
    const head = send('00B0000004');
    expect(head.data[0]).toBe(0x30);
    expect(head.data[1]).toBe(0x82);
    const size = ((head.data[2]! << 8) | head.data[3]!) + 4;
    expect(size).toBe(perso.authCertificate.length);
    const parts: Uint8Array[] = [];
    for (let off = 0; off < size; off += 256) {
      const le = Math.min(256, size - off);
      const r = send(
        `00B0${off.toString(16).padStart(4, '0')}${(le === 256 ? 0 : le).toString(16).padStart(2, '0')}`,
      );
      expect(r.sw).toBe('9000');
      parts.push(r.data);
    }
    expect(Buffer.concat(parts).equals(Buffer.from(perso.authCertificate))).toBe(true);
  });

  it('answers 6B00 at or past the end and 6282 with the remaining data when Le overshoots', () => {
    sw('00A4020C02000A');
    const size = perso.authCertificate.length;
    expect(sw(`00B0${size.toString(16).padStart(4, '0')}01`)).toBe('6B00');
    expect(sw('00B07FFF01')).toBe('6B00');
    const tail = send(`00B0${(size - 10).toString(16).padStart(4, '0')}00`);
    expect(tail.sw).toBe('6282');
    expect(tail.data.length).toBe(10);
  });

  it('refuses short-EF addressing (P1 bit 8) with 6A86 and a read with no current EF with 6986', () => {
    expect(sw('00B0000004')).toBe('6986');
    sw('00A4020C02000A');
    expect(sw('00B0850004')).toBe('6A86');
  });

  it('never reads a private key (6981) and guards the signing certificate behind the signing PIN (6982)', () => {
    sw('00A4020C020017');
    expect(sw('00B0000000')).toBe('6981');
    sw('00A4020C020001');
    expect(sw('00B0000004')).toBe('6982');
    sw('00A4020C02001B');
    expect(sw(`0020008006${ascii('ABC123')}`)).toBe('9000');
    sw('00A4020C020001');
    expect(sw('00B0000004')).toBe('9000');
  });
});

describe('VirtualMyNumberCard: VERIFY', () => {
  beforeEach(() => {
    sw(SELECT_JPKI);
    sw('00A4020C020018');
  });

  it('reports tries left with no data without spending one', () => {
    expect(sw('0020008000'.slice(0, 8))).toBe('63C3');
    expect(sw('00200080')).toBe('63C3');
    expect(card.triesLeft('auth')).toBe(3);
  });

  it('counts down 63C2, 63C1, 63C0 and then answers 6984, even to the right PIN', () => {
    expect(sw(`0020008004${ascii('0000')}`)).toBe('63C2');
    expect(sw(`0020008004${ascii('0000')}`)).toBe('63C1');
    expect(sw(`0020008004${ascii('0000')}`)).toBe('63C0');
    expect(sw(`0020008004${ascii('1234')}`)).toBe('6984');
    expect(sw('00200080')).toBe('6984');
  });

  it('restores the counter on a right PIN and then answers 9000 to the status query', () => {
    expect(sw(`0020008004${ascii('9999')}`)).toBe('63C2');
    expect(sw(`0020008004${ascii('1234')}`)).toBe('9000');
    expect(card.triesLeft('auth')).toBe(3);
    expect(sw('00200080')).toBe('9000');
  });

  it('gives the signing PIN 5 tries', () => {
    sw('00A4020C02001B');
    expect(sw('00200080')).toBe('63C5');
    expect(sw(`0020008006${ascii('WRONG1')}`)).toBe('63C4');
  });

  it('answers 6A86 to bad P1/P2 and 6981 when the current EF is not a PIN', () => {
    expect(sw('00200180')).toBe('6A86');
    expect(sw('00200081')).toBe('6A86');
    sw('00A4020C02000A');
    expect(sw('00200080')).toBe('6981');
  });

  it('keeps the verified state within a power cycle, drops it on re-selecting the AP and on power off', () => {
    expect(sw(`0020008004${ascii('1234')}`)).toBe('9000');
    expect(sw('00200080')).toBe('9000');
    sw(SELECT_JPKI); // re-selecting the application starts a fresh security context
    sw('00A4020C020018');
    expect(sw('00200080')).toBe('63C3');
    expect(sw(`0020008004${ascii('1234')}`)).toBe('9000');
    card.powerOff();
    card.powerOn();
    sw(SELECT_JPKI);
    sw('00A4020C020018');
    expect(sw('00200080')).toBe('63C3');
  });

  it('loses the selection on a warm reset', () => {
    card.warmReset();
    expect(sw('00A4020C020018')).toBe('6986');
  });
});

describe('VirtualMyNumberCard: COMPUTE DIGITAL SIGNATURE', () => {
  const digestInfo = sha256DigestInfo(createHash('sha256').update('challenge').digest());
  const signApdu = `802A008033${toHex(digestInfo)}00`;

  beforeEach(() => {
    sw(SELECT_JPKI);
  });

  it('answers 6982 before VERIFY', () => {
    sw('00A4020C020017');
    expect(sw(signApdu)).toBe('6982');
  });

  it('signs the DigestInfo with PKCS#1 v1.5 after VERIFY; the certificate key opens it', () => {
    sw('00A4020C020018');
    sw(`0020008004${ascii('1234')}`);
    sw('00A4020C020017');
    const r = send(signApdu);
    expect(r.sw).toBe('9000');
    expect(r.data.length).toBe(256);
    const pub = new X509Certificate(Buffer.from(perso.authCertificate)).publicKey;
    const recovered = publicDecrypt({ key: pub, padding: constants.RSA_PKCS1_PADDING }, r.data);
    expect(toHex(recovered)).toBe(toHex(digestInfo));
  });

  it('does not let the auth PIN open the signing key', () => {
    sw('00A4020C020018');
    sw(`0020008004${ascii('1234')}`);
    sw('00A4020C02001A');
    expect(sw(signApdu)).toBe('6982');
  });

  it('answers 6700 to no data or data too long for the key, 6A86 to bad P1/P2, 6981 on a non-key EF', () => {
    sw('00A4020C020018');
    sw(`0020008004${ascii('1234')}`);
    sw('00A4020C020017');
    expect(sw('802A0080')).toBe('6700');
    expect(sw(`802A0080F6${'00'.repeat(246)}00`)).toBe('6700');
    expect(sw(`802A008133${toHex(digestInfo)}00`)).toBe('6A86');
    sw('00A4020C02000A');
    expect(sw(signApdu)).toBe('6981');
    const pub = createPublicKey(
      new X509Certificate(Buffer.from(perso.authCertificate)).publicKey.export({
        format: 'pem',
        type: 'spki',
      }),
    );
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});

describe('VirtualMyNumberCard: CHANGE REFERENCE DATA and persistence', () => {
  it('changes the auth PIN after VERIFY, and the change survives a new card object', () => {
    const store = new CardStateStore(mkdtempSync(join(tmpdir(), 'vcard-')));
    card = new VirtualMyNumberCard({ personalisation: perso, stateStore: store });
    card.powerOn();
    sw(SELECT_JPKI);
    sw('00A4020C020018');
    expect(sw(`0024018004${ascii('4321')}`)).toBe('6982');
    sw(`0020008004${ascii('1234')}`);
    expect(sw(`0024018003${ascii('432')}`)).toBe('6A80');
    expect(sw(`0024018004${ascii('4321')}`)).toBe('9000');

    const again = new VirtualMyNumberCard({ personalisation: perso, stateStore: store });
    card = again;
    card.powerOn();
    sw(SELECT_JPKI);
    sw('00A4020C020018');
    expect(sw(`0020008004${ascii('1234')}`)).toBe('63C2');
    expect(sw(`0020008004${ascii('4321')}`)).toBe('9000');
    expect(JSON.stringify(readFileSync(store.pathFor(perso.holderId), 'utf8'))).not.toContain('4321');
  });

  it('keeps a locked PIN locked after the card process restarts, until resetState', () => {
    const store = new CardStateStore(mkdtempSync(join(tmpdir(), 'vcard-')));
    card = new VirtualMyNumberCard({ personalisation: perso, stateStore: store });
    card.powerOn();
    sw(SELECT_JPKI);
    sw('00A4020C020018');
    for (let i = 0; i < 3; i++) sw(`0020008004${ascii('0000')}`);

    card = new VirtualMyNumberCard({ personalisation: perso, stateStore: store });
    card.powerOn();
    sw(SELECT_JPKI);
    sw('00A4020C020018');
    expect(sw('00200080')).toBe('6984');
    expect(sw(`0020008004${ascii('1234')}`)).toBe('6984');

    card.resetState();
    card.powerOn();
    sw(SELECT_JPKI);
    sw('00A4020C020018');
    expect(sw('00200080')).toBe('63C3');
    expect(sw(`0020008004${ascii('1234')}`)).toBe('9000');
  });

  it('refuses APDUs while unpowered', () => {
    card.powerOff();
    expect(() => card.transmit(fromHex(SELECT_JPKI))).toThrow(/unpowered/);
  });
});
