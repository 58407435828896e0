/**
 * The kiosk's side of the JPKI application: select, check the token, read the 利用者証明用
 * certificate, verify the 4-digit PIN, sign a DigestInfo. Every result is a typed value;
 * nothing here throws across the module boundary and nothing here logs a PIN.
 *
 * The client remembers which application and EF are selected, so a flow never re-sends a
 * SELECT it does not need (and never re-selects the AP between VERIFY and SIGN, which would
 * drop the verified state). The certificate, once read, is kept for the session.
 */
import { encodeCommand, parseResponse, SW } from '../apdu.ts';
import type { ResponseApdu } from '../apdu.ts';
import { cardErrorFrom } from '../card-transport.ts';
import type { CardError, CardTransport } from '../card-transport.ts';
import { derTotalLength } from './der-length.ts';
import {
  JPKI_AID,
  JpkiEf,
  MY_NUMBER_CARD_TOKEN_LABEL,
  OLD_CARD_TOKEN_LABEL,
  PHONE_TOKEN_LABELS,
  TOKEN_LABEL_LENGTH,
} from './jpki-files.ts';

export type Ok = { kind: 'ok' };
export type TokenLabelResult = { kind: 'token'; label: string } | CardError;
export type PinStatus = { kind: 'tries-left'; triesLeft: number } | { kind: 'verified' } | { kind: 'locked' };
export type PinVerifyResult = { kind: 'ok' } | { kind: 'wrong'; triesLeft: number } | { kind: 'locked' };
/** The host gave something that is not 4 ASCII digits: nothing was sent, no try spent. */
export type MalformedPin = { kind: 'malformed-pin' };
export type SignResult = { kind: 'signature'; signature: Uint8Array } | { kind: 'pin-required' } | CardError;
export type CertificateResult = { kind: 'certificate'; der: Uint8Array } | CardError;
export type AuthenticateResult =
  | { kind: 'authenticated'; certificate: Uint8Array; signature: Uint8Array }
  | { kind: 'wrong-pin'; triesLeft: number }
  | { kind: 'locked' }
  | MalformedPin
  | { kind: 'pin-required' }
  | CardError;

/** What the client reports per APDU: the command's name, status word and time. Never its data. */
export interface ApduTrace {
  command: string;
  sw: number | null;
  ms: number;
}

/**
 * How certificates are read. `short` (default, portable): READ BINARY with short Le, 256-byte
 * chunks. `extended`: the whole file in one READ BINARY with extended Le, for readers that take
 * extended APDUs; if the card or reader refuses it (`6700`, `6A86`, `6D00`, `6E00`), the client
 * falls back to short reads for the rest of the session.
 */
export type ReadMode = 'short' | 'extended';

export interface JpkiClientOptions {
  onApdu?: (trace: ApduTrace) => void;
  readMode?: ReadMode;
}

export type PinSlotName = 'auth' | 'signing';
export type ChangePinResult =
  Ok | { kind: 'pin-required' } | { kind: 'rejected-pin' } | MalformedPin | CardError;
export type ChallengeResult = { kind: 'challenge'; challenge: Uint8Array } | CardError;
/** The card's raw answer to a relayed (centre-built) command: the kiosk does not interpret it. */
export type RelayResult = { kind: 'response'; response: Uint8Array } | CardError;

const MAX_SHORT_LE = 256;
const MAX_OFFSET = 0x7fff;

/** Builds the PIN buffer from digits pressed one at a time (0–9). The caller zeroes it, or lets VERIFY do so. */
export function pinFromDigits(digits: readonly number[]): Uint8Array {
  return Uint8Array.from(digits, (d) => 0x30 + d);
}

function isAuthPin(pin: Uint8Array): boolean {
  return pin.length === 4 && pin.every((b) => b >= 0x30 && b <= 0x39);
}

/** 6–16 of A–Z 0–9 (the caller upper-cases what the resident typed). */
function isSigningPin(pin: Uint8Array): boolean {
  return (
    pin.length >= 6 &&
    pin.length <= 16 &&
    pin.every((b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a))
  );
}

const PIN_EF: Record<PinSlotName, number> = { auth: JpkiEf.AUTH_PIN, signing: JpkiEf.SIGNING_PIN };
const PIN_SHAPE: Record<PinSlotName, (pin: Uint8Array) => boolean> = {
  auth: isAuthPin,
  signing: isSigningPin,
};
const EXTENDED_REFUSED: ReadonlySet<number> = new Set([
  SW.WRONG_LENGTH,
  SW.INCORRECT_P1P2,
  SW.INS_NOT_SUPPORTED,
  SW.CLA_NOT_SUPPORTED,
]);
/** Extended Le `0000`: as many bytes as the card has (up to 65536). */
const MAX_EXTENDED_LE = 65536;

