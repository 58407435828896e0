import { createPublicKey, verify } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromHex, parseResponse, toHex } from '../apdu.ts';
import { KENKAKU_NYURYOKU_HOJO_AID, KENMEN_AID } from '../jpki/jpki-files.ts';
import { sharedTestCa, testCard } from '../test-pki/fixtures.ts';
import { parseBerTlvs } from './ber-tlv.ts';
import { collationNumberB, isValidMyNumber, myNumberCheckDigit } from './card-face.ts';
import { minimalJ2kCodestream, minimalJp2, parseJp2Boxes } from './jpeg2000.ts';
import type { CardPersonalisation } from './personalisation.ts';
import { personalisationFromJson, personalisationToJson } from './personalisation.ts';
import { VirtualMyNumberCard } from './virtual-my-number-card.ts';

let perso: CardPersonalisation;
let card: VirtualMyNumberCard;
const hexAscii = (s: string): string => Buffer.from(s, 'ascii').toString('hex');
const lc = (s: string): string => s.length.toString(16).padStart(2, '0');

function send(hex: string): { sw: number; data: Uint8Array } {
  const r = parseResponse(card.transmit(fromHex(hex)));
  if (!r) throw new Error('no SW');
  return { sw: r.sw, data: r.data };
}
const select = (aid: Uint8Array): number => send(`00A4040C0A${toHex(aid)}`).sw;
const selectEf = (fid: string): number => send(`00A4020C02${fid}`).sw;
const verifyPin = (value: string): number => send(`00200080${lc(value)}${hexAscii(value)}`).sw;

/** Reads a whole file in 256-byte chunks. */
function readAll(): { sw: number; data: Uint8Array } {
  const parts: number[] = [];
  for (let offset = 0; ; offset += 256) {
    const r = send(`00B0${offset.toString(16).padStart(4, '0')}00`);
    if (r.sw === 0x6b00) break;
    if (r.sw !== 0x9000 && r.sw !== 0x6282) return { sw: r.sw, data: Uint8Array.from(parts) };
    parts.push(...r.data);
    if (r.sw === 0x6282 || r.data.length < 256) break;
  }
  return { sw: 0x9000, data: Uint8Array.from(parts) };
}

function template(data: Uint8Array): Map<number, Uint8Array> {
  const outer = parseBerTlvs(data);
  expect(outer?.[0]?.tag).toBe(0xff20);
  const inner = parseBerTlvs(outer![0]!.value)!;
  return new Map(inner.map((e) => [e.tag, e.value]));
}

beforeAll(async () => {
  perso = await testCard({
    holderId: 'face-unit',
    holder: {
      name: '見本 花子',
      sex: '2',
      birthDate: '19900321',
      myNumber: '123456789018',
      securityCode: '4711',
    },
  });
});

beforeEach(() => {
  card = new VirtualMyNumberCard({ personalisation: perso });
  card.powerOn();
});

describe('test identities', () => {
  it('computes the My Number check digit and 照合番号B', () => {
    expect(myNumberCheckDigit('12345678901')).toBe(8);
    expect(isValidMyNumber('123456789018')).toBe(true);
    expect(isValidMyNumber('123456789012')).toBe(false);
    expect(collationNumberB('19900321', 2034, '4711')).toBe('02032120344711'); // 平成2年3月21日
    expect(collationNumberB('20200101', 2030, '0001')).toBe('02010120300001'); // 令和2年
    expect(collationNumberB('19850412', 2034, '0000').slice(0, 6)).toBe('600412'); // 昭和60年
  });
});

describe('JPEG 2000 face photo', () => {
  it('is a JP2 file: signature, ftyp, jp2h (ihdr with the size, greyscale colr) and a codestream SOC…EOC', () => {
    const jp2 = minimalJp2(48, 60);
    const boxes = parseJp2Boxes(jp2)!;
    expect(boxes.map((b) => b.type)).toEqual(['jP  ', 'ftyp', 'jp2h', 'jp2c']);
    expect(boxes[0]!.payload).toEqual(Uint8Array.of(0x0d, 0x0a, 0x87, 0x0a));
    const header = parseJp2Boxes(boxes[2]!.payload)!;
    expect(header.map((b) => b.type)).toEqual(['ihdr', 'colr']);
    const ihdr = Buffer.from(header[0]!.payload);
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr.readUInt16BE(8)]).toEqual([60, 48, 1]);
    const cs = Buffer.from(boxes[3]!.payload);
    expect(cs.subarray(0, 4).toString('hex')).toBe('ff4fff51');
    expect(cs.readUInt32BE(8)).toBe(48); // SIZ Xsiz
    expect(cs.readUInt32BE(12)).toBe(60); // SIZ Ysiz
    expect(cs.subarray(-2).toString('hex')).toBe('ffd9');
    // SOT's Psot covers exactly SOT … last byte before EOC
    const sot = cs.indexOf(Buffer.from([0xff, 0x90]));
    expect(sot + cs.readUInt32BE(sot + 6)).toBe(cs.length - 2);
    expect(() => minimalJ2kCodestream(0, 10)).toThrow(RangeError);
  });
});

