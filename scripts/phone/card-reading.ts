/**
 * What the phone reads from the card for the PIN reset (the virtual card stands in for NFC):
 * 券面入力補助AP EF 0002 (name, address, birth date, sex) after its 4-digit PIN, and 券面AP EF 0002
 * (the signed face with its photo) after 照合番号B. Plain APDUs over any CardTransport; no PIN or
 * 照合番号 is kept or printed. No Node module: the phone's web page bundles it too.
 */
import { encodeCommand, parseResponse } from '../../native/apdu.ts';
import type { CardTransport } from '../../native/card-transport.ts';
import { JPKI_AID, JpkiEf, KENKAKU_NYURYOKU_HOJO_AID, KENMEN_AID } from '../../native/jpki/jpki-files.ts';

const SW_OK = 0x9000;
const ASSIST_BASIC_INFO = 0x0002;
const ASSIST_PIN = 0x0011;
const KENMEN_FACE = 0x0002;
const KENMEN_COLLATION_B = 0x0012;

export type CardReadResult =
  { kind: 'read'; bytes: Uint8Array } | { kind: 'card-refused'; step: string; sw: number };

async function send(transport: CardTransport, apdu: Uint8Array): Promise<{ sw: number; data: Uint8Array }> {
  const response = parseResponse(await transport.transmit(apdu));
  if (!response) return { sw: 0, data: new Uint8Array(0) };
  return { sw: response.sw, data: response.data };
}

const ef = (id: number) => Uint8Array.from([id >> 8, id & 0xff]);
const selectAp = (aid: Uint8Array) => encodeCommand({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid });
const selectEf = (id: number) => encodeCommand({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x0c, data: ef(id) });
const verify = (secret: string) =>
  encodeCommand({
    cla: 0,
    ins: 0x20,
    p1: 0x00,
    p2: 0x80,
    data: Uint8Array.from(secret, (c) => c.charCodeAt(0) & 0x7f),
  });
const readBinary = (offset: number, le: number) =>
  encodeCommand({ cla: 0, ins: 0xb0, p1: (offset >> 8) & 0x7f, p2: offset & 0xff, le });

/** The length of a BER-TLV from its first bytes (`tagBytes`: 2 for FF20, 1 for a DER SEQUENCE). */
function tlvLength(head: Uint8Array, tagBytes = 2): number | undefined {
  const first = head[tagBytes];
  if (first === undefined) return undefined;
  if (first < 0x80) return tagBytes + 1 + first;
  const n = first & 0x7f;
  if (n < 1 || n > 3 || head.length < tagBytes + 1 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + head[tagBytes + 1 + i]!;
  return tagBytes + 1 + n + len;
}

async function readTlvFile(transport: CardTransport, step: string, tagBytes = 2): Promise<CardReadResult> {
  const head = await send(transport, readBinary(0, 8));
  if (head.sw !== SW_OK) return { kind: 'card-refused', step, sw: head.sw };
  const total = tlvLength(head.data, tagBytes);
  if (total === undefined) return { kind: 'card-refused', step, sw: head.sw };
  const out = new Uint8Array(total);
  let at = 0;
  while (at < total) {
    const chunk = await send(transport, readBinary(at, Math.min(256, total - at)));
    if (chunk.sw !== SW_OK || chunk.data.length === 0) return { kind: 'card-refused', step, sw: chunk.sw };
    out.set(chunk.data.subarray(0, total - at), at);
    at += chunk.data.length;
  }
  return { kind: 'read', bytes: out };
}

async function openAndRead(
  transport: CardTransport,
  aid: Uint8Array,
  keyEf: number,
  secret: string,
  fileEf: number,
  step: string,
): Promise<CardReadResult> {
  for (const [name, apdu] of [
    ['select AP', selectAp(aid)],
    ['select key', selectEf(keyEf)],
    ['verify', verify(secret)],
    ['select file', selectEf(fileEf)],
  ] as const) {
    const { sw } = await send(transport, apdu);
    if (sw !== SW_OK) return { kind: 'card-refused', step: `${step}: ${name}`, sw };
  }
  return readTlvFile(transport, step);
}

/** 券面入力補助AP EF 0002 after the 4-digit PIN. */
export function readBasicInfo(transport: CardTransport, pin: string): Promise<CardReadResult> {
  return openAndRead(
    transport,
    KENKAKU_NYURYOKU_HOJO_AID,
    ASSIST_PIN,
    pin,
    ASSIST_BASIC_INFO,
    'basic information',
  );
}

/** 券面AP EF 0002 after 照合番号B. */
export function readCardFace(transport: CardTransport, collationB: string): Promise<CardReadResult> {
  return openAndRead(transport, KENMEN_AID, KENMEN_COLLATION_B, collationB, KENMEN_FACE, 'card face');
}

/**
 * JPKI-AP after the 署名用 PIN (6–16 of A–Z 0–9): the signature of the signing key over a DER
 * DigestInfo, then the 署名用 certificate (EF 0001, readable only after that PIN). For the 4-digit
 * PIN's reset, where the signing PIN is what the resident still knows.
 */
export async function signWithSigningKey(
  transport: CardTransport,
  signingPin: string,
  digestInfo: Uint8Array,
): Promise<
  | { kind: 'signed'; signature: Uint8Array; certificate: Uint8Array }
  | { kind: 'card-refused'; step: string; sw: number }
> {
  for (const [name, apdu] of [
    ['select AP', selectAp(JPKI_AID)],
    ['select key', selectEf(JpkiEf.SIGNING_PIN)],
    ['verify', verify(signingPin)],
    ['select signing key', selectEf(JpkiEf.SIGNING_KEY)],
  ] as const) {
    const { sw } = await send(transport, apdu);
    if (sw !== SW_OK) return { kind: 'card-refused', step: `signing: ${name}`, sw };
  }
  const signed = await send(
    transport,
    encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 }),
  );
  if (signed.sw !== SW_OK || signed.data.length === 0)
    return { kind: 'card-refused', step: 'signing: sign', sw: signed.sw };
  const { sw } = await send(transport, selectEf(JpkiEf.SIGNING_CERTIFICATE));
  if (sw !== SW_OK) return { kind: 'card-refused', step: 'signing certificate: select', sw };
  const certificate = await readTlvFile(transport, 'signing certificate', 1);
  if (certificate.kind !== 'read') return certificate;
  return { kind: 'signed', signature: signed.data, certificate: certificate.bytes };
}
