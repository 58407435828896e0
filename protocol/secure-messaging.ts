/**
 * PIN reset by the centre over secure messaging (our design; the real mechanism is not public).
 * Pure functions, no I/O, shared by both sides (hence in protocol/): the centre builds commands
 * and checks answers with them, the virtual card opens commands and seals answers with them. The kiosk never holds a key: it only asks the
 * card for a challenge and relays the centre's command and the card's answer.
 *
 * Keys
 *   cardKey = HKDF-SHA256(ikm = centre master key, salt = "jpki-pin-reset/v1", info = "card:" + cardId), 32 B
 *   written into the card at issuance; the centre re-derives it from its master key and the card id.
 *   Per command: encKey, macKey = HKDF-SHA256(ikm = cardKey, salt = card challenge, info = "enc" | "mac").
 *
 * Command  `0C 2C P1 P2 Lc [87 L 01 ‖ AES-256-CBC(encKey, IV 0, newPin ‖ 80 00…)] [8E 10 MAC] 00`
 *   P1 `02` = set a new PIN and reset its counter, `03` = reset the counter only.
 *   P2 `81` = 利用者証明用 PIN (EF 0018), `82` = 署名用 PIN (EF 001B).
 *   MAC = HMAC-SHA256(macKey, "cmd" ‖ CLA INS P1 P2 ‖ DO87)[0..16].
 * Answer   `99 02 SW1 SW2 8E 10 MAC'` + `9000`, MAC' = HMAC-SHA256(macKey, "rsp" ‖ 99 02 SW1 SW2)[0..16].
 *
 * Replay: the card's 8-byte challenge (GET CHALLENGE) is single-use — any next command, a power
 * cycle or a re-select forgets it — and it salts the per-command keys, so a recorded command never
 * verifies again. A command without a challenge outstanding is refused with `6985`; a missing or
 * wrong MAC with `6988`; a plain (unsecured) `00 2C` with `6982`.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** A command APDU as the card parsed it (native/apdu.ts's `CommandApdu` has this shape). */
export interface SecureCommand {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
}

export const PIN_RESET_CLA = 0x0c;
export const INS_RESET_RETRY_COUNTER = 0x2c;
export const CHALLENGE_LENGTH = 8;
export const CARD_KEY_LENGTH = 32;
const MAC_LENGTH = 16;

export type PinResetTarget = 'auth' | 'signing';
export const PIN_RESET_P2: Record<PinResetTarget, number> = { auth: 0x81, signing: 0x82 };
export const PIN_RESET_P1 = { NEW_PIN: 0x02, COUNTER_ONLY: 0x03 } as const;

/** `6988`: secure messaging data objects incorrect (bad or missing MAC). */
export const SW_SM_DATA_INCORRECT = 0x6988;

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, utf8(info), 32));
}

/** The per-card key: only a holder of the centre's master key can compute it. */
export function deriveCardKey(masterKey: Uint8Array, cardId: string): Uint8Array {
  if (masterKey.length < 32) throw new RangeError('master key: at least 32 bytes');
  if (cardId.length === 0) throw new RangeError('card id is empty');
  return Uint8Array.from(hkdf(masterKey, utf8('jpki-pin-reset/v1'), `card:${cardId}`));
}

function sessionKeys(cardKey: Uint8Array, challenge: Uint8Array): { enc: Buffer; mac: Buffer } {
  if (cardKey.length !== CARD_KEY_LENGTH) throw new RangeError('card key: 32 bytes');
  if (challenge.length !== CHALLENGE_LENGTH) throw new RangeError('challenge: 8 bytes');
  return { enc: hkdf(cardKey, challenge, 'enc'), mac: hkdf(cardKey, challenge, 'mac') };
}

function mac(key: Buffer, label: 'cmd' | 'rsp', ...parts: Uint8Array[]): Buffer {
  const h = createHmac('sha256', key).update(utf8(label));
  for (const p of parts) h.update(p);
  return h.digest().subarray(0, MAC_LENGTH);
}