describe('券面入力補助AP', () => {
  it('holds its own 4-digit PIN and counter; basic-4 info and My Number only after VERIFY', () => {
    expect(select(KENKAKU_NYURYOKU_HOJO_AID)).toBe(0x9000);
    expect(selectEf('0002')).toBe(0x9000);
    expect(send('00B0000010').sw).toBe(0x6982);
    expect(selectEf('0011')).toBe(0x9000);
    expect(send('0020008000').sw).toBe(0x63c3);
    expect(verifyPin('9999')).toBe(0x63c2);
    expect(card.triesLeft('assist')).toBe(2);
    expect(card.triesLeft('auth')).toBe(3); // the JPKI PIN's counter is its own
    expect(verifyPin('1234')).toBe(0x9000);
    selectEf('0002');
    const info = template(readAll().data);
    expect(Buffer.from(info.get(0xdf22)!).toString('utf8')).toBe('見本 花子');
    expect(Buffer.from(info.get(0xdf23)!).toString('utf8')).toBe(perso.face!.address);
    expect(Buffer.from(info.get(0xdf24)!).toString('utf8')).toBe('19900321');
    expect(Buffer.from(info.get(0xdf25)!).toString('utf8')).toBe('2');
    selectEf('0001');
    const mn = send('00B0000010');
    expect(toHex(mn.data.subarray(0, 3))).toBe('FF100C');
    expect(Buffer.from(mn.data.subarray(3, 15)).toString('ascii')).toBe('123456789018');
  });

  it('does not open JPKI-AP files: selecting another AP drops the verified state', () => {
    select(KENKAKU_NYURYOKU_HOJO_AID);
    selectEf('0011');
    expect(verifyPin('1234')).toBe(0x9000);
    select(KENKAKU_NYURYOKU_HOJO_AID);
    selectEf('0002');
    expect(send('00B0000010').sw).toBe(0x6982);
  });
});

describe('券面AP', () => {
  it('opens EF 0002 with 照合番号A or B; the photo is JPEG 2000 and the file is signed by the issuer', async () => {
    expect(select(KENMEN_AID)).toBe(0x9000);
    selectEf('0002');
    expect(send('00B0000010').sw).toBe(0x6982);
    selectEf('0013');
    expect(verifyPin('123456789019')).toBe(0x63c9);
    selectEf('0012');
    expect(verifyPin(perso.face!.collationB)).toBe(0x9000);
    selectEf('0002');
    const face = template(readAll().data);
    expect(Buffer.from(face.get(0xdf22)!).toString()).toBe('19900321');
    expect(Buffer.from(face.get(0xdf23)!).toString()).toBe('2');
    expect(parseJp2Boxes(face.get(0xdf27)!)?.map((b) => b.type)).toEqual(['jP  ', 'ftyp', 'jp2h', 'jp2c']);
    // DF28 signs DF22…DF27 with the key in DF24, which is the signing CA's
    const elements = parseBerTlvs(parseBerTlvs(perso.face!.kenmenFile)![0]!.value)!;
    const signedPart = Buffer.concat(
      elements
        .filter((e) => e.tag >= 0xdf22 && e.tag <= 0xdf27)
        .map((e) => Buffer.from(perso.face!.kenmenFile.subarray(...span(perso.face!.kenmenFile, e.value)))),
    );
    const key = createPublicKey({ key: Buffer.from(face.get(0xdf24)!), format: 'der', type: 'spki' });
    expect(verify('sha256', signedPart, key, face.get(0xdf28)!)).toBe(true);
    const ca = await sharedTestCa();
    expect(Buffer.from(face.get(0xdf24)!).equals(Buffer.from(ca.signing.certificate.publicKey.rawData))).toBe(
      true,
    );
    // DF21's offsets point at each element
    const offsets = face.get(0xdf21)!;
    const value = parseBerTlvs(perso.face!.kenmenFile)![0]!.value;
    expect(
      (value[(offsets[0]! << 8) | offsets[1]!]! << 8) | value[((offsets[0]! << 8) | offsets[1]!) + 1]!,
    ).toBe(0xdf22);
  });

  it('refuses CHANGE REFERENCE DATA on 照合番号', () => {
    select(KENMEN_AID);
    selectEf('0013');
    expect(verifyPin(perso.face!.myNumber)).toBe(0x9000);
    expect(send(`00240180${lc('111111111111')}${hexAscii('111111111111')}`).sw).toBe(0x6985);
  });

  it('keeps the face data through the card file (JSON) round trip', () => {
    const back = personalisationFromJson(personalisationToJson(perso));
    expect('kind' in back).toBe(false);
    if ('kind' in back) return;
    expect(back.face).toEqual(perso.face);
    expect(back.pinResetKey).toEqual(perso.pinResetKey);
  });
});

/** [start, end) of a TLV (header included) whose value is the subarray `value` of `file`. */
function span(file: Uint8Array, value: Uint8Array): [number, number] {
  const valueStart = value.byteOffset - file.byteOffset;
  let headerStart = valueStart - 3; // DFxx + 1-byte length
  if (value.length >= 0x80) headerStart -= value.length > 0xff ? 2 : 1;
  return [headerStart, valueStart + value.length];
}
