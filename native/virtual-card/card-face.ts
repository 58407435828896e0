/**
 * What the card's face carries, as the virtual card's 券面入力補助AP and 券面AP hold it (test data:
 * the My Number here is a test number and only the virtual card holds it; the kiosk never reads it).
 */
import { berTlv, concatBytes, offsetIndexedTemplate } from './ber-tlv.ts';
import { minimalJp2 } from './jpeg2000.ts';

export type Sex = '1' | '2' | '3' | '9';

export interface CardFaceData {
  /** 氏名, UTF-8. */
  name: string;
  /** 住所, UTF-8. */
  address: string;
  /** YYYYMMDD. */
  birthDate: string;
  /** ISO/IEC 5218: 1 male, 2 female, 9 not applicable (3 as the card's "other"). */
  sex: Sex;
  /** 12 digits with a valid check digit. */
  myNumber: string;
  /** 券面入力補助AP PIN: 4 digits. */
  assistPin: string;
  /** 照合番号B: 14 digits (birth YYMMDD in the Japanese era + expiry year + security code). */
  collationB: string;
  /** 券面AP EF 0002, built at personalisation (signed by the issuer). */
  kenmenFile: Uint8Array;
}

export const MY_NUMBER_PATTERN = /^[0-9]{12}$/;
export const COLLATION_B_PATTERN = /^[0-9]{14}$/;
export const BIRTH_DATE_PATTERN = /^[0-9]{8}$/;

/** The 12th digit of an individual number from the first 11 (the published check-digit rule). */
export function myNumberCheckDigit(first11: string): number {
  if (!/^[0-9]{11}$/.test(first11)) throw new RangeError('11 digits expected');
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(first11[11 - n]);
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

export function isValidMyNumber(n: string): boolean {
  return MY_NUMBER_PATTERN.test(n) && myNumberCheckDigit(n.slice(0, 11)) === Number(n[11]);
}

const ERAS: ReadonlyArray<{ start: string; year: number }> = [
  { start: '20190501', year: 2019 },
  { start: '19890108', year: 1989 },
  { start: '19261225', year: 1926 },
  { start: '19120730', year: 1912 },
];

/** 照合番号B from the birth date (era YYMMDD), the card's expiry year and a 4-digit security code. */
export function collationNumberB(birthDate: string, expiryYear: number, securityCode: string): string {
  if (!BIRTH_DATE_PATTERN.test(birthDate)) throw new RangeError('birth date: YYYYMMDD');
  if (!/^[0-9]{4}$/.test(securityCode)) throw new RangeError('security code: 4 digits');
  const era = ERAS.find((e) => birthDate >= e.start);
  if (!era) throw new RangeError('birth date before the eras this knows');
  const yy = Number(birthDate.slice(0, 4)) - era.year + 1;
  return `${String(yy).padStart(2, '0')}${birthDate.slice(4)}${String(expiryYear).padStart(4, '0')}${securityCode}`;
}

const utf8 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf8'));

/** 券面入力補助AP EF 0002: `FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth, DF25 sex }`. */
export function assistBasicInfoFile(
  face: Pick<CardFaceData, 'name' | 'address' | 'birthDate' | 'sex'>,
): Uint8Array {
  return offsetIndexedTemplate([
    { tag: 0xdf22, value: utf8(face.name) },
    { tag: 0xdf23, value: utf8(face.address) },
    { tag: 0xdf24, value: utf8(face.birthDate) },
    { tag: 0xdf25, value: utf8(face.sex) },
  ]);
}

/** 券面入力補助AP EF 0001: `FF10 0C` + 12 ASCII digits, padded to 16 bytes with `FF`. */
export function myNumberFile(myNumber: string): Uint8Array {
  if (!MY_NUMBER_PATTERN.test(myNumber)) throw new RangeError('My Number: 12 digits');
  const out = new Uint8Array(16).fill(0xff);
  out.set(berTlv(0xff10, Uint8Array.from(Buffer.from(myNumber, 'ascii'))), 0);
  return out;
}

export interface KenmenInput {
  birthDate: string;
  sex: Sex;
  /** SubjectPublicKeyInfo (DER) of the key that signs the file (DF24). */
  issuerPublicKey: Uint8Array;
  /** Signs DF22…DF27 as encoded (RSA-SHA256 in the test PKI); the result is DF28. */
  sign: (data: Uint8Array) => Promise<Uint8Array>;
  /** DF27: the holder's face photo as a JP2 file (`encodeJp2`); a flat grey placeholder without one. */
  facePhoto?: Uint8Array;
}

/**
 * 券面AP EF 0002: `FF20 { DF21 offsets, DF22 birth, DF23 sex, DF24 public key, DF25 name image,
 * DF26 address image, DF27 face photo (JPEG 2000), DF28 signature }`.
 */
export async function buildKenmenFile(input: KenmenInput): Promise<Uint8Array> {
  const signed = [
    { tag: 0xdf22, value: utf8(input.birthDate) },
    { tag: 0xdf23, value: utf8(input.sex) },
    { tag: 0xdf24, value: input.issuerPublicKey },
    { tag: 0xdf25, value: minimalJp2(64, 16) },
    { tag: 0xdf26, value: minimalJp2(96, 16) },
    { tag: 0xdf27, value: input.facePhoto ?? minimalJp2(48, 60) },
  ];
  const signature = await input.sign(concatBytes(signed.map((e) => berTlv(e.tag, e.value))));
  return offsetIndexedTemplate([...signed, { tag: 0xdf28, value: signature }]);
}