function tlv(tag: number, value: Uint8Array): Uint8Array {
  if (value.length > 0xff) throw new RangeError('TLV value too long');
  const lenBytes = value.length < 0x80 ? [value.length] : [0x81, value.length];
  return Uint8Array.from([tag, ...lenBytes, ...value]);
}

/** Parses simple one-byte-tag TLVs; null when malformed. */
function parseTlvs(data: Uint8Array): Map<number, Uint8Array> | null {
  const out = new Map<number, Uint8Array>();
  let at = 0;
  while (at < data.length) {
    if (at + 2 > data.length) return null;
    const tag = data[at]!;
    let len = data[at + 1]!;
    at += 2;
    if (len === 0x81) {
      if (at >= data.length) return null;
      len = data[at]!;
      at += 1;
    } else if (len > 0x80) return null;
    if (at + len > data.length || out.has(tag)) return null;
    out.set(tag, data.subarray(at, at + len));
    at += len;
  }
  return out;
}

function pad(block: Uint8Array): Buffer {
  const size = Math.ceil((block.length + 1) / 16) * 16;
  const out = Buffer.alloc(size);
  out.set(block, 0);
  out[block.length] = 0x80;
  return out;
}

function unpad(padded: Buffer): Buffer | null {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  return end >= 0 && padded[end] === 0x80 ? padded.subarray(0, end) : null;
}

export interface PinResetCommandInput {
  cardKey: Uint8Array;
  /** The card's challenge, relayed by the kiosk. */
  challenge: Uint8Array;
  target: PinResetTarget;
  /** The new PIN as ASCII (4 digits / 6–16 of A–Z 0–9). Absent: reset the counter only. Zeroed after use. */
  newPin?: Uint8Array;
}

/** Centre side: the command APDU the kiosk relays to the card. */
export function buildPinResetCommand(input: PinResetCommandInput): Uint8Array {
  const keys = sessionKeys(input.cardKey, input.challenge);
  const p1 = input.newPin ? PIN_RESET_P1.NEW_PIN : PIN_RESET_P1.COUNTER_ONLY;
  const header = Uint8Array.from([PIN_RESET_CLA, INS_RESET_RETRY_COUNTER, p1, PIN_RESET_P2[input.target]]);
  let do87: Uint8Array = new Uint8Array(0);
  if (input.newPin) {
    const plain = pad(input.newPin);
    const cipher = createCipheriv('aes-256-cbc', keys.enc, Buffer.alloc(16)).setAutoPadding(false);
    const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
    plain.fill(0);
    input.newPin.fill(0);
    do87 = tlv(0x87, Uint8Array.from([0x01, ...encrypted]));
  }
  const do8e = tlv(0x8e, mac(keys.mac, 'cmd', header, do87));
  const data = new Uint8Array(do87.length + do8e.length);
  data.set(do87, 0);
  data.set(do8e, do87.length);
  // A short APDU (the data is at most 2 + 1 + 32 + 2 + 16 bytes): header, Lc, data, Le = 00 (256).
  const apdu = new Uint8Array(4 + 1 + data.length + 1);
  apdu.set(header, 0);
  apdu[4] = data.length;
  apdu.set(data, 5);
  apdu[5 + data.length] = 0x00;
  return apdu;
}

export type OpenedPinReset =
  { kind: 'reset'; target: PinResetTarget; newPin: Uint8Array | null } | { kind: 'refused'; sw: number };

/**
 * Card side: checks a received command against the outstanding challenge. `refused` carries the
 * status word to answer with (unsealed: the MAC did not verify, or the command is malformed).
 */