function classifyLabel(label: string): TokenLabelResult {
  if (label === MY_NUMBER_CARD_TOKEN_LABEL) return { kind: 'token', label };
  if (label === OLD_CARD_TOKEN_LABEL) return { kind: 'unsupported-card', reason: 'old-token' };
  if (PHONE_TOKEN_LABELS.includes(label)) return { kind: 'unsupported-card', reason: 'phone-token' };
  return { kind: 'unsupported-card', reason: 'not-jpki' };
}

export class JpkiClient {
  readonly #transport: CardTransport;
  readonly #onApdu: ((trace: ApduTrace) => void) | undefined;
  #apSelected = false;
  #tokenChecked = false;
  #currentEf: number | null = null;
  #certificate: Uint8Array | null = null;
  #apduCount = 0;
  #readMode: ReadMode;

  constructor(transport: CardTransport, opts: JpkiClientOptions = {}) {
    this.#transport = transport;
    this.#onApdu = opts.onApdu;
    this.#readMode = opts.readMode ?? 'short';
  }

  /** The read mode in force (`extended` falls back to `short` once refused). */
  get readMode(): ReadMode {
    return this.#readMode;
  }

  /** APDUs sent by this client so far. */
  get apduCount(): number {
    return this.#apduCount;
  }

  async #exchange(command: string, apdu: Uint8Array): Promise<ResponseApdu | CardError> {
    this.#apduCount += 1;
    const started = performance.now();
    let raw: Uint8Array;
    try {
      raw = await this.#transport.transmit(apdu);
    } catch (err) {
      this.#forgetSelection();
      this.#onApdu?.({ command, sw: null, ms: performance.now() - started });
      return cardErrorFrom(err);
    }
    const res = parseResponse(raw);
    this.#onApdu?.({ command, sw: res?.sw ?? null, ms: performance.now() - started });
    if (!res) {
      this.#forgetSelection();
      return { kind: 'communication', detail: `${command}: response shorter than a status word` };
    }
    return res;
  }

  #forgetSelection(): void {
    this.#apSelected = false;
    this.#currentEf = null;
  }

  #unexpected(res: ResponseApdu, command: string): CardError {
    this.#forgetSelection();
    return { kind: 'unexpected-status', sw: res.sw, command };
  }

  /** SELECT JPKI-AP. A card without it is `unsupported-card / not-jpki`. Re-selecting drops a verified PIN. */
  async selectJpkiAp(): Promise<Ok | CardError> {
    const res = await this.#exchange(
      'SELECT JPKI-AP',
      encodeCommand({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID }),
    );
    if ('kind' in res) return res;
    if (res.sw === SW.FILE_NOT_FOUND || res.sw === SW.INCORRECT_P1P2) {
      this.#forgetSelection();
      return { kind: 'unsupported-card', reason: 'not-jpki' };
    }
    if (res.sw !== SW.OK) return this.#unexpected(res, 'SELECT JPKI-AP');
    this.#apSelected = true;
    this.#currentEf = null;
    return { kind: 'ok' };
  }

  async #ensureAp(): Promise<Ok | CardError> {
    return this.#apSelected ? { kind: 'ok' } : this.selectJpkiAp();
  }

  async #selectEf(fid: number): Promise<Ok | CardError> {
    const ap = await this.#ensureAp();
    if (ap.kind !== 'ok') return ap;
    if (this.#currentEf === fid) return { kind: 'ok' };
    const name = `SELECT EF ${fid.toString(16).padStart(4, '0').toUpperCase()}`;
    const res = await this.#exchange(
      name,
      encodeCommand({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.from([fid >> 8, fid & 0xff]) }),
    );
    if ('kind' in res) return res;
    if (res.sw === SW.FILE_NOT_FOUND) {
      this.#forgetSelection();
      return { kind: 'unsupported-card', reason: 'not-jpki' };
    }
    if (res.sw !== SW.OK) return this.#unexpected(res, name);
    this.#currentEf = fid;
    return { kind: 'ok' };
  }

  /** READ BINARY with a short APDU. `6282` (end of file before Le) still carries data. */
  async #readBinary(
    offset: number,
    le: number,
  ): Promise<{ kind: 'data'; data: Uint8Array; eof: boolean } | CardError> {
    if (offset > MAX_OFFSET) return { kind: 'communication', detail: 'file larger than a 15-bit offset' };
    const res = await this.#exchange(
      'READ BINARY',
      encodeCommand({ cla: 0, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le }),
    );
    if ('kind' in res) return res;
    if (res.data.length > le) {
      this.#forgetSelection();
      return { kind: 'communication', detail: `READ BINARY: ${res.data.length} bytes for Le ${le}` };
    }
    if (res.sw === SW.OK) return { kind: 'data', data: res.data, eof: false };
    if (res.sw === SW.END_OF_FILE_WARNING || res.sw === SW.WRONG_P1P2_OFFSET)
      return { kind: 'data', data: res.data, eof: true };
    return this.#unexpected(res, 'READ BINARY');
  }

  /**
   * READ BINARY at offset 0 with extended Le `0000` (the whole file in one response).
   * Null when the card or reader refuses extended length: the caller reads in short chunks.
   */
  async #readBinaryExtended(): Promise<{ kind: 'data'; data: Uint8Array; eof: boolean } | CardError | null> {
    const res = await this.#exchange(
      'READ BINARY (extended)',
      encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: MAX_EXTENDED_LE }, { extended: true }),
    );
    if ('kind' in res) return res;
    if (EXTENDED_REFUSED.has(res.sw)) return null;
    if (res.sw === SW.OK || res.sw === SW.END_OF_FILE_WARNING)
      return { kind: 'data', data: res.data, eof: true };
    return this.#unexpected(res, 'READ BINARY (extended)');
  }

  /** Reads the token label (EF 0006) and refuses anything but `JPKIAPICCTOKEN2`. */
  async readTokenLabel(): Promise<TokenLabelResult> {
    const sel = await this.#selectEf(JpkiEf.TOKEN_INFO);
    if (sel.kind !== 'ok') return sel;
    const read = await this.#readBinary(0, TOKEN_LABEL_LENGTH);
    if (read.kind !== 'data') return read;
    // Latin-1 without Buffer: the phone's web page bundles this client too.
    const label = String.fromCharCode(...read.data.subarray(0, TOKEN_LABEL_LENGTH)).replace(/[\s\0]+$/, '');
    const result = classifyLabel(label);
    this.#tokenChecked = result.kind === 'token';
    return result;
  }

  /** SELECT JPKI-AP (if not yet) and check the token label (once per client). */
  async checkCard(): Promise<Ok | CardError> {
    const ap = await this.#ensureAp();
    if (ap.kind !== 'ok') return ap;
    if (this.#tokenChecked) return { kind: 'ok' };
    const label = await this.readTokenLabel();
    return label.kind === 'token' ? { kind: 'ok' } : label;
  }

  /** VERIFY with no data on the auth PIN: tries left, without spending one. */
  authPinTriesLeft(): Promise<PinStatus | CardError> {
    return this.pinTriesLeft('auth');
  }

  /**
   * VERIFY the 4-digit auth PIN (ASCII digits). The buffer is zeroed before this returns,
   * whatever the outcome, as is the APDU that carried it.
   */
  async verifyAuthPin(pin: Uint8Array): Promise<PinVerifyResult | MalformedPin | CardError> {
    try {
      if (!isAuthPin(pin)) return { kind: 'malformed-pin' };
      return await this.#verifyPin('auth', pin);
    } finally {
      pin.fill(0);
    }
  }

  /** COMPUTE DIGITAL SIGNATURE with the auth key over a DER DigestInfo (the card pads, PKCS#1 v1.5). */
  async signWithAuthKey(digestInfo: Uint8Array): Promise<SignResult> {
    return this.#sign(JpkiEf.AUTH_KEY, digestInfo);
  }

  /**
   * COMPUTE DIGITAL SIGNATURE with the 署名用 key (after verifySigningPin): the 4-digit PIN's
   * reset, where the signing PIN is what the resident still knows.
   */
  async signWithSigningKey(digestInfo: Uint8Array): Promise<SignResult> {
    return this.#sign(JpkiEf.SIGNING_KEY, digestInfo);
  }

  async #sign(keyEf: number, digestInfo: Uint8Array): Promise<SignResult> {
    if (digestInfo.length === 0 || digestInfo.length > 245)
      return { kind: 'communication', detail: 'DigestInfo length' };
    const sel = await this.#selectEf(keyEf);
    if (sel.kind !== 'ok') return sel;
    const res = await this.#exchange(
      'COMPUTE DIGITAL SIGNATURE',
      encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: MAX_SHORT_LE }),
    );
    if ('kind' in res) return res;
    if (res.sw === SW.SECURITY_STATUS_NOT_SATISFIED) return { kind: 'pin-required' };
    if (res.sw !== SW.OK) return this.#unexpected(res, 'COMPUTE DIGITAL SIGNATURE');
    if (res.data.length !== 256)
      return { kind: 'communication', detail: `signature of ${res.data.length} bytes` };
    return { kind: 'signature', signature: res.data };
  }

  /**
   * Reads the 利用者証明用 certificate (EF 000A): a first 256-byte chunk, the DER length parsed
   * from it, then the rest in chunks of at most 256 bytes, the last one exact. Free to read:
   * the host may call this while the resident types the PIN. Cached for the session.
   */
  async readAuthCertificate(): Promise<CertificateResult> {
    if (this.#certificate) return { kind: 'certificate', der: this.#certificate };
    const read = await this.#readCertificate(JpkiEf.AUTH_CERTIFICATE);
    if (read.kind === 'certificate') this.#certificate = read.der;
    return read;
  }

  /** The 署名用 certificate (EF 0001), readable only after verifySigningPin; not cached. */
  async readSigningCertificate(): Promise<CertificateResult> {
    return this.#readCertificate(JpkiEf.SIGNING_CERTIFICATE);
  }

  async #readCertificate(ef: number): Promise<CertificateResult> {
    const sel = await this.#selectEf(ef);
    if (sel.kind !== 'ok') return sel;
    let first: { kind: 'data'; data: Uint8Array; eof: boolean } | CardError | null = null;
    if (this.#readMode === 'extended') {
      first = await this.#readBinaryExtended();
      if (first === null) this.#readMode = 'short';
    }
    first ??= await this.#readBinary(0, MAX_SHORT_LE);
    if (first.kind !== 'data') return first;
    const header = derTotalLength(first.data);
    if (header.kind !== 'ok' || first.data[0] !== 0x30) {
      return { kind: 'communication', detail: 'certificate file does not start with a DER SEQUENCE' };
    }
    const total = header.totalLength;
    if (total - 1 > MAX_OFFSET + MAX_SHORT_LE)
      return { kind: 'communication', detail: 'certificate too large' };
    const der = new Uint8Array(total);
    let got = Math.min(total, first.data.length);
    der.set(first.data.subarray(0, got), 0);
    if (got < total && first.eof)
      return { kind: 'communication', detail: 'certificate file shorter than its DER length' };
    while (got < total) {
      const chunk = await this.#readBinary(got, Math.min(MAX_SHORT_LE, total - got));
      if (chunk.kind !== 'data') return chunk;
      if (chunk.data.length === 0)
        return { kind: 'communication', detail: 'certificate file shorter than its DER length' };
      const take = Math.min(chunk.data.length, total - got);
      der.set(chunk.data.subarray(0, take), got);
      got += take;
      if (got < total && chunk.eof)
        return { kind: 'communication', detail: 'certificate file shorter than its DER length' };
    }
    return { kind: 'certificate', der };
  }

  /** VERIFY with no data on a PIN: tries left, without spending one. */
  async pinTriesLeft(slot: PinSlotName): Promise<PinStatus | CardError> {
    const sel = await this.#selectEf(PIN_EF[slot]);
    if (sel.kind !== 'ok') return sel;
    const res = await this.#exchange(
      'VERIFY (status)',
      encodeCommand({ cla: 0, ins: 0x20, p1: 0x00, p2: 0x80 }),
    );
    if ('kind' in res) return res;
    if (res.sw === SW.OK) return { kind: 'verified' };
    if (res.sw === SW.REFERENCE_DATA_NOT_USABLE || res.sw === SW.AUTH_METHOD_BLOCKED || res.sw === 0x63c0)
      return { kind: 'locked' };
    if (res.sw1 === 0x63 && (res.sw2 & 0xf0) === 0xc0)
      return { kind: 'tries-left', triesLeft: res.sw2 & 0x0f };
    return this.#unexpected(res, 'VERIFY (status)');
  }

  /**
   * VERIFY the 署名用 PIN (6–16 of A–Z 0–9, upper-cased by the caller). The buffer and the APDU
   * that carried it are zeroed before this returns.
   */
  async verifySigningPin(pin: Uint8Array): Promise<PinVerifyResult | MalformedPin | CardError> {
    try {
      if (!isSigningPin(pin)) return { kind: 'malformed-pin' };
      return await this.#verifyPin('signing', pin);
    } finally {
      pin.fill(0);
    }
  }

  async #verifyPin(slot: PinSlotName, pin: Uint8Array): Promise<PinVerifyResult | CardError> {
    const sel = await this.#selectEf(PIN_EF[slot]);
    if (sel.kind !== 'ok') return sel;
    const apdu = encodeCommand({ cla: 0, ins: 0x20, p1: 0x00, p2: 0x80, data: pin });
    let res: ResponseApdu | CardError;
    try {
      res = await this.#exchange('VERIFY', apdu);
    } finally {
      apdu.fill(0);
    }
    if ('kind' in res) return res;
    if (res.sw === SW.OK) return { kind: 'ok' };
    if (res.sw === 0x63c0 || res.sw === SW.REFERENCE_DATA_NOT_USABLE || res.sw === SW.AUTH_METHOD_BLOCKED)
      return { kind: 'locked' };
    if (res.sw1 === 0x63 && (res.sw2 & 0xf0) === 0xc0) return { kind: 'wrong', triesLeft: res.sw2 & 0x0f };
    return this.#unexpected(res, 'VERIFY');
  }

  /**
   * CHANGE REFERENCE DATA (`00 24 01 80`): sets a new PIN after the old one was verified in this
   * session. The new PIN's buffer and APDU are zeroed before this returns.
   */
  async changePin(slot: PinSlotName, newPin: Uint8Array): Promise<ChangePinResult> {
    try {
      if (!PIN_SHAPE[slot](newPin)) return { kind: 'malformed-pin' };
      const sel = await this.#selectEf(PIN_EF[slot]);
      if (sel.kind !== 'ok') return sel;
      const apdu = encodeCommand({ cla: 0, ins: 0x24, p1: 0x01, p2: 0x80, data: newPin });
      let res: ResponseApdu | CardError;
      try {
        res = await this.#exchange('CHANGE REFERENCE DATA', apdu);
      } finally {
        apdu.fill(0);
      }
      if ('kind' in res) return res;
      if (res.sw === SW.OK) return { kind: 'ok' };
      if (res.sw === SW.SECURITY_STATUS_NOT_SATISFIED) return { kind: 'pin-required' };
      if (res.sw === SW.WRONG_DATA) return { kind: 'rejected-pin' };
      return this.#unexpected(res, 'CHANGE REFERENCE DATA');
    } finally {
      newPin.fill(0);
    }
  }

  /** GET CHALLENGE (`00 84 00 00 08`) in JPKI-AP: the card's fresh nonce for a centre-built command. */
  async getChallenge(): Promise<ChallengeResult> {
    const ap = await this.#ensureAp();
    if (ap.kind !== 'ok') return ap;
    const res = await this.#exchange(
      'GET CHALLENGE',
      encodeCommand({ cla: 0, ins: 0x84, p1: 0, p2: 0, le: 8 }),
    );
    if ('kind' in res) return res;
    if (res.sw !== SW.OK) return this.#unexpected(res, 'GET CHALLENGE');
    if (res.data.length !== 8)
      return { kind: 'communication', detail: `challenge of ${res.data.length} bytes` };
    return { kind: 'challenge', challenge: res.data };
  }

  /**
   * Sends a command the centre built, unchanged, and returns the card's whole answer unchanged
   * (the centre checks it). Only secure-messaging commands (CLA `0C`) are relayed. The card's
   * selection after it is unknown to the client, so the next command re-selects.
   */
  async relay(command: Uint8Array): Promise<RelayResult> {
    if (command.length < 4 || command[0] !== 0x0c)
      return { kind: 'communication', detail: 'refused to relay a command that is not secure messaging' };
    const res = await this.#exchange('SECURE MESSAGING (relayed)', command);
    if ('kind' in res) return res;
    this.#forgetSelection();
    const response = new Uint8Array(res.data.length + 2);
    response.set(res.data, 0);
    response[res.data.length] = res.sw1;
    response[res.data.length + 1] = res.sw2;
    return { kind: 'response', response };
  }

  /**
   * The whole authentication in as few APDUs as possible: check the card (once), VERIFY,
   * SIGN, and the certificate (from the cache when `readAuthCertificate` ran earlier).
   * The PIN buffer is zeroed before this returns.
   */
  async authenticate(input: { pin: Uint8Array; digestInfo: Uint8Array }): Promise<AuthenticateResult> {
    try {
      if (!isAuthPin(input.pin)) return { kind: 'malformed-pin' };
      const card = await this.checkCard();
      if (card.kind !== 'ok') return card;
      const verified = await this.verifyAuthPin(input.pin);
      if (verified.kind === 'wrong') return { kind: 'wrong-pin', triesLeft: verified.triesLeft };
      if (verified.kind !== 'ok') return verified;
      const signed = await this.signWithAuthKey(input.digestInfo);
      if (signed.kind !== 'signature') return signed;
      const cert = await this.readAuthCertificate();
      if (cert.kind !== 'certificate') return cert;
      return { kind: 'authenticated', certificate: cert.der, signature: signed.signature };
    } finally {
      input.pin.fill(0);
    }
  }
}