export function openPinResetCommand(input: {
  cardKey: Uint8Array;
  challenge: Uint8Array;
  command: SecureCommand;
}): OpenedPinReset {
  const { command } = input;
  const target = (Object.keys(PIN_RESET_P2) as PinResetTarget[]).find((t) => PIN_RESET_P2[t] === command.p2);
  if (!target) return { kind: 'refused', sw: 0x6a86 };
  if (command.p1 !== PIN_RESET_P1.NEW_PIN && command.p1 !== PIN_RESET_P1.COUNTER_ONLY)
    return { kind: 'refused', sw: 0x6a86 };
  const tlvs = command.data ? parseTlvs(command.data) : null;
  const given = tlvs?.get(0x8e);
  if (!tlvs || !given || given.length !== MAC_LENGTH) return { kind: 'refused', sw: SW_SM_DATA_INCORRECT };
  const value87 = tlvs.get(0x87);
  const do87 = value87 ? tlv(0x87, value87) : new Uint8Array(0);
  const keys = sessionKeys(input.cardKey, input.challenge);
  const header = Uint8Array.from([command.cla, command.ins, command.p1, command.p2]);
  const expected = mac(keys.mac, 'cmd', header, do87);
  if (!timingSafeEqual(expected, given)) return { kind: 'refused', sw: SW_SM_DATA_INCORRECT };
  if (command.p1 === PIN_RESET_P1.COUNTER_ONLY) {
    return tlvs.size === 1
      ? { kind: 'reset', target, newPin: null }
      : { kind: 'refused', sw: SW_SM_DATA_INCORRECT };
  }
  if (!value87 || value87[0] !== 0x01 || (value87.length - 1) % 16 !== 0 || value87.length < 17)
    return { kind: 'refused', sw: SW_SM_DATA_INCORRECT };
  const decipher = createDecipheriv('aes-256-cbc', keys.enc, Buffer.alloc(16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(value87.subarray(1)), decipher.final()]);
  const pin = unpad(plain);
  const newPin = pin ? Uint8Array.from(pin) : null;
  plain.fill(0);
  if (!newPin) return { kind: 'refused', sw: SW_SM_DATA_INCORRECT };
  return { kind: 'reset', target, newPin };
}

/** Card side: the sealed answer (`99 02 SW 8E 10 MAC'`) to a command whose MAC verified. */
export function sealPinResetResponse(input: {
  cardKey: Uint8Array;
  challenge: Uint8Array;
  sw: number;
}): Uint8Array {
  const keys = sessionKeys(input.cardKey, input.challenge);
  const do99 = tlv(0x99, Uint8Array.from([(input.sw >> 8) & 0xff, input.sw & 0xff]));
  return Uint8Array.from([...do99, ...tlv(0x8e, mac(keys.mac, 'rsp', do99))]);
}

export type PinResetOutcome =
  | { kind: 'reset-done' }
  /** The card checked the centre's MAC and refused the reset (e.g. `6A80` new PIN rejected). */
  | { kind: 'card-refused'; sw: number }
  /** The card did not accept the command as the centre's (`6988`, `6985`, `6982`, …). */
  | { kind: 'not-authorised'; sw: number }
  /** The answer is not one the card sealed under this challenge. */
  | { kind: 'answer-not-authentic' };

/** Centre side: what the card's relayed answer (data + SW1 SW2) says, checked under the card key. */
export function checkPinResetResponse(input: {
  cardKey: Uint8Array;
  challenge: Uint8Array;
  response: Uint8Array;
}): PinResetOutcome {
  const r = input.response;
  if (r.length < 2) return { kind: 'answer-not-authentic' };
  const sw = (r[r.length - 2]! << 8) | r[r.length - 1]!;
  const data = r.subarray(0, r.length - 2);
  if (data.length === 0)
    return sw === 0x9000 ? { kind: 'answer-not-authentic' } : { kind: 'not-authorised', sw };
  if (sw !== 0x9000) return { kind: 'answer-not-authentic' };
  const tlvs = parseTlvs(data);
  const v99 = tlvs?.get(0x99);
  const given = tlvs?.get(0x8e);
  if (!tlvs || tlvs.size !== 2 || !v99 || v99.length !== 2 || !given || given.length !== MAC_LENGTH)
    return { kind: 'answer-not-authentic' };
  const keys = sessionKeys(input.cardKey, input.challenge);
  if (!timingSafeEqual(mac(keys.mac, 'rsp', tlv(0x99, v99)), given)) return { kind: 'answer-not-authentic' };
  const inner = (v99[0]! << 8) | v99[1]!;
  return inner === 0x9000 ? { kind: 'reset-done' } : { kind: 'card-refused', sw: inner };
}
